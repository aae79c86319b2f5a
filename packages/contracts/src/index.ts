// What the apps agree on, in one place: the GraphQL schema the API serves and the client is
// generated from, the jobs the API queues and the worker runs, and the credential formats the
// API checks and the CLI creates.
export { API_TYPE_DEFS } from './graphql/api-type-defs';
export {
  TASK,
  PRIORITY,
  MAX_ATTEMPTS,
  jobKey,
  BadJobPayloadError,
  parseTrainingJob,
  parseInspectionJob,
  parseEvaluationJob,
  parseLotJob,
  parseInterpolationJob,
  type TaskName,
  type TrainingJob,
  type InspectionJob,
  type EvaluationJob,
  type LotJob,
  type InterpolationJob,
} from './jobs/job-specs';
export type { JobPayloads, JobQueue } from './jobs/job-queue';
export { BACKEND_KINDS, trainingTaskIdentifier, trainingTaskIdentifiersFor, taskOfIdentifier, type BackendKindName } from './jobs/training-backends';
export { hashPassword, verifyPassword, generateApiKey, parseApiKey, hashApiKeySecret, apiKeySecretMatches } from './credentials/credentials';
export { API_KEY_SCOPES, isKnownScope, type ApiKeyScope } from './credentials/scopes';
