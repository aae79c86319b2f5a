export const meTypeDefs = /* GraphQL */ `
  enum CallerKind {
    USER
    API_KEY
  }

  type FactorySummary {
    id: ID!
    name: String!
    slug: String!
  }

  "The verified caller of this request, and the one factory it acts for."
  type Me {
    kind: CallerKind!
    "Null for a signed-in user of several factories who sent no 'x-factory-id' header."
    factory: FactorySummary
    "Set for users: their role in this factory."
    role: String
    "Set for API keys: what the key may do."
    scopes: [String!]
    apiKeyName: String
    email: String
    userId: ID
  }

  extend type Query {
    "Who you are; fails with UNAUTHENTICATED without valid credentials."
    me: Me!
  }
`;
