import { describe, expect, it } from 'vitest';
import { assertClose } from '../../../tests/util/check';
import { softmax } from './softmax';

describe('softmax (CPU reference)', () => {
  it('normalises each row', () => {
    const y = softmax(Float64Array.from([0, Math.log(3), 5, 5]), 2);
    assertClose(y, [0.25, 0.75, 0.5, 0.5], { atol: 1e-12, rtol: 0 }, 'softmax');
  });

  it('is stable for large logits', () => {
    const y = softmax(Float32Array.from([1000, 1000 + Math.log(3)]), 2);
    expect(Array.from(y).every(Number.isFinite)).toBe(true);
    assertClose(y, [0.25, 0.75], { atol: 1e-4, rtol: 0 }, 'large'); // 1000 + ln 3 rounds in float32
  });
});
