/**
 * What an API key may do. Integrators get narrow keys (a line station needs only
 * images:write + inspections:write + results:read); the bootstrap key has them all.
 */
export const API_KEY_SCOPES = [
  'images:read',
  'images:write',
  'inspections:write',
  'results:read',
  'products:read',
  'products:write',
  'models:read',
  'models:write',
] as const;

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** True when every element of `scopes` is a known scope. */
export function isKnownScope(scope: string): scope is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(scope);
}
