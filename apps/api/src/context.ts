import type { Db } from '@gansight/db';
import type { BlobStore } from '@gansight/storage';
import type { Caller } from './modules/auth/caller';
import type { TokenBuckets } from './modules/rate-limit/token-bucket';

/** What the API process was started with; shared by every request. */
export interface ApiServices {
  version: string;
  startedAt: number;
  db: Db;
  /** Named probes (database, storage, ...) run by the `health` query. */
  healthChecks: Record<string, () => Promise<void>>;
  /** Image blobs; without it, image operations answer that storage is not configured. */
  blobs?: BlobStore;
  /** Sign-in attempts per email; startApiServer fills it in when absent. */
  loginLimiter?: TokenBuckets;
}

/** Per-request context: the services and the caller, verified before any resolver runs. */
export interface ApiContext {
  services: ApiServices;
  caller: Caller;
  /** Where the request came from, recorded with new sessions. */
  request?: { ip?: string; userAgent?: string };
}
