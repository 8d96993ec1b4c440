import { describe, expect, it } from 'vitest';
import { embeddingForward, embeddingGrad } from './embedding';

// table [3, 2]: row r is (10 r, 10 r + 1)
const table = Float32Array.of(0, 1, 10, 11, 20, 21);

describe('embedding reference', () => {
  it('reads the row of each id (truncated like a cast to int32); ids outside the table read zeros', () => {
    const y = embeddingForward(Float32Array.of(2, 0, 1.9, -1, 3, 1), table, 2);
    expect([...y]).toEqual([20, 21, 0, 1, 10, 11, 0, 0, 0, 0, 10, 11]);
  });

  it('adds each row of dy into the row its id read; repeated ids sum, outside ids are dropped', () => {
    const dy = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    const dt = embeddingGrad(Float32Array.of(2, 0, 2, 7, 0), dy, 3, 2);
    expect([...dt]).toEqual([3 + 9, 4 + 10, 0, 0, 1 + 5, 2 + 6]);
  });
});
