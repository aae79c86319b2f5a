export const authTypeDefs = /* GraphQL */ `
  enum Role {
    ADMIN
    ENGINEER
    MANAGER
    VIEWER
  }

  "A factory the caller may act for, and the role they have there."
  type FactoryMembership {
    factory: FactorySummary!
    "Null for API keys, which have scopes instead."
    role: Role
  }

  type SessionUser {
    id: ID!
    email: String!
    name: String
  }

  type LoginResult {
    "Send as 'Authorization: Bearer <token>'. Shown once; only its hash is stored. Over HTTP the same session is also set as an HttpOnly cookie for browsers."
    token: String!
    expiresAt: String!
    user: SessionUser!
    "Every factory the user belongs to; pick one per request with the 'x-factory-id' header."
    factories: [FactoryMembership!]!
  }

  extend type Query {
    "The factories the caller may act for."
    myFactories: [FactoryMembership!]!
  }

  type Mutation {
    "Signs in with email and password. With factoryId, also checks that you belong to that factory."
    login(email: String!, password: String!, factoryId: ID): LoginResult!
    "Ends the session whose token (or cookie) this request carries, and clears the cookie."
    logout: Boolean!
    "Changes your own password (at least 12 characters)."
    changePassword(currentPassword: String!, newPassword: String!): Boolean!
  }
`;
