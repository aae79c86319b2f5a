import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '@gansight/storage';
import { ImageError } from '@gansight/imaging';
import { describeFailure, WorkerError } from './job-errors';
import { jobKey, parseTrainingJob, PRIORITY } from './job-specs';

describe('job specs', () => {
  it('runs inspections before evaluations before training', () => {
    expect(PRIORITY.inspect).toBeLessThan(PRIORITY.evaluate);
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

describe('describeFailure', () => {
  it('retries storage outages and gives up at once on bad input', () => {
    expect(describeFailure(new StorageUnavailableError('down'))).toMatchObject({ code: 'STORAGE_UNAVAILABLE', permanent: false });
    expect(describeFailure(new ImageError('BAD_IMAGE', 'corrupt'))).toMatchObject({ code: 'BAD_IMAGE', permanent: true });
    expect(describeFailure(new WorkerError('NOT_ENOUGH_IMAGES', 'few', true))).toMatchObject({ code: 'NOT_ENOUGH_IMAGES', permanent: true });
    expect(describeFailure(new Error('socket hang up'))).toMatchObject({ code: 'INTERNAL', permanent: false });
  });
});
