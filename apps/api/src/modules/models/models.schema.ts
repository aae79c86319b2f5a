export const modelsTypeDefs = /* GraphQL */ `
  enum ModelStatus {
    QUEUED
    TRAINING
    READY
    FAILED
    CANCELLED
  }
  enum RunStatus {
    QUEUED
    RUNNING
    SUCCEEDED
    FAILED
    CANCELLED
  }
  enum TrainingPreset {
    FAST
    STANDARD
    QUALITY
  }

  type TrainingRun {
    id: ID!
    modelId: ID!
    status: RunStatus!
    step: Int!
    totalSteps: Int!
    "Recent loss samples, e.g. [{ step, d, g }]."
    losses: JSON!
    error: String
    startedAt: DateTime
    finishedAt: DateTime
    createdAt: DateTime!
  }

  type Evaluation {
    id: ID!
    status: RunStatus!
    "AUROC, F1, accuracy, precision, recall, threshold, ..."
    metrics: JSON
    "The unsupervised baselines on the same images (GMM, one-class SVM, LOF)."
    baselines: JSON
    "Per defect type: Frechet distance, AUROC, count."
    perDefect: JSON
    createdAt: DateTime!
    completedAt: DateTime
  }

  "A trained (or training) GAN version of one product, with what is known about it: its model card."
  type Model {
    id: ID!
    productId: ID!
    version: Int!
    status: ModelStatus!
    isActive: Boolean!
    hyperParameters: JSON!
    backend: String
    threshold: Float
    "Training metrics: generator Frechet distance, t-SNE points, sample grid keys, ..."
    metrics: JSON
    error: String
    createdAt: DateTime!
    trainedAt: DateTime
    trainingRuns: [TrainingRun!]!
    evaluations: [Evaluation!]!
  }

  type StartedTraining {
    model: Model!
    run: TrainingRun!
  }

  extend type Query {
    "A product's model versions, newest first."
    models(productId: ID!): [Model!]!
    model(id: ID!): Model!
    trainingRun(id: ID!): TrainingRun!
  }

  extend type Mutation {
    "Queues training of the product's next model version from a preset, optionally overriding hyper-parameters."
    startTraining(productId: ID!, preset: TrainingPreset, hyperParameters: JSON): StartedTraining!
    "Cancels a queued or running training run."
    cancelTraining(runId: ID!): TrainingRun!
    "Makes a READY model the one its product inspects with."
    activateModel(id: ID!): Model!
  }
`;
