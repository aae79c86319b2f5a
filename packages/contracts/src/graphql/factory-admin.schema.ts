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

  "A signed invitation; nothing is stored until the invitee accepts it."
  type Invitation {
    email: String!
    role: Role!
    expiresAt: DateTime!
    "Hand it to the invitee privately; they redeem it with acceptInvitation (valid 72 hours)."
    code: String!
  }

  type InviteResult {
    invitation: Invitation!
    "The invitation code again: a person without an account may sign in with it as a temporary password (login creates the account); someone with an account redeems it with acceptInvitation and their own password."
    temporaryPassword: String!
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
    "Invites a person at a role; the answer is the same whether or not the email has an account anywhere."
    inviteMember(email: String!, role: Role!): InviteResult!
    "Joins the factory of an invitation: an existing account gives its password, a new email chooses one (12+ characters). Signs in."
    acceptInvitation(code: String!, password: String!, name: String): LoginResult!
    changeMemberRole(userId: ID!, role: Role!): Member!
    "Removes a person's access to this factory (their account and other factories stay)."
    removeMember(userId: ID!): Member!
    "Scopes: see me.scopes of an all-scopes key, or docs/API.md."
    createApiKey(name: String!, scopes: [String!]!, expiresAt: DateTime): CreatedApiKey!
    "Revoking twice is harmless; requests with a revoked key fail with UNAUTHENTICATED."
    revokeApiKey(id: ID!): ApiKey!
  }
`;
