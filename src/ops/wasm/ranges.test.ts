// Every kernel a thread pool may split, called on its range cut into 1, 2 and 3 parts, must give
// bit for bit the result of one call over the whole range (each part is what one thread would
// run), in both builds: the plain-memory one and the shared-memory one the pool instantiates.
import { describe, expect, it } from 'vitest';
import { randomArray } from '../../../tests/util/check';
import { conv2dGeometry, geometry2D } from '../shapes';
import { instantiateKernels, newKernelMemory, type KernelBuild, type KernelExports } from './kernels';
import { WasmArena } from './memory';

/** [start, end) cut into `parts` ranges as a pool would (uneven sizes on purpose). */
function split(start: number, end: number, parts: number): [number, number][] {
  const out: [number, number][] = [];
  for (let p = 0; p < parts; p++) out.push([start + Math.floor(((end - start) * p) / parts), start + Math.floor(((end - start) * (p + 1)) / parts)]);
  return out;
}

/** Runs `fill` (writes inputs), then `run(range)` once whole and in 2 and 3 parts; returns the output bytes of each. */
async function check(build: KernelBuild, bytes: { inputs: number[]; outputs: number[] }, total: number, fill: (a: WasmArena, p: number[]) => void, run: (k: KernelExports, p: number[], s: number, e: number) => void): Promise<void> {
  const memory = newKernelMemory(build);
  const arena = new WasmArena(memory);
  const k = await instantiateKernels(memory, build);
  const scratch = arena.alloc(k.gemmScratchBytes());
  const ins = bytes.inputs.map((b) => arena.alloc(b));
  const outs = bytes.outputs.map((b) => arena.alloc(b));
  const p = [...ins, ...outs, scratch];
  const results: Uint8Array[][] = [];
  for (const parts of [1, 2, 3]) {
    fill(arena, p);
    for (const [s, e] of split(0, total, parts)) run(k, p, s, e);
    results.push(outs.map((at, i) => new Uint8Array(arena.buffer, at, bytes.outputs[i]).slice()));
  }
  expect(results[1]).toEqual(results[0]);
  expect(results[2]).toEqual(results[0]);
}

function put(a: WasmArena, at: number, values: Float32Array): void {
  a.f32(at, values.length).set(values);
}

for (const build of ['plain', 'shared'] as const) {
  describe(`${build} build: kernels split by range give one call's result`, () => {
    it('gemm by rows of C, every transpose, with the bias/relu epilogue', async () => {
      const [m, n, k] = [67, 37, 300];
      for (const [tA, tB] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        await check(build, { inputs: [m * k * 4, k * n * 4, n * 4], outputs: [m * n * 4] }, m, (a, p) => {
          put(a, p[0], randomArray(m * k, 1));
          put(a, p[1], randomArray(k * n, 2));
          put(a, p[2], randomArray(n, 3));
          put(a, p[3], randomArray(m * n, 4)); // accumulated into
        }, (kx, p, s, e) => {
          kx.gemm(p[0], p[1], p[3], m, n, k, tA, tB, 1, s, e, p[4]);
          kx.biasActivation(p[3], n, p[2], 1, s, e);
        });
      }
    });

    it('im2col by output rows, col2imAdd by whole images', async () => {
      const g = conv2dGeometry([3, 9, 7, 5], [3, 3, 5, 4], { strides: [2, 1], padding: 'same' });
      const args = [5, g.inH, g.inW, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft] as const;
      const [rows, kk, xSize] = [g.batch * g.outH * g.outW, g.kH * g.kW * 5, g.batch * g.inH * g.inW * 5];
      await check(build, { inputs: [xSize * 4], outputs: [rows * kk * 4] }, rows, (a, p) => put(a, p[0], randomArray(xSize, 5)), (kx, p, s, e) => kx.im2col(p[0], p[1] + s * kk * 4, ...args, s, e));
      await check(build, { inputs: [rows * kk * 4], outputs: [xSize * 4] }, g.batch, (a, p) => {
        put(a, p[0], randomArray(rows * kk, 6));
        put(a, p[1], new Float32Array(xSize));
      }, (kx, p, s, e) => {
        const pixels = g.outH * g.outW;
        kx.col2imAdd(p[0] + s * pixels * kk * 4, p[1], ...args, s * pixels, e * pixels);
      });
    });

    it('pooling by output pixels (backward on windows that do not overlap)', async () => {
      const c = 6;
      const g = geometry2D([2, 9, 8, c], { kernel: [2, 2], strides: [2, 2], padding: 'same' });
      const args = [c, g.inH, g.inW, g.outH, g.outW, g.kH, g.kW, g.strideH, g.strideW, g.padTop, g.padLeft] as const;
      const [outputs, xSize] = [g.batch * g.outH * g.outW, g.batch * g.inH * g.inW * c];
      const x = randomArray(xSize, 7);
      await check(build, { inputs: [xSize * 4], outputs: [outputs * c * 4, outputs * c * 4] }, outputs, (a, p) => put(a, p[0], x), (kx, p, s, e) => kx.maxPoolForward(p[0], p[1], p[2], ...args, s, e));
      await check(build, { inputs: [xSize * 4], outputs: [outputs * c * 4] }, outputs, (a, p) => put(a, p[0], x), (kx, p, s, e) => kx.avgPoolForward(p[0], p[1], ...args, s, e));
      await check(build, { inputs: [outputs * c * 4], outputs: [xSize * 4] }, outputs, (a, p) => {
        put(a, p[0], randomArray(outputs * c, 8));
        put(a, p[1], new Float32Array(xSize));
      }, (kx, p, s, e) => kx.avgPoolGrad(p[0], p[1], ...args, s, e));
      await check(build, { inputs: [outputs * c * 4, outputs * c * 4], outputs: [xSize * 4] }, outputs * c, (a, p) => {
        put(a, p[0], randomArray(outputs * c, 9));
        a.u32(p[1], outputs * c).set(Uint32Array.from({ length: outputs * c }, (_, i) => (i * 7919) % xSize));
        put(a, p[2], new Float32Array(xSize));
      }, (kx, p, s, e) => kx.maxPoolGrad(p[0], p[1], p[2], xSize, s, e));
    });

    it('zero, relu gradient, bias gradient (by channel) and Adam by element', async () => {
      const n = 1001;
      await check(build, { inputs: [], outputs: [n * 4] }, n, (a, p) => put(a, p[0], randomArray(n, 10)), (kx, p, s, e) => kx.zero(p[0], s, e));
      await check(build, { inputs: [n * 4, n * 4], outputs: [n * 4] }, n, (a, p) => {
        put(a, p[0], randomArray(n, 11));
        put(a, p[1], randomArray(n, 12));
      }, (kx, p, s, e) => kx.reluGrad(p[0], p[1], p[2], s, e));
      const [rows, ch] = [77, 13];
      await check(build, { inputs: [rows * ch * 4], outputs: [ch * 4] }, ch, (a, p) => put(a, p[0], randomArray(rows * ch, 13)), (kx, p, s, e) => kx.biasGrad(p[0], p[1], rows, ch, s, e));
      await check(build, { inputs: [n * 4], outputs: [n * 4, n * 4, n * 4] }, n, (a, p) => {
        put(a, p[0], randomArray(n, 14));
        put(a, p[1], randomArray(n, 15));
        put(a, p[2], randomArray(n, 16));
        put(a, p[3], randomArray(n, 17, 0, 1));
      }, (kx, p, s, e) => kx.adam(p[1], p[0], p[2], p[3], 0.1, 0.001, 1e-7, 0.01, s, e));
    });
  });
}
