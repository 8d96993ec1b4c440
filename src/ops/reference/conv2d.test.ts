import { describe, expect, it } from 'vitest';
import { dot, finiteDiff, randomArray } from '../../../tests/util/check';
import { conv2dGeometry, type Window2D } from '../shapes';
import { conv2dForward, conv2dGradFilter, conv2dGradInput } from './conv2d';

const f64 = (a: ArrayLike<number>) => Float64Array.from(a);
const x9 = f64([1, 2, 3, 4, 5, 6, 7, 8, 9]); // [1, 3, 3, 1]

describe('conv2dForward', () => {
  it('valid 2x2 window, stride 1', () => {
    const g = conv2dGeometry([1, 3, 3, 1], [2, 2, 1, 1], { strides: [1, 1], padding: 'valid' });
    const y = conv2dForward(x9, f64([1, 2, 3, 4]), null, g, 1, 1);
    expect([...y]).toEqual([37, 47, 67, 77]);
  });

  it('same 2x2 window pads only bottom/right', () => {
    const g = conv2dGeometry([1, 3, 3, 1], [2, 2, 1, 1], { strides: [1, 1], padding: 'same' });
    const y = conv2dForward(x9, f64([1, 2, 3, 4]), null, g, 1, 1);
    expect([...y]).toEqual([37, 47, 3 + 6 * 3, 67, 77, 6 + 9 * 3, 7 + 8 * 2, 8 + 9 * 2, 9]);
  });

  it('same 3x3 window, stride 2, pads top/left by one', () => {
    const g = conv2dGeometry([1, 3, 3, 1], [3, 3, 1, 1], { strides: [2, 2], padding: 'same' });
    const y = conv2dForward(x9, new Float64Array(9).fill(1), null, g, 1, 1);
    expect([...y]).toEqual([12, 16, 24, 28]);
  });

  it('adds the bias per output channel, then the activation', () => {
    // 1x1 kernel mixing 2 input channels into 2 outputs: y = relu(x @ K + b).
    const x = f64([1, 2, -3, 1]); // [1, 1, 2, 2]
    const k = f64([1, -1, 10, 1]); // [1, 1, 2, 2]
    const g = conv2dGeometry([1, 1, 2, 2], [1, 1, 2, 2], { strides: [1, 1], padding: 'valid' });
    const y = conv2dForward(x, k, f64([0.5, -2]), g, 2, 2, 'relu');
    expect([...y]).toEqual([21.5, 0, 7.5, 2]);
  });

  it('rejects a kernel whose inC does not match the input', () => {
    expect(() => conv2dGeometry([1, 3, 3, 1], [1, 1, 2, 1], { strides: [1, 1], padding: 'valid' })).toThrow(/conv2d/);
  });
});

const cases: { x: number[]; k: number[]; p: Pick<Window2D, 'strides' | 'padding'> }[] = [
  { x: [2, 5, 4, 3], k: [3, 3, 3, 2], p: { strides: [1, 1], padding: 'same' } },
  { x: [1, 5, 6, 2], k: [2, 3, 2, 3], p: { strides: [2, 2], padding: 'same' } },
  { x: [2, 6, 5, 1], k: [3, 2, 1, 2], p: { strides: [2, 1], padding: 'valid' } },
  { x: [1, 4, 4, 2], k: [1, 1, 2, 3], p: { strides: [2, 2], padding: 'valid' } },
];

describe('conv2d gradients match finite differences', () => {
  for (const [i, { x: xs, k: ks, p }] of cases.entries()) {
    const x = f64(randomArray(xs.reduce((a, b) => a * b), 10 + i));
    const k = f64(randomArray(ks.reduce((a, b) => a * b), 20 + i));
    const g = conv2dGeometry(xs, ks, p);
    const [cin, cout] = [ks[2], ks[3]];
    const y = conv2dForward(x, k, null, g, cin, cout);
    const w = f64(randomArray(y.length, 30 + i)); // loss = dot(w, y), so dL/dy = w

    it(`input x[${xs}] k[${ks}] ${p.padding} s${p.strides}`, () => {
      const numeric = finiteDiff((xv) => dot(w, conv2dForward(xv, k, null, g, cin, cout)), x);
      const analytic = conv2dGradInput(w, k, g, cin, cout);
      analytic.forEach((v, j) => expect(v).toBeCloseTo(numeric[j], 6));
    });

    it(`filter x[${xs}] k[${ks}] ${p.padding} s${p.strides}`, () => {
      const numeric = finiteDiff((kv) => dot(w, conv2dForward(x, kv, null, g, cin, cout)), k);
      const analytic = conv2dGradFilter(x, w, g, cin, cout);
      analytic.forEach((v, j) => expect(v).toBeCloseTo(numeric[j], 6));
    });
  }
});
