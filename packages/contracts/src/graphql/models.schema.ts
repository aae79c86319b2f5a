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
    "ML backends a worker must run to take this run (TRAINING_BACKENDS when it was started, e.g. tensorflow-gpu); empty: any worker."
    backends: [String!]!
    "While QUEUED with no live worker that can take it, what it waits for (e.g. 'waiting for a worker with backend tensorflow-gpu'); null otherwise. The run stays queued, never failed, until one registers."
    waitingFor: String
    startedAt: DateTime
    finishedAt: DateTime
    createdAt: DateTime!
  }

  "A model version measured on the product's labelled TEST images, beside three baselines."
  type Evaluation {
    id: ID!
    modelId: ID!
    status: RunStatus!
    "AUROC (combined score), confusion counts, F1, accuracy, precision, recall at the calibrated threshold, AUROC per score kind, counts, skipped images."
    metrics: JSON
    "The unsupervised baselines fitted on the model's QUALIFIED TRAIN images, by name (gmm, ocsvm, lof): { auroc, metrics, detection }."
    baselines: JSON
    "Per defect type id ('good' for qualified images): { name, count, detectionRate, auroc, frechet, baselines }."
    perDefect: JSON
    "Why it failed, as 'CODE: message' (e.g. NO_TEST_IMAGES); a failed evaluation stores no figures."
    error: String
    createdAt: DateTime!
    completedAt: DateTime
  }

  enum ModelPictureKind {
    "A grid of generated samples at one training step."
    SAMPLES
    "t-SNE of generated (orange) vs real (blue) images, from the generator check after training."
    TSNE
  }

  "A picture of a model's card, stored with the model."
  type ModelPicture {
    kind: ModelPictureKind!
    "The training step a sample grid shows; null for pictures of the finished model."
    step: Int
    "Unique within the model and stable, e.g. samples-step-0000100 or tsne."
    name: String!
    "A URL to GET the PNG from, valid for 15 minutes; every query signs a fresh one."
    url: String!
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
    "Training metrics: generator Frechet distance, t-SNE points, ... (storage keys in it are not URLs: see pictures)."
    metrics: JSON
    "The model's pictures with fresh URLs: sample grids by step, then the t-SNE plot; filtered by kind when given."
    pictures(kind: ModelPictureKind): [ModelPicture!]!
    error: String
    createdAt: DateTime!
    trainedAt: DateTime
    "Training runs of this version, newest first (a retrained or resumed version has several)."
    trainingRuns(first: Int = 20, after: String): TrainingRunConnection!
    "Evaluations of this version, newest first."
    evaluations(first: Int = 20, after: String): EvaluationConnection!
  }

  type TrainingRunEdge {
    node: TrainingRun!
    cursor: String!
  }
  type TrainingRunConnection {
    edges: [TrainingRunEdge!]!
    pageInfo: PageInfo!
  }
  type EvaluationEdge {
    node: Evaluation!
    cursor: String!
  }
  type EvaluationConnection {
    edges: [EvaluationEdge!]!
    pageInfo: PageInfo!
  }

  type ModelEdge {
    node: Model!
    cursor: String!
  }
  type ModelConnection {
    edges: [ModelEdge!]!
    pageInfo: PageInfo!
  }

  type StartedTraining {
    model: Model!
    run: TrainingRun!
  }

  extend type Query {
    "A product's model versions, newest first."
    models(productId: ID!, first: Int = 20, after: String): ModelConnection!
    model(id: ID!): Model!
    trainingRun(id: ID!): TrainingRun!
  }

  extend type Mutation {
    "Queues training of the product's next model version from a preset, optionally overriding hyper-parameters."
    startTraining(productId: ID!, preset: TrainingPreset, hyperParameters: JSON): StartedTraining!
    "Cancels a queued or running training run."
    cancelTraining(runId: ID!): TrainingRun!
    "Queues an evaluation of a READY model on its product's labelled TEST images (one at a time per model)."
    startEvaluation(modelId: ID!): Evaluation!
    "Makes a READY model the one its product inspects with."
    activateModel(id: ID!): Model!
  }
`;
