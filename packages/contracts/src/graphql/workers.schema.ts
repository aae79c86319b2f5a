export const workersTypeDefs = /* GraphQL */ `
  "A worker process of the fleet that every factory shares (no host names: see ADR 0007)."
  type Worker {
    id: ID!
    "ML backend: tensorflow-gpu, tensorflow, wasm or cpu."
    backend: String!
    version: String!
    "Jobs it runs now, as of its last heartbeat."
    jobsInFlight: Int!
    startedAt: DateTime!
    heartbeatAt: DateTime!
    "Reported within the last minute (a silent worker's jobs are handed on to live ones)."
    alive: Boolean!
  }

  "A worker process as the platform operator sees it: with the machine it runs on."
  type PlatformWorker {
    id: ID!
    host: String!
    backend: String!
    version: String!
    jobsInFlight: Int!
    startedAt: DateTime!
    heartbeatAt: DateTime!
    alive: Boolean!
  }

  extend type Query {
    "The worker fleet that runs training, inspections and evaluations, oldest first (factory admins)."
    workers: [Worker!]!
    "The same fleet with host names, for the platform operator (PLATFORM_OPERATOR_TOKEN) only."
    platformWorkers: [PlatformWorker!]!
  }
`;
