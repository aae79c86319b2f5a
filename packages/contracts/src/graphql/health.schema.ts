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
    "Which dependency failed, never why: the reason (hosts, ports, driver messages) goes to the API's log."
    error: String
  }

  type Health {
    status: HealthStatus!
    version: String!
    uptimeSeconds: Float!
    checks: [HealthCheck!]!
  }

  type Query {
    "Liveness and readiness of the API and what it depends on; needs no credentials. The checks run once per request, however often it asks."
    health: Health!
  }
`;
