// The batch-size limit check the WebGPU engine runs before allocating a program's buffers.
import { describe, expect, it } from 'vitest';
import { seedCnn } from '../examples';
import { resetNameScope } from '../index';
import { BatchTooLargeError, checkBatchFits } from './batchLimit';
import { buildProgram, paramLayout } from './plan';

const SCCE = [{ kind: 'sparse_categorical_crossentropy' as const, weight: 1, accuracy: true }];

describe('checkBatchFits', () => {
  resetNameScope();
  const m = seedCnn();
  const layout = paramLayout(m);
  const program = (batch: number) => buildProgram(m, layout, { batch, training: true, losses: SCCE });
  // The seed CNN's largest batch-sized buffer: the first conv's output, 28*28*32 floats per image.
  const perImage = 28 * 28 * 32 * 4;

  it('passes a batch that fits', () => {
    expect(() => checkBatchFits(program(32), 128 << 20, 'maxStorageBufferBindingSize')).not.toThrow();
  });

  it('refuses a batch over the limit with the limit and the largest batch that fits', () => {
    const limit = 10 * perImage + 100;
    let error: unknown = null;
    try {
      checkBatchFits(program(64), limit, 'maxStorageBufferBindingSize');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BatchTooLargeError);
    expect((error as Error).message).toMatch(new RegExp(`A batch of 64 is too large for this GPU: ".*" needs ${64 * perImage} bytes, over the adapter's maxStorageBufferBindingSize of ${limit} bytes\\. The largest batch that fits is 10\\.`));
    expect((error as BatchTooLargeError).largestBatch).toBe(10);
    expect(() => checkBatchFits(program(10), limit, 'maxStorageBufferBindingSize')).not.toThrow();
    expect(() => checkBatchFits(program(11), limit, 'maxStorageBufferBindingSize')).toThrow(BatchTooLargeError);
  });

  it('says so when not even one sample fits', () => {
    expect(() => checkBatchFits(program(2), 1000, 'maxBufferSize')).toThrow(/over the adapter's maxBufferSize of 1000 bytes\. No batch size fits/);
  });
});
