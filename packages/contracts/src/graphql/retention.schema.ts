export const retentionTypeDefs = /* GraphQL */ `
  extend type Factory {
    """
    Inspections older than this many days are deleted, with their pictures and the line images
    only they used, by an hourly job; images in the dataset (a label or split), lots and models
    stay (ADR 0058). Null: inspections are kept forever.
    """
    inspectionRetentionDays: Int
  }

  extend type Mutation {
    "ADMIN: how many days (1-3650) the factory keeps its inspections; null keeps them forever."
    setInspectionRetention(days: Int): Factory!
  }
`;
