import type { JobQueue } from '@gansight/contracts';
import type { Db, QuotaLimits } from '@gansight/db';
import type { BlobStore } from '@gansight/storage';
import type { Caller } from './modules/auth/caller';
import type { EventSubscriber } from '@gansight/events';
import type { AttemptLimiter } from './modules/rate-limit/shared-rate-limit';
import type { ApiKeyCache } from './modules/auth/api-key-cache';


/** What the API process was started with; shared by every request. */
export interface ApiServices {
  version: string;
  startedAt: number;
  db: Db;
  /** Named probes (database, storage, ...) run by the `health` query. */
  healthChecks: Record<string, () => Promise<void>>;
  /** Image blobs; without it, image operations answer that storage is not configured. */
  blobs?: BlobStore;
  /** Where training and inspection jobs go; without it rows stay QUEUED until a worker polls for them. */
  jobs?: JobQueue;
  /** Progress and completion events from workers (PostgreSQL NOTIFY), relayed to subscribers. */
  events?: EventSubscriber;
  /** Password attempts per email or user, shared by every API process; startApiServer fills it in when absent. */
  loginLimiter?: AttemptLimiter;
  /** Where operators read what clients are not told (a failing health check's reason); startApiServer fills it in. */
  log?: (message: string) => void;
  /** The instance secret: signs invitation codes that any replica can check. */
  secret?: string;
  /** Recently verified API keys (a few seconds); startApiServer fills it in when absent. */
  apiKeyCache?: ApiKeyCache;
  /** TRAINING_BACKENDS: the worker backends new training runs are pinned to (ADR 0060); empty or absent: any worker. */
  trainingBackends?: readonly string[];
  /** PLATFORM_OPERATOR_TOKEN: the bearer token that reads the shared worker fleet (and nothing else). */
  platformOperatorToken?: string;
  /** The deployment's quota defaults per factory (QUOTA_*; 0: no limit); DEFAULT_QUOTAS of @gansight/config when absent. */
  quotas?: QuotaLimits;
}

/** Per-request context: the services and the caller, verified before any resolver runs. */
export interface ApiContext {
  services: ApiServices;
  caller: Caller;
  /** Where the request came from, recorded with new sessions. */
  request?: { ip?: string; userAgent?: string };
  /** Verifies the connection's credentials again (long-lived subscriptions re-check them per event). */
  reauthenticate?: () => Promise<Caller>;
  /** The session cookie of this HTTP response (absent over WebSocket, where no response carries one). */
  cookies?: { set(token: string, expiresAt: Date): void; clear(): void };
}
