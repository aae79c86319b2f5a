export { startStack, VERSION, type RunningStack } from './stack/start-stack';
export { freePort } from './stack/free-port';
