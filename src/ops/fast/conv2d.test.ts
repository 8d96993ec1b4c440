import { describe, it } from 'vitest';
import { assertClose, randomArray } from '../../../tests/util/check';
import * as ref from '../reference/conv2d';
import type { ElementwiseActivation } from '../activations';
import { conv2dGeometry, type Padding } from '../shapes';
import { conv2dForward, conv2dGradFilter, conv2dGradInput, ConvScratch } from './conv2d';

const TOL = { atol: 1e-5, rtol: 1e-4 };
/** The reference runs in float64, so the comparison measures only the fast kernel's rounding. */
const f64 = (a: Float32Array) => Float64Array.from(a);

interface Case {
  x: [number, number, number, number];
  k: [number, number, number, number];
  strides: [number, number];
  padding: Padding;
  activation?: ElementwiseActivation;
}

const cases: Case[] = [
  { x: [2, 5, 7, 1], k: [3, 3, 1, 4], strides: [1, 1], padding: 'same', activation: 'relu' },
  { x: [1, 5, 7, 3], k: [3, 3, 3, 5], strides: [2, 2], padding: 'same', activation: 'tanh' },
  { x: [3, 7, 5, 3], k: [2, 3, 3, 2], strides: [2, 1], padding: 'valid' },
  { x: [2, 6, 6, 2], k: [1, 1, 2, 3], strides: [1, 1], padding: 'valid', activation: 'sigmoid' }, // pointwise path
  { x: [1, 8, 8, 2], k: [1, 1, 2, 3], strides: [2, 2], padding: 'same' },
  { x: [2, 4, 4, 1], k: [5, 5, 1, 3], strides: [1, 1], padding: 'same' }, // window wider than the image
  { x: [4, 14, 14, 32], k: [3, 3, 32, 17], strides: [1, 1], padding: 'same', activation: 'relu' }, // several chunks
];

describe('fast conv2d matches the reference', () => {
  for (const [i, c] of cases.entries()) {
    const label = `x[${c.x}] k[${c.k}] s${c.strides} ${c.padding}`;
    const g = conv2dGeometry(c.x, c.k, c);
    const [cin, cout] = [c.k[2], c.k[3]];
    const x = randomArray(c.x.reduce((a, b) => a * b), 10 + i);
    const w = randomArray(c.k.reduce((a, b) => a * b), 20 + i);
    const bias = randomArray(cout, 30 + i);
    const ySize = g.batch * g.outH * g.outW * cout;
    const dy = randomArray(ySize, 40 + i);
    const scratch = new ConvScratch();

    it(`forward ${label}`, () => {
      const y = new Float32Array(ySize);
      conv2dForward(x, w, bias, y, g, cin, cout, c.activation, scratch);
      assertClose(y, ref.conv2dForward(f64(x), f64(w), f64(bias), g, cin, cout, c.activation), TOL, 'y');
    });

    it(`grad input ${label}`, () => {
      const dx = new Float32Array(x.length).fill(NaN);
      conv2dGradInput(dy, w, dx, g, cin, cout, scratch);
      assertClose(dx, ref.conv2dGradInput(f64(dy), f64(w), g, cin, cout), TOL, 'dx');
    });

    it(`grad filter ${label}, and accumulate`, () => {
      const dw = new Float32Array(w.length).fill(NaN);
      conv2dGradFilter(x, dy, dw, g, cin, cout, false, scratch);
      const expected = ref.conv2dGradFilter(f64(x), f64(dy), g, cin, cout);
      assertClose(dw, expected, TOL, 'dw');
      conv2dGradFilter(x, dy, dw, g, cin, cout, true, scratch);
      assertClose(dw, expected.map((v) => 2 * v), TOL, 'dw accumulated');
    });
  }
});
