// The wasm ops on a pool of 3 threads against the same ops on one thread (plain build; ops.test.ts
// checks that one against the references): every split op must give the very same bytes, since
// each thread owns whole rows / images / channels / elements and no sum changes order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conv2dGeometry, geometry2D } from '../shapes';
import { rng } from '../../../tests/util/check';
import { createWasmKernels, type WasmKernels } from './ops';

function randomArray(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
}

let one: WasmKernels;
let three: WasmKernels;
beforeAll(async () => {
  one = await createWasmKernels('plain');
  three = await createWasmKernels('shared', 3);
});
afterAll(async () => {
  await three.close();
});

/** Runs fn on both kernel sets with fresh copies of `inputs` and `outputs` (zeroed), returns both outputs. */
function both(outputs: number[], fn: (w: WasmKernels, out: Float32Array[]) => void): Float32Array[][] {
  return [one, three].map((w) => {
    const out = outputs.map((n) => new Float32Array(n));
    fn(w, out);
    return out;
  });
}

function expectSame([a, b]: Float32Array[][], what: string): void {
  a.forEach((x, i) => {
    expect(x.some((v) => v !== 0), `${what}: output ${i} is all zero`).toBe(true);
    expect(Buffer.from(b[i].buffer).equals(Buffer.from(x.buffer)), `${what}: output ${i} differs on 3 threads`).toBe(true);
  });
}

describe('wasm ops on 3 threads give the bytes of 1 thread', () => {
  it('runs on 3 threads', () => expect(three.threads).toBe(3));

  for (const [transA, transB] of [[false, false], [true, false], [false, true]]) {
    it(`gemm transA=${transA} transB=${transB}, bias + relu, 203 rows`, () => {
      const [m, n, k] = [203, 37, 150];
      const a = randomArray(m * k, 1), b = randomArray(k * n, 2), bias = randomArray(n, 3);
      expectSame(both([m * n], (w, [c]) => w.gemm(a, b, c, m, n, k, { transA, transB, bias, activation: 'relu' })), 'gemm');
      expectSame(both([m * n], (w, [c]) => { c.fill(0.5); w.gemm(a, b, c, m, n, k, { transA, transB, accumulate: true, activation: 'tanh' }); }), 'gemm accumulate');
    });

    it(`gemm transA=${transA} transB=${transB}, 32 rows: split by columns`, () => {
      const [m, n, k] = [32, 203, 150];
      const a = randomArray(m * k, 11), b = randomArray(k * n, 12), bias = randomArray(n, 13);
      expectSame(both([m * n], (w, [c]) => w.gemm(a, b, c, m, n, k, { transA, transB, bias, activation: 'relu' })), 'gemm');
      expectSame(both([m * n], (w, [c]) => { c.fill(0.5); w.gemm(a, b, c, m, n, k, { transA, transB, accumulate: true }); }), 'gemm accumulate');
    });
  }

  for (const c of [
    { x: [5, 11, 9, 3], k: [3, 3, 3, 7], strides: [2, 2] as [number, number], padding: 'same' as const },
    { x: [4, 14, 14, 32], k: [3, 3, 32, 17], strides: [1, 1] as [number, number], padding: 'valid' as const },
    // Several filter-gradient chunks (4,704 rows of 1,024): partial sums from every thread.
    { x: [6, 28, 28, 1], k: [3, 3, 1, 8], strides: [1, 1] as [number, number], padding: 'same' as const },
  ]) {
    it(`conv2d forward and gradients x[${c.x}] k[${c.k}] ${c.padding}`, () => {
      const g = conv2dGeometry(c.x, c.k, c);
      const [cin, cout] = [c.k[2], c.k[3]];
      const x = randomArray(c.x.reduce((p, q) => p * q), 4), wt = randomArray(c.k.reduce((p, q) => p * q), 5), bias = randomArray(cout, 6);
      const ySize = g.batch * g.outH * g.outW * cout;
      const dy = randomArray(ySize, 7);
      expectSame(both([ySize], (w, [y]) => w.conv2dForward(x, wt, bias, y, g, cin, cout, 'relu')), 'forward');
      expectSame(both([x.length], (w, [dx]) => w.conv2dGradInput(dy, wt, dx, g, cin, cout)), 'grad input');
      expectSame(both([wt.length], (w, [dw]) => w.conv2dGradFilter(x, dy, dw, g, cin, cout)), 'grad filter');
    });
  }

  it('pooling forward and backward (disjoint and overlapping windows), bias and relu gradients, Adam', () => {
    const xs = [16, 32, 32, 24]; // large enough that every op here is split over the 3 threads
    const n = xs.reduce((p, q) => p * q);
    const x = randomArray(n, 8).map((v, i) => v + i * 1e-3);
    for (const p of [{ kernel: [2, 2], strides: [2, 2], padding: 'valid' }, { kernel: [3, 3], strides: [1, 1], padding: 'same' }] as const) {
      const g = geometry2D(xs, { kernel: [...p.kernel], strides: [...p.strides], padding: p.padding });
      const size = g.batch * g.outH * g.outW * xs[3];
      const dy = randomArray(size, 9);
      const disjoint = p.strides[0] >= p.kernel[0];
      expectSame(both([size, size, n], (w, [y, am, dx]) => {
        const argmax = new Uint32Array(size);
        w.maxPool2dForward(x, y, argmax, g, xs[3]);
        am.set(argmax);
        w.maxPool2dBackward(dy, argmax, dx, n, disjoint);
      }), `max pool ${p.kernel}`);
      expectSame(both([size, n], (w, [y, dx]) => {
        w.avgPool2dForward(x, y, g, xs[3]);
        w.avgPool2dBackward(dy, dx, g, xs[3]);
      }), `avg pool ${p.kernel}`);
    }
    const y = randomArray(n, 10), dy = randomArray(n, 11);
    expectSame(both([n], (w, [dx]) => w.activationGrad(dy, y, dx, 'relu')), 'relu grad');
    expectSame(both([13], (w, [db]) => w.biasGrad(dy.subarray(0, 13 * 30_000), db, 13)), 'bias grad');
    const g = randomArray(100_003, 12);
    expectSame(both([100_003, 200_006], (w, [wt, slots]) => {
      wt.set(randomArray(100_003, 13));
      w.adamUpdate(wt, g, slots, 1e-3, { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    }), 'adam');
  });
});
