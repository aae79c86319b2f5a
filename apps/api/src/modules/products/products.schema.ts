export const productsTypeDefs = /* GraphQL */ `
  "A kind of part inspected in this factory; it gets its own GAN."
  type Product {
    id: ID!
    name: String!
    slug: String!
    description: String
    "Side length m of the square images the model works on."
    imageSize: Int!
    "1 (grayscale) or 3 (RGB)."
    channels: Int!
    "How uploads are brought to imageSize, e.g. { mode: 'resize' | 'center-crop' | 'pad' }."
    preprocessing: JSON!
    archived: Boolean!
    activeModelId: ID
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  "A kind of defect of one product (crack, stain, ...), used to label images."
  type DefectType {
    id: ID!
    productId: ID!
    name: String!
    description: String
    createdAt: DateTime!
  }

  type ProductEdge {
    node: Product!
    cursor: String!
  }
  type ProductConnection {
    edges: [ProductEdge!]!
    pageInfo: PageInfo!
  }
  type DefectTypeEdge {
    node: DefectType!
    cursor: String!
  }
  type DefectTypeConnection {
    edges: [DefectTypeEdge!]!
    pageInfo: PageInfo!
  }

  input CreateProductInput {
    name: String!
    "Derived from the name when omitted; lowercase letters, digits and dashes."
    slug: String
    description: String
    imageSize: Int!
    channels: Int!
    preprocessing: JSON
  }

  input UpdateProductInput {
    name: String
    description: String
    imageSize: Int
    channels: Int
    preprocessing: JSON
    archived: Boolean
  }

  extend type Query {
    "Newest first; archived products only with includeArchived."
    products(first: Int = 20, after: String, includeArchived: Boolean = false): ProductConnection!
    product(id: ID!): Product!
    defectTypes(productId: ID!, first: Int = 20, after: String): DefectTypeConnection!
    defectType(id: ID!): DefectType!
  }

  extend type Mutation {
    createProduct(input: CreateProductInput!): Product!
    updateProduct(id: ID!, input: UpdateProductInput!): Product!
    createDefectType(productId: ID!, name: String!, description: String): DefectType!
    updateDefectType(id: ID!, name: String, description: String): DefectType!
  }
`;
