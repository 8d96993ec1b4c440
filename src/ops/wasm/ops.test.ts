// The WebAssembly kernels against the readable references (ops/reference, run in float64), on
// seeded random inputs of odd sizes, with arrays both outside the kernels' memory (copied in and
// out) and inside it (used in place).
import { beforeAll, describe, expect, it } from 'vitest';
import { assertClose, randomArray } from '../../../tests/util/check';
import type { ElementwiseActivation } from '../activations';
import { ADAM_DEFAULTS } from '../optimizers';
import { avgPool2dBackward as refAvgBackward, avgPool2dForward as refAvgForward } from '../reference/avgPool2d';
import { biasGrad as refBiasGrad } from '../reference/biasGrad';
import * as ref from '../reference/conv2d';
import { activationGrad as refActivationGrad } from '../activations';
import { matmul } from '../reference/matmul';
import { maxPool2dBackward as refMaxBackward, maxPool2dForward as refMaxForward } from '../reference/maxPool2d';
import { adamUpdate, newOptimizerState, optimizerStep } from '../reference/optimizers';
import { conv2dGeometry, geometry2D, type Padding, type Window2D } from '../shapes';
import { ArenaArray } from './memory';
import { createWasmKernels, type WasmKernels } from './ops';

const TOL = { atol: 1e-5, rtol: 1e-4 };
const f64 = (a: Float32Array) => Float64Array.from(a);

let w: WasmKernels;
beforeAll(async () => {
  w = await createWasmKernels();
});

/** A copy of `a` that lives in the kernels' memory (take `.view` after the last allocation: growing detaches views). */
function inArena(a: Float32Array): ArenaArray<Float32Array> {
  const b = new ArenaArray<Float32Array>(w.arena, a.length, 'float32');
  b.view.set(a);
  return b;
}

describe('wasm gemm matches the matmul reference', () => {
  let seed = 1;
  for (const m of [1, 3, 17, 33, 70]) {
    for (const n of [1, 3, 9, 17, 100]) {
      for (const k of [1, 7, 300]) {
        for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
          const s = seed++;
          it(`m=${m} n=${n} k=${k}${transA ? ' transA' : ''}${transB ? ' transB' : ''}`, () => {
            const a = randomArray(m * k, s);
            const b = randomArray(k * n, s + 1000);
            const c = new Float32Array(m * n).fill(NaN); // overwritten, never read
            w.gemm(a, b, c, m, n, k, { transA, transB });
            assertClose(c, matmul(f64(a), f64(b), { m, n, k, transA, transB }), TOL, 'c');
          });
        }
      }
    }
  }

  it('fuses bias and every elementwise activation', () => {
    const [m, n, k] = [9, 13, 40];
    const [a, b, bias] = [randomArray(m * k, 7), randomArray(k * n, 8), randomArray(n, 9)];
    for (const activation of ['linear', 'relu', 'sigmoid', 'tanh', 'gelu', 'leaky_relu'] as const) {
      const c = new Float32Array(m * n);
      w.gemm(a, b, c, m, n, k, { bias, activation });
      assertClose(c, matmul(f64(a), f64(b), { m, n, k, bias: f64(bias), activation }), TOL, activation);
    }
  });

  it('accumulates into c, with bias and relu applied to the sum', () => {
    const [m, n, k] = [5, 7, 600]; // k spans several blocks
    const [a, b, c0] = [randomArray(m * k, 10), randomArray(k * n, 11), randomArray(m * n, 12)];
    const c = Float32Array.from(c0);
    w.gemm(a, b, c, m, n, k, { accumulate: true, bias: new Float32Array(n).fill(0.5), activation: 'relu' });
    const ab = matmul(f64(a), f64(b), { m, n, k });
    assertClose(c, ab.map((v, i) => Math.max(v + c0[i] + 0.5, 0)), TOL, 'c');
  });

  it('handles shapes past one block in every dimension, in place in the arena', () => {
    const [m, n, k] = [130, 600, 520];
    const a = inArena(randomArray(m * k, 13));
    const b = inArena(randomArray(n * k, 14));
    const c = inArena(new Float32Array(m * n));
    expect(w.arena.ptrOf(c.view)).toBeGreaterThan(0);
    w.gemm(a.view, b.view, c.view, m, n, k, { transB: true });
    assertClose(c.view, matmul(f64(a.view), f64(b.view), { m, n, k, transB: true }), TOL, 'c');
  });

  it('rejects arrays that are too small (a kernel would read or write a neighbour tensor)', () => {
    expect(() => w.gemm(new Float32Array(5), new Float32Array(6), new Float32Array(6), 2, 3, 3)).toThrow(/gemm: a has 5 elements, needs 6/);
  });
});

interface ConvCase {
  x: [number, number, number, number];
  k: [number, number, number, number];
  strides: [number, number];
  padding: Padding;
  activation?: ElementwiseActivation;
}

const convCases: ConvCase[] = [
  { x: [2, 5, 7, 1], k: [3, 3, 1, 4], strides: [1, 1], padding: 'same', activation: 'relu' },
  { x: [1, 5, 7, 3], k: [3, 3, 3, 5], strides: [2, 2], padding: 'same', activation: 'tanh' },
  { x: [3, 7, 5, 3], k: [2, 3, 3, 2], strides: [2, 1], padding: 'valid' },
  { x: [2, 6, 6, 2], k: [1, 1, 2, 3], strides: [1, 1], padding: 'valid', activation: 'sigmoid' }, // pointwise
  { x: [1, 8, 8, 2], k: [1, 1, 2, 3], strides: [2, 2], padding: 'same' },
  { x: [2, 4, 4, 1], k: [5, 5, 1, 3], strides: [1, 1], padding: 'same' }, // window wider than the image
  { x: [2, 5, 6, 3], k: [2, 4, 3, 4], strides: [1, 1], padding: 'same' }, // even window: padding uneven
  { x: [1, 6, 7, 2], k: [3, 2, 2, 3], strides: [1, 1], padding: 'valid' },
  { x: [8, 14, 14, 32], k: [3, 3, 32, 17], strides: [1, 1], padding: 'same', activation: 'relu' }, // several chunks
  { x: [6, 28, 28, 1], k: [3, 3, 1, 8], strides: [1, 1], padding: 'same' }, // five filter-gradient chunks
];

describe('wasm conv2d matches the reference', () => {
  for (const [i, c] of convCases.entries()) {
    const label = `x[${c.x}] k[${c.k}] s${c.strides} ${c.padding}`;
    const g = conv2dGeometry(c.x, c.k, c);
    const [cin, cout] = [c.k[2], c.k[3]];
    const x = randomArray(c.x.reduce((a, b) => a * b), 10 + i);
    const wt = randomArray(c.k.reduce((a, b) => a * b), 20 + i);
    const bias = randomArray(cout, 30 + i);
    const ySize = g.batch * g.outH * g.outW * cout;
    const dy = randomArray(ySize, 40 + i);

    it(`forward ${label}`, () => {
      const y = new Float32Array(ySize);
      w.conv2dForward(x, wt, bias, y, g, cin, cout, c.activation);
      assertClose(y, ref.conv2dForward(f64(x), f64(wt), f64(bias), g, cin, cout, c.activation), TOL, 'y');
    });

    it(`grad input ${label}`, () => {
      const dx = inArena(new Float32Array(x.length).fill(NaN));
      const dyIn = inArena(dy);
      w.conv2dGradInput(dyIn.view, wt, dx.view, g, cin, cout);
      assertClose(dx.view, ref.conv2dGradInput(f64(dy), f64(wt), g, cin, cout), TOL, 'dx');
    });

    it(`grad filter ${label}`, () => {
      const dw = new Float32Array(wt.length).fill(NaN);
      w.conv2dGradFilter(x, dy, dw, g, cin, cout);
      assertClose(dw, ref.conv2dGradFilter(f64(x), f64(dy), g, cin, cout), TOL, 'dw');
    });
  }
});

const poolCases: { x: [number, number, number, number]; p: Window2D }[] = [
  { x: [2, 28, 28, 8], p: { kernel: [2, 2], strides: [2, 2], padding: 'valid' } }, // SIMD channels
  { x: [2, 5, 7, 3], p: { kernel: [2, 2], strides: [2, 2], padding: 'valid' } },
  { x: [2, 5, 7, 6], p: { kernel: [2, 2], strides: [2, 2], padding: 'same' } }, // 4 SIMD + 2 scalar channels
  { x: [1, 7, 5, 2], p: { kernel: [3, 3], strides: [2, 2], padding: 'same' } },
  { x: [1, 7, 5, 1], p: { kernel: [3, 2], strides: [1, 2], padding: 'valid' } },
  { x: [3, 4, 6, 4], p: { kernel: [3, 3], strides: [1, 1], padding: 'same' } }, // overlapping windows
];

/** Distinct values so max pooling has no ties. */
const distinct = (n: number, seed: number) => randomArray(n, seed).map((v, i) => v + i * 1e-3);

describe('wasm pooling matches the reference', () => {
  for (const [i, { x: xs, p }] of poolCases.entries()) {
    const label = `x[${xs}] pool${p.kernel} s${p.strides} ${p.padding}`;
    const g = geometry2D(xs, p);
    const c = xs[3];
    const n = xs[0] * xs[1] * xs[2] * c;
    const x = distinct(n, 50 + i);
    const ySize = g.batch * g.outH * g.outW * c;
    const dy = randomArray(ySize, 60 + i);

    it(`max ${label}, forward and backward`, () => {
      const y = new Float32Array(ySize);
      const argmax = new Uint32Array(ySize);
      w.maxPool2dForward(x, y, argmax, g, c);
      const expected = refMaxForward(x, g, c);
      expect(Array.from(y)).toEqual(Array.from(expected.y));
      expect(Array.from(argmax)).toEqual(Array.from(expected.argmax));
      const dx = new Float32Array(n).fill(NaN);
      w.maxPool2dBackward(dy, argmax, dx, n);
      assertClose(dx, refMaxBackward(dy, expected.argmax, g, c), TOL, 'dx');
    });

    it(`average ${label}, forward and backward`, () => {
      const y = new Float32Array(ySize);
      w.avgPool2dForward(x, y, g, c);
      assertClose(y, refAvgForward(x, g, c), TOL, 'y');
      const dx = new Float32Array(n).fill(NaN);
      w.avgPool2dBackward(dy, dx, g, c);
      assertClose(dx, refAvgBackward(dy, g, c), TOL, 'dx');
    });
  }

  it('max pooling keeps the first maximum of a tie, in window order', () => {
    const g = geometry2D([1, 2, 2, 5], { kernel: [2, 2], strides: [2, 2], padding: 'valid' });
    const x = new Float32Array(20).fill(1);
    const [y, argmax] = [new Float32Array(5), new Uint32Array(5)];
    w.maxPool2dForward(x, y, argmax, g, 5);
    expect(Array.from(argmax)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('wasm elementwise ops match the reference', () => {
  it('activation gradients (relu in the kernel, the others in JavaScript), odd length', () => {
    const n = 1003;
    const [dy, y] = [randomArray(n, 70), randomArray(n, 71)];
    for (const kind of ['relu', 'sigmoid', 'tanh', 'linear'] as const) {
      const dx = new Float32Array(n).fill(NaN);
      w.activationGrad(dy, y, dx, kind);
      assertClose(dx, Array.from(dy, (v, i) => v * refActivationGrad(y[i], kind)), { atol: 0, rtol: 1e-6 }, kind);
    }
  });

  it('bias gradient over [rows, channels], odd channel counts: the float64 sum in row order, rounded once', () => {
    // Blocks of 16, 4 and 1 channels: 20 = 16 + 4, 130 = 8 * 16 + 2.
    for (const [rows, channels] of [[1, 1], [37, 5], [200, 64], [9, 130], [33, 20]]) {
      const dy = randomArray(rows * channels, rows + channels);
      const db = new Float32Array(channels).fill(NaN);
      w.biasGrad(dy, db, channels);
      expect(Array.from(db), `${rows}x${channels}`).toEqual(Array.from(refBiasGrad(Float64Array.from(dy), channels), Math.fround));
    }
  });

  it('Adam updates weights and slots bit for bit as the reference, over three steps', () => {
    const n = 1031;
    const c = { ...ADAM_DEFAULTS, learningRate: 0.01 };
    const [w0, s0] = [randomArray(n, 80), new Float32Array(2 * n)];
    const [wRef, sRef] = [Float32Array.from(w0), Float32Array.from(s0)];
    const [wW, sW] = [inArena(w0), inArena(s0)];
    const [stRef, stW] = [newOptimizerState(), newOptimizerState()];
    for (let step = 0; step < 3; step++) {
      const g = randomArray(n, 90 + step);
      optimizerStep(stRef, c);
      adamUpdate(wRef, g, sRef, stRef, c);
      optimizerStep(stW, c);
      w.adamUpdate(wW.view, g, sW.view, stW.alpha, c);
    }
    expect(Array.from(wW.view)).toEqual(Array.from(wRef));
    expect(Array.from(sW.view)).toEqual(Array.from(sRef));
  });
});

describe('the shared-memory build behind the same ops', () => {
  it('computes a conv forward and a gemm on a SharedArrayBuffer-backed memory, growing it', async () => {
    const shared = await createWasmKernels('shared');
    expect(shared.arena.buffer).toBeInstanceOf(SharedArrayBuffer);
    const c = convCases[6];
    const g = conv2dGeometry(c.x, c.k, c);
    const [cin, cout] = [c.k[2], c.k[3]];
    const x = randomArray(c.x.reduce((a, b) => a * b), 100);
    const wt = randomArray(c.k.reduce((a, b) => a * b), 101);
    const y = new Float32Array(g.batch * g.outH * g.outW * cout);
    shared.conv2dForward(x, wt, null, y, g, cin, cout, 'relu');
    assertClose(y, ref.conv2dForward(f64(x), f64(wt), null, g, cin, cout, 'relu'), TOL, 'y');
    const [m, n, k] = [33, 17, 300];
    const [a, b, out] = [randomArray(m * k, 102), randomArray(k * n, 103), new Float32Array(m * n)];
    shared.gemm(a, b, out, m, n, k, { transA: true });
    assertClose(out, matmul(f64(a), f64(b), { m, n, k, transA: true }), TOL, 'c');
  });
});
