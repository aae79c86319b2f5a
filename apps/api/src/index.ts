export { startApiServer, type ApiServerOptions, type RunningApiServer, type HttpRoute } from './server';
export type { ApiServices, ApiContext } from './context';
export { buildSchema } from './schema';
