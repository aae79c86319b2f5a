export const datasetTypeDefs = /* GraphQL */ `
  "How many images of one label are in one split."
  type ImageCount {
    label: ImageLabel!
    split: ImageSplit!
    count: Int!
  }

  "A product's dataset at a glance: counts per label and split, and whether it can be trained on."
  type DatasetSummary {
    productId: ID!
    counts: [ImageCount!]!
    "QUALIFIED images in the TRAIN split (training needs minTrainImages)."
    trainQualified: Int!
    "QUALIFIED images in the VALIDATION split (calibration needs minValidationImages)."
    validationQualified: Int!
    minTrainImages: Int!
    minValidationImages: Int!
    "Enough images to start a training that can also calibrate its threshold."
    readyToTrain: Boolean!
  }

  extend type Query {
    "Counts of a product's images per label and split, and whether training can start."
    datasetSummary(productId: ID!): DatasetSummary!
  }
`;
