/** What the API process was started with; shared by every request. */
export interface ApiServices {
  version: string;
  startedAt: number;
  /** Named probes (database, storage, ...) run by the `health` query. */
  healthChecks: Record<string, () => Promise<void>>;
}

/** Per-request context. Authentication (issue 4) adds the verified factory and role here. */
export interface ApiContext {
  services: ApiServices;
}
