export { startApiServer, DEFAULT_LOGIN_RATE_LIMIT, type ApiServerOptions, type RunningApiServer, type HttpRoute } from './server';
export type { ApiServices, ApiContext } from './context';
export { buildSchema } from './schema';
export { OPERATION_PERMISSIONS, describeRequirement, type Requirement } from './modules/auth/permissions';
export { createBlobRoute } from './modules/images/blob-route';
export { sweepUploads, type UploadSweepResult } from './modules/images/sweep-uploads';
