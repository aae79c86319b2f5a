export const modelThresholdTypeDefs = /* GraphQL */ `
  "One labelled TEST image as an evaluation scored it."
  type EvaluationScore {
    imageId: ID!
    "True for DEFECTIVE images."
    defective: Boolean!
    defectTypeId: ID
    "The raw combined score, on the same scale as Model.threshold (above it: FAIL)."
    score: Float!
  }

  extend type Evaluation {
    "Every test image's score, for threshold what-ifs; null for evaluations stored before scores were kept."
    scores: [EvaluationScore!]
  }

  extend type Mutation {
    """
    Sets the raw-score threshold a READY model judges with (ENGINEER; audited). Inspections
    judged from now on use it; earlier verdicts stay as they were. Pick it on an evaluation's scores.
    """
    setModelThreshold(id: ID!, threshold: Float!): Model!
  }
`;
