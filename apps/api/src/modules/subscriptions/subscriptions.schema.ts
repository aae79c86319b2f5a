export const subscriptionsTypeDefs = /* GraphQL */ `
  type TrainingProgressEvent {
    runId: ID!
    "progress or completed"
    kind: String!
    step: Int
    totalSteps: Int
    "Latest losses, e.g. { d, g }."
    losses: JSON
    status: RunStatus
    "Everything the worker reported."
    data: JSON!
  }

  type InspectionProgressEvent {
    inspectionId: ID!
    kind: String!
    iteration: Int
    loss: Float
    "A presigned URL of the latest reconstruction preview, when the worker stored one."
    previewUrl: String
    data: JSON!
  }

  type Subscription {
    "Steps and losses of one training run as the worker reports them."
    trainingProgress(runId: ID!): TrainingProgressEvent!
    "Inversion iterations (loss, reconstruction previews) of one inspection."
    inspectionProgress(inspectionId: ID!): InspectionProgressEvent!
    "Every inspection of this factory that completes, optionally of one product."
    inspectionCompleted(productId: ID): Inspection!
  }
`;
