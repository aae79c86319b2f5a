export const subscriptionsTypeDefs = /* GraphQL */ `
  type TrainingProgressEvent {
    runId: ID!
    "training.started, .progress, .sample, .checkpoint, .phase, .completed, .failed or .cancelled"
    kind: String!
    step: Int
    totalSteps: Int
    """
    After the last GAN step (training.phase events): encoder, feature-density,
    local-feature-density, calibration or generator-check; data.done of data.total units.
    """
    phase: String
    "Latest losses of a progress event: { d, g, dReal, dFake }."
    losses: JSON
    "A presigned URL of the sample grid of a training.sample event."
    sampleUrl: String
    "Everything the worker reported."
    data: JSON!
  }

  type InspectionProgressEvent {
    inspectionId: ID!
    "inspection.started, .progress, .completed or .failed"
    kind: String!
    "1-based inversion iteration of this image, of totalIterations."
    iteration: Int
    totalIterations: Int
    "The image's best reconstruction loss so far."
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
