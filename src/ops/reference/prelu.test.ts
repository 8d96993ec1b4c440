// PReLU's reference against an independent computation: nested loops over [N, H, W, C] with
// alpha indexed by hand for each sharing of axes, and finite differences for both gradients.
import { describe, it } from 'vitest';
import { assertClose, dot, finiteDiff, randomArray } from '../../../tests/util/check';
import { prelu, preluGradAlpha, preluGradInput, type PreluGeometry } from './prelu';

const [N, H, W, C] = [2, 3, 4, 5];

// [label, shared (h, w, c), geometry]
const cases: [string, [boolean, boolean, boolean], PreluGeometry][] = [
  ['no shared axes', [false, false, false], { features: [H, W, C], alphaStrides: [W * C, C, 1] }],
  ['shared_axes [1, 2] (one alpha per channel)', [true, true, false], { features: [H, W, C], alphaStrides: [0, 0, 1] }],
  ['shared_axes [3]', [false, false, true], { features: [H, W, C], alphaStrides: [W, 1, 0] }],
];

describe('prelu (CPU reference)', () => {
  for (const [label, [sh, sw, sc], g] of cases) {
    const dims = [sh ? 1 : H, sw ? 1 : W, sc ? 1 : C];
    const alphaSize = dims[0] * dims[1] * dims[2];
    const alpha = Float64Array.from(randomArray(alphaSize, 5));
    const x = Float64Array.from(randomArray(N * H * W * C, 6));

    it(`${label}: y matches nested loops`, () => {
      const expected: number[] = [];
      for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) {
        const v = x[((n * H + h) * W + w) * C + c];
        const a = alpha[((sh ? 0 : h) * dims[1] + (sw ? 0 : w)) * dims[2] + (sc ? 0 : c)];
        expected.push(v > 0 ? v : a * v);
      }
      assertClose(prelu(x, alpha, g), expected, { atol: 0, rtol: 0 }, 'y');
    });

    it(`${label}: gradients for x and alpha match finite differences`, () => {
      const wts = Float64Array.from(randomArray(x.length, 7));
      const dxNumeric = finiteDiff((xx) => dot(wts, prelu(xx, alpha, g)), x, 1e-6);
      assertClose(preluGradInput(wts, x, alpha, g), dxNumeric, { atol: 1e-8, rtol: 1e-6 }, 'dx');
      const daNumeric = finiteDiff((aa) => dot(wts, prelu(x, aa, g)), alpha, 1e-6);
      assertClose(preluGradAlpha(wts, x, alphaSize, g), daNumeric, { atol: 1e-8, rtol: 1e-6 }, 'dalpha');
    });
  }
});
