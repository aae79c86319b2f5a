export const latentInterpolationTypeDefs = /* GraphQL */ `
  """
  A latent interpolation strip between two images of a model's product (the paper's Figure 7):
  both are inverted as inspections invert them (a patch model inverts each image's centre crop
  at its working scale), and the generator draws evenly spaced points of the path between their
  latents. A smooth strip says both parts lie in one region of qualified latents.
  """
  type LatentInterpolation {
    id: ID!
    modelId: ID!
    status: RunStatus!
    "Frames along the path, the ends' reconstructions included."
    steps: Int!
    fromImage: Image!
    toImage: Image!
    "The PNG strip (real image, frames, real image), valid for 15 minutes; null until SUCCEEDED."
    url: String
    "How it was drawn: { path (spherical or linear), crops (patch models: each end's crop window at the working scale), endLosses (each end's reconstruction loss) }."
    details: JSON
    "Why it failed, as 'CODE: message'."
    error: String
    createdAt: DateTime!
    completedAt: DateTime
  }

  extend type Model {
    "Latent interpolation strips of this version, newest first (at most 20)."
    interpolations(first: Int = 5): [LatentInterpolation!]!
  }

  extend type Mutation {
    """
    Queues a latent interpolation strip of a READY model between two images of its product
    (ENGINEER). steps: 3 to 16 frames. The same images and steps already drawn or queued return
    that strip instead of queueing another.
    """
    requestInterpolation(modelId: ID!, fromImageId: ID!, toImageId: ID!, steps: Int = 8): LatentInterpolation!
  }
`;
