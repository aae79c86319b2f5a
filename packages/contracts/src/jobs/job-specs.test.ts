import { describe, expect, it } from 'vitest';
import { jobKey, parseTrainingJob, PRIORITY } from './job-specs';

describe('job specs', () => {
  it('runs inspections before evaluations before training', () => {
    expect(PRIORITY.inspect).toBeLessThan(PRIORITY.interpolate);
    expect(PRIORITY.interpolate).toBeLessThan(PRIORITY.evaluate);
    expect(PRIORITY.evaluate).toBeLessThan(PRIORITY.train);
  });

  it('keys jobs by row, as the API does', () => {
    expect(jobKey('train', 'run1')).toBe('train:run1');
    expect(jobKey('inspect', 'i1')).toBe('inspect:i1');
  });

  it('refuses a payload without its factory id with BAD_JOB_PAYLOAD', () => {
    expect(() => parseTrainingJob({ modelId: 'm', runId: 'r' })).toThrow(expect.objectContaining({ code: 'BAD_JOB_PAYLOAD' }));
    expect(parseTrainingJob({ factoryId: 'f', modelId: 'm', runId: 'r', extra: 1 })).toEqual({ factoryId: 'f', modelId: 'm', runId: 'r' });
  });
});
