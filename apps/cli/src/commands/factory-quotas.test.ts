import { describe, expect, it } from 'vitest';
import { parseQuotaFlags } from './factory-quotas';

describe('parseQuotaFlags', () => {
  it('takes whole numbers (0: no limit) and "default", and names each bad flag', () => {
    expect(parseQuotaFlags({ maxStoredImages: '20', maxInspectionsPerMinute: '0', maxConcurrentTrainingRuns: 'default' })).toEqual({
      patch: { maxStoredImages: 20, maxInspectionsPerMinute: 0, maxConcurrentTrainingRuns: null },
      problems: [],
    });
    expect(parseQuotaFlags({ maxConcurrentTrainingRuns: '-3', maxStoredImages: '1.5' }).problems).toEqual([
      '--max-stored-images must be a whole number (0: no limit) or "default", got "1.5"',
      '--max-concurrent-training-runs must be a whole number (0: no limit) or "default", got "-3"',
    ]);
    expect(parseQuotaFlags({ maxStoredImages: '3000000000' }).problems).toHaveLength(1);
  });
});
