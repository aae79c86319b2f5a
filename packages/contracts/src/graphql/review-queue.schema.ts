export const reviewQueueTypeDefs = /* GraphQL */ `
  extend type Query {
    """
    Judged inspections nobody reviewed yet, closest to the threshold first (normalised score
    nearest 0.5): the verdicts most worth a person's look. At most 'first' (1-100).
    """
    reviewQueue(productId: ID, first: Int = 20): [Inspection!]!
  }
`;
