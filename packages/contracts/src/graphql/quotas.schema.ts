export const quotasTypeDefs = /* GraphQL */ `
  "One quota of the factory: how much is in use against its limit."
  type QuotaUsage {
    used: Int!
    "null: no limit. Set by the platform operator, not by the factory (ADR 0059)."
    limit: Int
  }

  "The factory's use of its quotas; a write that would go over one fails with QUOTA_EXCEEDED."
  type FactoryUsage {
    "Images stored, every product and label together."
    storedImages: QuotaUsage!
    "Model versions queued for training or training now."
    concurrentTrainingRuns: QuotaUsage!
    "Inspections submitted in about the last minute (the quota is a token bucket: bursts up to the limit, refilled by the limit a minute)."
    inspectionsPerMinute: QuotaUsage!
  }

  extend type Query {
    "This factory's quotas and its use of them (engineers and admins)."
    factoryUsage: FactoryUsage!
  }
`;
