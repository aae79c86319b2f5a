export { startStack, VERSION, type RunningStack } from './stack/start-stack';
