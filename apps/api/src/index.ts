export { startApiServer, type ApiServerOptions, type RunningApiServer, type HttpRoute } from './server';
export type { ApiServices, ApiContext } from './context';
export { buildSchema } from './schema';
export { generateApiKey, hashPassword, verifyPassword, parseApiKey } from './modules/auth/credentials';
export { API_KEY_SCOPES, type ApiKeyScope } from './modules/auth/scopes';
