export { CodedError, codedErrorGuard } from './coded-error';
