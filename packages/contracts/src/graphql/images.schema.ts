export const imagesTypeDefs = /* GraphQL */ `
  enum ImageLabel {
    QUALIFIED
    DEFECTIVE
    UNLABELED
  }
  enum ImageSplit {
    TRAIN
    VALIDATION
    TEST
    NONE
  }
  enum ImageSource {
    UPLOAD
    LINE
    DATASET
    SYNTHETIC
  }

  type Image {
    id: ID!
    productId: ID!
    sha256: String!
    width: Int!
    height: Int!
    contentType: String!
    byteSize: Int!
    label: ImageLabel!
    defectTypeId: ID
    split: ImageSplit!
    source: ImageSource!
    capturedAt: DateTime
    line: String
    station: String
    metadata: JSON!
    createdAt: DateTime!
    "A URL to GET the image from, valid for 15 minutes."
    url: String!
  }

  type ImageEdge {
    node: Image!
    cursor: String!
  }
  type ImageConnection {
    edges: [ImageEdge!]!
    pageInfo: PageInfo!
  }

  type ImageResult {
    image: Image!
    "True when the same bytes were already stored for this product: the existing image is returned."
    duplicate: Boolean!
  }

  "Where to PUT the file; then call registerImage with the key and the file's sha256."
  type ImageUpload {
    key: String!
    url: String!
    method: String!
    "Headers the PUT must carry (the content type is part of the signature)."
    headers: JSON!
    expiresAt: DateTime!
    maxBytes: Int!
  }

  input ImageFilter {
    productId: ID
    label: ImageLabel
    split: ImageSplit
    defectTypeId: ID
    source: ImageSource
    line: String
    station: String
    createdAfter: DateTime
    createdBefore: DateTime
  }

  "Facts about an image supplied by the uploader."
  input ImageFactsInput {
    label: ImageLabel
    defectTypeId: ID
    split: ImageSplit
    source: ImageSource
    capturedAt: DateTime
    line: String
    station: String
    metadata: JSON
  }

  input RegisterImageInput {
    "The key requestImageUpload returned."
    key: String!
    "Hex sha256 of the file you uploaded; the stored bytes must match it."
    sha256: String!
    facts: ImageFactsInput
  }

  input UploadImageInput {
    productId: ID!
    "The file's bytes, base64-encoded (for small images; see docs/API.md for the limit)."
    dataBase64: String!
    "Optional hex sha256 of the file, checked when given."
    sha256: String
    facts: ImageFactsInput
  }

  extend type Query {
    "Newest first, filtered."
    images(filter: ImageFilter, first: Int = 20, after: String): ImageConnection!
    image(id: ID!): Image!
  }

  extend type Mutation {
    "Step 1 of an upload: a presigned PUT URL for one image of the product."
    requestImageUpload(productId: ID!, contentType: String!): ImageUpload!
    "Step 2: checks the uploaded file (sha256, decodable, size) and registers it; BAD_IMAGE deletes the upload."
    registerImage(input: RegisterImageInput!): ImageResult!
    "One-step upload of a small image inside the request."
    uploadImage(input: UploadImageInput!): ImageResult!
    "Labels or relabels an image; a defect type only goes with DEFECTIVE."
    labelImage(id: ID!, label: ImageLabel!, defectTypeId: ID): Image!
    "Moves images to a split; returns how many of them changed (ids not in this factory are skipped)."
    assignImageSplit(ids: [ID!]!, split: ImageSplit!): Int!
    deleteImage(id: ID!): Image!
  }
`;
