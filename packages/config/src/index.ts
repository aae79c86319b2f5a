export { loadConfig, loadConfigOrExit, ConfigError, type Config } from './load-config';
export { envSchema, DEFAULT_QUOTAS } from './schema';
