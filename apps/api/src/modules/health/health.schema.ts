export const healthTypeDefs = /* GraphQL */ `
  enum HealthStatus {
    OK
    DEGRADED
  }

  "One dependency the API needs, and whether it answered just now."
  type HealthCheck {
    name: String!
    ok: Boolean!
    latencyMs: Float!
    error: String
  }

  type Health {
    status: HealthStatus!
    version: String!
    uptimeSeconds: Float!
    checks: [HealthCheck!]!
  }

  type Query {
    "Liveness and readiness of the API and what it depends on; needs no credentials."
    health: Health!
  }
`;
