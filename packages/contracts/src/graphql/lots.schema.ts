export const lotsTypeDefs = /* GraphQL */ `
  enum LotStatus {
    OPEN
    CLOSED
  }

  "A batch of parts inspected together; once closed, the worker measures its set-level Frechet distance (drift)."
  type Lot {
    id: ID!
    productId: ID!
    name: String!
    externalId: String
    status: LotStatus!
    modelId: ID
    "Frechet distance between the lot's latent Gaussian and the qualified reference; grows with drift."
    frechetDistance: Float
    imageCount: Int!
    passCount: Int!
    failCount: Int!
    createdAt: DateTime!
    closedAt: DateTime
  }

  type LotEdge {
    node: Lot!
    cursor: String!
  }
  type LotConnection {
    edges: [LotEdge!]!
    pageInfo: PageInfo!
  }

  "The factory itself and its settings."
  type Factory {
    id: ID!
    name: String!
    slug: String!
    settings: JSON!
    createdAt: DateTime!
  }

  extend type Query {
    """
    Newest first; frechetDistance over time is the product's drift. 'createdAfter' (inclusive) and
    'createdBefore' (exclusive) bound the period, e.g. the lots of the last 30 days for a drift chart.
    """
    lots(productId: ID, status: LotStatus, createdAfter: DateTime, createdBefore: DateTime, first: Int = 20, after: String): LotConnection!
    lot(id: ID!): Lot!
    factory: Factory!
  }

  extend type Mutation {
    "Opens a lot; submit inspections with its id, then close it."
    createLot(productId: ID!, name: String!, externalId: String): Lot!
    "Closes the lot (no more inspections), recounts it and queues the drift measurement."
    closeLot(id: ID!): Lot!
    updateFactory(name: String, settings: JSON): Factory!
  }
`;
