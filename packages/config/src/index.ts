export { loadConfig, loadConfigOrExit, ConfigError, type Config } from './load-config';
export { envSchema } from './schema';
