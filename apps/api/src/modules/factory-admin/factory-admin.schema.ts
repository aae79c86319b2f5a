export const factoryAdminTypeDefs = /* GraphQL */ `
  "A person's membership in this factory."
  type Member {
    id: ID!
    userId: ID!
    email: String!
    name: String
    role: Role!
    joinedAt: DateTime!
  }

  type InviteResult {
    member: Member!
    "Set only when a new account was created: hand it over privately; they change it after signing in."
    temporaryPassword: String
  }

  "An integrator credential; its secret is never shown again after creation."
  type ApiKey {
    id: ID!
    name: String!
    prefix: String!
    scopes: [String!]!
    lastUsedAt: DateTime
    revokedAt: DateTime
    expiresAt: DateTime
    createdAt: DateTime!
  }

  type CreatedApiKey {
    apiKey: ApiKey!
    "The whole key, shown this once. Send it as 'Authorization: Bearer <token>'."
    token: String!
  }

  type MemberEdge {
    node: Member!
    cursor: String!
  }
  type MemberConnection {
    edges: [MemberEdge!]!
    pageInfo: PageInfo!
  }
  type ApiKeyEdge {
    node: ApiKey!
    cursor: String!
  }
  type ApiKeyConnection {
    edges: [ApiKeyEdge!]!
    pageInfo: PageInfo!
  }

  extend type Query {
    "Everyone with access to this factory, most recently joined first."
    members(first: Int = 20, after: String): MemberConnection!
    "This factory's API keys, newest first, revoked ones included."
    apiKeys(first: Int = 20, after: String): ApiKeyConnection!
  }

  extend type Mutation {
    "Gives a person a role here; creates their account (with a temporary password) if the email is new."
    inviteMember(email: String!, role: Role!, name: String): InviteResult!
    changeMemberRole(userId: ID!, role: Role!): Member!
    "Removes a person's access to this factory (their account and other factories stay)."
    removeMember(userId: ID!): Member!
    "Scopes: see me.scopes of an all-scopes key, or docs/API.md."
    createApiKey(name: String!, scopes: [String!]!, expiresAt: DateTime): CreatedApiKey!
    "Revoking twice is harmless; requests with a revoked key fail with UNAUTHENTICATED."
    revokeApiKey(id: ID!): ApiKey!
  }
`;
