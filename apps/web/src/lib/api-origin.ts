/**
 * The API's origin as the dashboard's server process sees it, read when a request is proxied
 * (not when the dashboard is built), so one build serves any deployment (ADR 0062).
 */
export function apiOrigin(): string {
  return (process.env.GANSIGHT_API_ORIGIN ?? `http://127.0.0.1:${process.env.API_PORT ?? 4000}`).replace(/\/+$/, '');
}
