import type { ApiKeyScope } from './scopes';

export type Role = 'ADMIN' | 'ENGINEER' | 'MANAGER' | 'VIEWER';

/**
 * Who is calling, verified before any resolver runs. A factory id here has been checked
 * against a key or a membership; resolvers never read factory ids from headers themselves.
 */
export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'apiKey'; factoryId: string; apiKeyId: string; apiKeyName: string; scopes: ApiKeyScope[] }
  | { kind: 'user'; factoryId: string; userId: string; email: string; role: Role };
