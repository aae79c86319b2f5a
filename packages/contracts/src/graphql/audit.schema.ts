export const auditTypeDefs = /* GraphQL */ `
  enum ActorType {
    USER
    API_KEY
    SYSTEM
  }

  "One change: who did what to which row, and when. Secrets and image bytes are redacted from details."
  type AuditEntry {
    id: ID!
    actorType: ActorType!
    actorUserId: ID
    actorApiKeyId: ID
    "The mutation, e.g. createProduct."
    action: String!
    targetType: String
    targetId: ID
    details: JSON!
    createdAt: DateTime!
  }

  type AuditEntryEdge {
    node: AuditEntry!
    cursor: String!
  }

  type AuditEntryConnection {
    edges: [AuditEntryEdge!]!
    pageInfo: PageInfo!
  }

  extend type Query {
    "This factory's audit trail, newest first."
    auditLog(first: Int = 20, after: String, action: String, targetType: String, targetId: ID): AuditEntryConnection!
  }
`;
