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
    "Which model this product trains and how it sees images."
    modelSettings: ProductModelSettings!
    "The shortest side an uploaded image may have under the current settings."
    minimumImageSide: Int!
    archived: Boolean!
    activeModelId: ID
    createdAt: DateTime!
    updatedAt: DateTime!
  }

  enum ProductModelKind {
    "The paper's model: every image squashed to imageSize x imageSize."
    WHOLE
    "The GAN on tiles of each image at a working scale, plus a learned defect map (ADR 0034)."
    PATCH
  }

  "Which model a product trains. Patch settings are null for WHOLE."
  type ProductModelSettings {
    kind: ProductModelKind!
    "Factor applied to both sides of every image, (0, 1]; 1 = native resolution."
    scale: Float
    "Tile side in pixels at the working scale: 32, 64 or 128."
    patchSize: Int
    "Whether the learned defect map is trained (its map is the heat map, its score decides verdicts)."
    defectMap: Boolean
    "Whether training also uses mirrored crops."
    flips: Boolean
  }

  "Which model a product trains. For PATCH, omitted fields take the defaults (scale 0.5, patchSize 64, defectMap and flips on)."
  input ProductModelSettingsInput {
    kind: ProductModelKind!
    scale: Float
    patchSize: Int
    defectMap: Boolean
    flips: Boolean
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
    "Default: WHOLE (the paper's model)."
    modelSettings: ProductModelSettingsInput
  }

  input UpdateProductInput {
    name: String
    description: String
    imageSize: Int
    channels: Int
    preprocessing: JSON
    "Refused (BAD_USER_INPUT) when images the product already has would be too small for the new settings."
    modelSettings: ProductModelSettingsInput
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
