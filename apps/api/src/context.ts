import type { Db } from '@gansight/db';
import type { Caller } from './modules/auth/caller';

/** What the API process was started with; shared by every request. */
export interface ApiServices {
  version: string;
  startedAt: number;
  db: Db;
  /** Named probes (database, storage, ...) run by the `health` query. */
  healthChecks: Record<string, () => Promise<void>>;
}

/** Per-request context: the services and the caller, verified before any resolver runs. */
export interface ApiContext {
  services: ApiServices;
  caller: Caller;
}
