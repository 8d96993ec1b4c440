import { describe, expect, it } from 'vitest';
import { assertClose, randomArray } from '../../../tests/util/check';
import { avgPool2dBackward as refAvgBackward, avgPool2dForward as refAvgForward } from '../reference/avgPool2d';
import { maxPool2dBackward as refMaxBackward, maxPool2dForward as refMaxForward } from '../reference/maxPool2d';
import { geometry2D, type Window2D } from '../shapes';
import { avgPool2dBackward, avgPool2dForward, maxPool2dBackward, maxPool2dForward } from './pool';

const TOL = { atol: 1e-6, rtol: 1e-5 };

const cases: { x: [number, number, number, number]; p: Window2D }[] = [
  { x: [2, 28, 28, 3], p: { kernel: [2, 2], strides: [2, 2], padding: 'valid' } }, // the 2x2 fast path
  { x: [2, 5, 7, 3], p: { kernel: [2, 2], strides: [2, 2], padding: 'valid' } }, // fast path, odd size
  { x: [2, 5, 7, 3], p: { kernel: [2, 2], strides: [2, 2], padding: 'same' } }, // padded last row/column
  { x: [1, 7, 5, 2], p: { kernel: [3, 3], strides: [2, 2], padding: 'same' } },
  { x: [1, 7, 5, 1], p: { kernel: [3, 2], strides: [1, 2], padding: 'valid' } },
  { x: [3, 4, 6, 4], p: { kernel: [3, 3], strides: [1, 1], padding: 'same' } }, // overlapping windows
];

/** Distinct values so max pooling has no ties (the tie rule is tested on its own). */
function distinct(n: number, seed: number): Float32Array {
  const r = randomArray(n, seed);
  return r.map((v, i) => v + i * 1e-3);
}

describe('fast pooling matches the reference', () => {
  for (const [i, { x: xs, p }] of cases.entries()) {
    const label = `x[${xs}] pool${p.kernel} s${p.strides} ${p.padding}`;
    const g = geometry2D(xs, p);
    const c = xs[3];
    const n = xs[0] * xs[1] * xs[2] * c;
    const x = distinct(n, 50 + i);
    const ySize = g.batch * g.outH * g.outW * c;
    const dy = randomArray(ySize, 60 + i);

    it(`max ${label}`, () => {
      const y = new Float32Array(ySize);
      const argmax = new Uint32Array(ySize);
      maxPool2dForward(x, y, argmax, g, c);
      const expected = refMaxForward(x, g, c);
      assertClose(y, expected.y, TOL, 'y');
      expect(Array.from(argmax)).toEqual(Array.from(expected.argmax));
      const dx = new Float32Array(n).fill(NaN);
      maxPool2dBackward(dy, argmax, dx, n);
      assertClose(dx, refMaxBackward(dy, expected.argmax, g, c), TOL, 'dx');
    });

    it(`avg ${label}`, () => {
      const y = new Float32Array(ySize).fill(NaN);
      avgPool2dForward(x, y, g, c);
      assertClose(y, refAvgForward(x, g, c), TOL, 'y');
      const dx = new Float32Array(n).fill(NaN);
      avgPool2dBackward(dy, dx, g, c);
      assertClose(dx, refAvgBackward(dy, g, c), TOL, 'dx');
    });
  }

  it('max ties: the first cell in window order wins, on both paths', () => {
    const x = new Float32Array(16).fill(1); // [1, 4, 4, 1], all equal
    for (const p of [
      { kernel: [2, 2], strides: [2, 2], padding: 'valid' },
      { kernel: [3, 3], strides: [2, 2], padding: 'same' },
    ] as Window2D[]) {
      const g = geometry2D([1, 4, 4, 1], p);
      const y = new Float32Array(g.outH * g.outW);
      const argmax = new Uint32Array(y.length);
      maxPool2dForward(x, y, argmax, g, 1);
      expect(Array.from(argmax)).toEqual(Array.from(refMaxForward(x, g, 1).argmax));
    }
  });
});
