export const inspectionsTypeDefs = /* GraphQL */ `
  enum InspectionStatus {
    QUEUED
    RUNNING
    DONE
    FAILED
  }
  enum Verdict {
    PASS
    FAIL
  }

  "One image judged by one model. Scores appear once the worker has run it (status DONE)."
  type Inspection {
    id: ID!
    productId: ID!
    modelId: ID!
    imageId: ID!
    image: Image!
    lotId: ID
    status: InspectionStatus!
    idempotencyKey: String
    reconstructionLoss: Float
    latentDistance: Float
    anomalyScore: Float
    """
    The anomaly score normalised to [0, 1] as anomalib does: the calibrated threshold maps to 0.5,
    so above 0.5 means FAIL (before any review); scores far from the threshold are clipped to 0 or 1.
    """
    normalizedScore: Float
    threshold: Float
    verdict: Verdict
    "A reviewer's verdict; it overrides the model's in trends."
    reviewVerdict: Verdict
    reviewNote: String
    reviewedAt: DateTime
    "Presigned URLs (15 minutes) of the reconstruction G(z*) and the residual heat map, once DONE."
    reconstructionUrl: String
    residualUrl: String
    timings: JSON
    errorCode: String
    errorMessage: String
    line: String
    station: String
    createdAt: DateTime!
    startedAt: DateTime
    completedAt: DateTime
  }

  type InspectionEdge {
    node: Inspection!
    cursor: String!
  }
  type InspectionConnection {
    edges: [InspectionEdge!]!
    pageInfo: PageInfo!
  }

  type SubmittedInspection {
    inspection: Inspection!
    "False when the idempotency key had been used before: the earlier inspection is returned."
    created: Boolean!
  }

  input InspectionFilter {
    productId: ID
    lotId: ID
    status: InspectionStatus
    verdict: Verdict
    line: String
    station: String
    createdAfter: DateTime
    createdBefore: DateTime
    "true: reviewed by a person; false: not reviewed yet."
    reviewed: Boolean
    "Lowest normalised score (0-1, threshold at 0.5), inclusive."
    minScore: Float
    "Highest normalised score, inclusive."
    maxScore: Float
  }

  input SubmitInspectionInput {
    "An image already stored (registerImage/uploadImage), or send the image itself in 'upload'."
    imageId: ID
    upload: UploadImageInput
    "Retrying with the same key returns the first inspection instead of inspecting twice."
    idempotencyKey: String
    lotId: ID
    "Defaults to the product's active model."
    modelId: ID
    line: String
    station: String
  }

  enum TrendBucket {
    HOUR
    DAY
    WEEK
  }

  type TrendPoint {
    bucketStart: DateTime!
    total: Int!
    pass: Int!
    fail: Int!
    "Inspections that could not be scored."
    errored: Int!
    "fail / (pass + fail), null when nothing was judged."
    defectRate: Float
  }

  enum BreakdownGroup {
    PRODUCT
    LINE
    STATION
    DEFECT_TYPE
  }

  type BreakdownRow {
    "Product id, line, station or defect type id; null when inspections have none."
    key: String
    total: Int!
    pass: Int!
    fail: Int!
    defectRate: Float
  }

  type ScoreBin {
    lower: Float!
    upper: Float!
    pass: Int!
    fail: Int!
  }

  extend type Query {
    "Judged inspections over [from, to) per product, line, station or labelled defect type."
    defectBreakdown(from: DateTime!, to: DateTime!, groupBy: BreakdownGroup!, productId: ID): [BreakdownRow!]!
    """
    Histogram of normalised scores (in [0, 1], threshold at 0.5) over [0, maxScore) in 'bins' equal
    bins; a score of maxScore or more falls in the last bin. maxScore is at most 1; a smaller one
    looks closer at the low end. With an even number of bins the threshold is a bin edge.
    """
    scoreDistribution(from: DateTime!, to: DateTime!, productId: ID, bins: Int = 20, maxScore: Float = 1): [ScoreBin!]!
    inspection(id: ID!): Inspection!
    "Newest first, filtered."
    inspections(filter: InspectionFilter, first: Int = 20, after: String): InspectionConnection!
    """
    Inspections per time bucket with pass/fail counts (reviews override verdicts), over [from, to).
    Buckets are hours, days and weeks (from Monday) of 'timeZone', an IANA name such as
    "Asia/Shanghai" or "America/Chicago" (default "UTC"): a DAY starts at local midnight, so a
    DST change makes one 23 or 25 hours long. 'bucketStart' is that local start as an instant.
    Filters narrow to one product, lot, line, station or labelled defect type ('defectTypeId':
    inspections of images a person labelled with it); all of them are read from the rollups.
    """
    defectTrends(
      from: DateTime!
      to: DateTime!
      bucket: TrendBucket!
      productId: ID
      lotId: ID
      line: String
      station: String
      defectTypeId: ID
      timeZone: String = "UTC"
    ): [TrendPoint!]!
  }

  extend type Mutation {
    "Queues an inspection of one image; the worker runs it and fills in scores and verdict."
    submitInspection(input: SubmitInspectionInput!): SubmittedInspection!
    "A person confirms or overrides the verdict."
    reviewInspection(id: ID!, verdict: Verdict!, note: String): Inspection!
  }
`;
