import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '@gansight/storage';
import { ImageError } from '@gansight/imaging';
import { describeFailure, WorkerError } from './job-errors';

describe('describeFailure', () => {
  it('retries storage outages and gives up at once on bad input', () => {
    expect(describeFailure(new StorageUnavailableError('down'))).toMatchObject({ code: 'STORAGE_UNAVAILABLE', permanent: false });
    expect(describeFailure(new ImageError('BAD_IMAGE', 'corrupt'))).toMatchObject({ code: 'BAD_IMAGE', permanent: true });
    expect(describeFailure(new WorkerError('NOT_ENOUGH_IMAGES', 'few', true))).toMatchObject({ code: 'NOT_ENOUGH_IMAGES', permanent: true });
    expect(describeFailure(new Error('socket hang up'))).toMatchObject({ code: 'INTERNAL', permanent: false });
  });
});
