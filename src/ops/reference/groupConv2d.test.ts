import { describe, expect, it } from 'vitest';
import { assertClose, dot, randomArray } from '../../../tests/util/check';
import { convGeometry, type ConvPadding } from '../convGeometry';
import { geometry2D } from '../shapes';
import { conv2dForward } from './conv2d';
import { groupConv2dForward, groupConv2dGradFilter, groupConv2dGradInput } from './groupConv2d';

interface Case {
  x: number[]; // [N, H, W, C]
  k: [number, number];
  cout: number;
  strides: [number, number];
  dilation: [number, number];
  padding: ConvPadding;
  groups: number;
}

const CASES: Case[] = [
  { x: [2, 7, 6, 4], k: [3, 2], cout: 6, strides: [1, 1], dilation: [2, 3], padding: 'same', groups: 2 },
  { x: [1, 9, 8, 3], k: [2, 3], cout: 6, strides: [2, 3], dilation: [1, 1], padding: 'valid', groups: 3 },
  { x: [2, 8, 7, 2], k: [3, 3], cout: 2, strides: [1, 1], dilation: [2, 2], padding: 'valid', groups: 1 },
  { x: [1, 5, 6, 3], k: [2, 2], cout: 6, strides: [2, 2], dilation: [1, 1], padding: 'same', groups: 3 },
];

/** The independent computation: each group on its own with the plain reference conv, over a kernel with zeros between its taps. */
function byGroups(c: Case, x: Float32Array, kernel: Float32Array): Float32Array {
  const [n, h, w, cin] = c.x;
  const [cinG, coutG] = [cin / c.groups, c.cout / c.groups];
  const span = [(c.k[0] - 1) * c.dilation[0] + 1, (c.k[1] - 1) * c.dilation[1] + 1] as const;
  const g = geometry2D([n, h, w, cinG], { kernel: span, strides: c.strides, padding: c.padding as 'same' | 'valid' });
  const y = new Float32Array(n * g.outH * g.outW * c.cout);
  for (let grp = 0; grp < c.groups; grp++) {
    const xg = new Float32Array(n * h * w * cinG).map((_, i) => x[Math.floor(i / cinG) * cin + grp * cinG + (i % cinG)]);
    const kg = new Float32Array(span[0] * span[1] * cinG * coutG);
    for (let ky = 0; ky < c.k[0]; ky++) {
      for (let kx = 0; kx < c.k[1]; kx++) {
        for (let ci = 0; ci < cinG; ci++) {
          for (let co = 0; co < coutG; co++) {
            const at = ((ky * c.dilation[0] * span[1] + kx * c.dilation[1]) * cinG + ci) * coutG + co;
            kg[at] = kernel[((ky * c.k[1] + kx) * cinG + ci) * c.cout + grp * coutG + co];
          }
        }
      }
    }
    const yg = conv2dForward(xg, kg, null, g, cinG, coutG);
    yg.forEach((v, i) => (y[Math.floor(i / coutG) * c.cout + grp * coutG + (i % coutG)] = v));
  }
  return y;
}

describe('groupConv2d reference', () => {
  for (const c of CASES) {
    const label = `x [${c.x}] k ${c.k} s ${c.strides} d ${c.dilation} ${c.padding} groups ${c.groups}`;
    const g = convGeometry(c.x, { kernel: c.k, strides: c.strides, dilation: c.dilation, padding: c.padding, groups: c.groups });
    const cin = c.x[3];
    const x = randomArray(c.x.reduce((a, b) => a * b, 1), 1);
    const kernel = randomArray(c.k[0] * c.k[1] * (cin / c.groups) * c.cout, 2);
    const bias = randomArray(c.cout, 3);

    it(`forward equals each group convolved alone with a zero-dilated kernel: ${label}`, () => {
      const y = groupConv2dForward(x, kernel, bias, g, cin, c.cout);
      const expected = byGroups(c, x, kernel).map((v, i) => v + bias[i % c.cout]);
      assertClose(y, expected, { atol: 1e-5, rtol: 1e-5 }, 'forward');
    });

    it(`gradients are the forward's adjoints, <conv(x, k), dy> = <x, dx> = <k, dk>: ${label}`, () => {
      const y = groupConv2dForward(x, kernel, null, g, cin, c.cout);
      const dy = randomArray(y.length, 4);
      const lhs = dot(y, dy);
      expect(dot(x, groupConv2dGradInput(dy, kernel, g, cin, c.cout))).toBeCloseTo(lhs, 3);
      expect(dot(kernel, groupConv2dGradFilter(x, dy, g, cin, c.cout))).toBeCloseTo(lhs, 3);
    });
  }

  it("causal padding puts the whole dilated span before the sequence (Conv1D's causal)", () => {
    const g = convGeometry([1, 1, 5, 1], { kernel: [1, 2], strides: [1, 1], dilation: [1, 2], padding: 'causal', groups: 1 });
    expect([g.padLeft, g.outW]).toEqual([2, 5]);
    // y[t] = 10 x[t - 2] + x[t]
    const y = groupConv2dForward(Float32Array.of(1, 2, 3, 4, 5), Float32Array.of(10, 1), null, g, 1, 1);
    expect([...y]).toEqual([1, 2, 13, 24, 35]);
  });
});
