import { describe, expect, it } from 'vitest';
import { accumulateAccuracy, accumulateSum, argmax, countCorrect } from './metrics';

describe('metrics (CPU reference)', () => {
  it('argmax takes the first maximum', () => {
    expect(argmax([1, 3, 3, 2], 0, 4)).toBe(1);
    expect(argmax([5, 0, 1, 9], 1, 3)).toBe(2);
  });

  it('counts correct predictions and accumulates into slots', () => {
    const pred = Float32Array.from([0.1, 0.9, 0.8, 0.2, 0.5, 0.5]); // [3, 2]
    expect(countCorrect(pred, Uint32Array.from([1, 1, 0]), 2)).toBe(2);
    const acc = new Float32Array(3);
    accumulateAccuracy(acc, 2, pred, Uint32Array.from([1, 1, 0]), 2);
    accumulateSum(acc, 0, [1, 2, 3], 0.5);
    accumulateSum(acc, 0, [4]);
    expect(Array.from(acc)).toEqual([7, 0, 2]);
  });
});
