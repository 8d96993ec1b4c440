import { avgPool2dBackward, avgPool2dForward } from '../../src/ops/reference/avgPool2d';
import { maxPool2dBackward, maxPool2dForward } from '../../src/ops/reference/maxPool2d';
import { geometry2D, type Geometry2D, type Window2D } from '../../src/ops/shapes';
import { prepareAvgPool2d } from '../../src/gpu/kernels/avgPool2d';
import { prepareAvgPool2dBackward } from '../../src/gpu/kernels/avgPool2dBackward';
import { prepareMaxPool2d } from '../../src/gpu/kernels/maxPool2d';
import { prepareMaxPool2dBackward } from '../../src/gpu/kernels/maxPool2dBackward';
import type { Dispatch, GpuRuntime } from '../../src/gpu/runtime';
import type { GpuTensor } from '../../src/gpu/tensor';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

interface Case {
  x: [number, number, number, number];
  p: Window2D;
}

// Random inputs in [-1, 1] (no ties, and negative windows catch a padded cell winning as 0).
const cases: Case[] = [
  { x: [1, 5, 7, 1], p: { kernel: [2, 2], strides: [2, 2], padding: 'same' } },
  { x: [3, 5, 7, 3], p: { kernel: [2, 2], strides: [2, 2], padding: 'valid' } },
  { x: [3, 5, 7, 17], p: { kernel: [3, 3], strides: [1, 1], padding: 'same' } }, // overlapping windows
  { x: [1, 5, 7, 3], p: { kernel: [3, 2], strides: [2, 1], padding: 'valid' } },
  { x: [3, 5, 7, 1], p: { kernel: [3, 3], strides: [2, 2], padding: 'same' } },
  // Windows tiling the input exactly with C % 4 == 0 take maxpool2d.backward_tiled.
  { x: [3, 6, 9, 4], p: { kernel: [3, 3], strides: [3, 3], padding: 'valid' } },
  { x: [1, 4, 6, 8], p: { kernel: [2, 3], strides: [2, 3], padding: 'same' } },
  { x: [2, 28, 28, 32], p: { kernel: [2, 2], strides: [2, 2], padding: 'valid' } },
  { x: [2, 14, 14, 64], p: { kernel: [2, 2], strides: [2, 2], padding: 'valid' } },
];

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const tol = { atol: 1e-6, rtol: 1e-5 };

function geom(c: Case): Geometry2D {
  return geometry2D(c.x, c.p);
}

function yShape(c: Case): number[] {
  const g = geom(c);
  return [g.batch, g.outH, g.outW, c.x[3]];
}

function name(c: Case): string {
  return `x[${c.x}] ${c.p.kernel} ${c.p.padding} s${c.p.strides}`;
}

async function run(rt: GpuRuntime, prepared: Promise<Dispatch>): Promise<void> {
  const d = await prepared;
  rt.submit([d]);
  rt.dispose(d);
}

// rt.read returns a Uint32Array for uint32 tensors, but its first overload types it Float32Array.
function readU32(a: Float32Array | Uint32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

function releaseAll(rt: GpuRuntime, ts: GpuTensor[]): void {
  ts.forEach((t) => rt.release(t));
}

async function maxForward(rt: GpuRuntime, x: Float32Array, c: Case): Promise<{ y: Float32Array; argmax: Uint32Array }> {
  const [tx, y, argmax] = [rt.upload(x, c.x), rt.tensor(yShape(c)), rt.tensor(yShape(c), 'uint32')];
  await run(rt, prepareMaxPool2d(rt, tx, y, argmax, geom(c)));
  const result = { y: await rt.read(y), argmax: readU32(await rt.read(argmax)) };
  releaseAll(rt, [tx, y, argmax]);
  return result;
}

for (const [i, c] of cases.entries()) {
  gpuTest(`maxpool2d.forward ${name(c)}`, async (rt) => {
    const x = randomArray(size(c.x), 800 + i);
    const expected = maxPool2dForward(x, geom(c), c.x[3]);
    const actual = await maxForward(rt, x, c);
    assertClose(actual.y, expected.y, { atol: 0, rtol: 0 }, 'y');
    assertClose(actual.argmax, expected.argmax, { atol: 0, rtol: 0 }, 'argmax');
  });

  gpuTest(`maxpool2d.forward without argmax (inference) ${name(c)}`, async (rt) => {
    const x = randomArray(size(c.x), 850 + i);
    const [tx, y, placeholder] = [rt.upload(x, c.x), rt.tensor(yShape(c)), rt.upload(new Uint32Array([7]), [1])];
    await run(rt, prepareMaxPool2d(rt, tx, y, placeholder, geom(c), false));
    assertClose(await rt.read(y), maxPool2dForward(x, geom(c), c.x[3]).y, { atol: 0, rtol: 0 }, 'y');
    if (readU32(await rt.read(placeholder))[0] !== 7) throw new Error('the placeholder argmax was written');
    releaseAll(rt, [tx, y, placeholder]);
  });

  gpuTest(`maxpool2d.backward ${name(c)}`, async (rt) => {
    const { argmax } = maxPool2dForward(randomArray(size(c.x), 900 + i), geom(c), c.x[3]);
    const dy = randomArray(argmax.length, 1000 + i);
    const [tdy, targ, dx] = [rt.upload(dy, yShape(c)), rt.upload(argmax, yShape(c)), rt.tensor(c.x)];
    await run(rt, prepareMaxPool2dBackward(rt, tdy, targ, dx, geom(c)));
    assertClose(await rt.read(dx), maxPool2dBackward(dy, argmax, geom(c), c.x[3]), tol, 'dx');
    releaseAll(rt, [tdy, targ, dx]);
  });

  gpuTest(`avgpool2d.forward ${name(c)}`, async (rt) => {
    const x = randomArray(size(c.x), 1100 + i);
    const [tx, y] = [rt.upload(x, c.x), rt.tensor(yShape(c))];
    await run(rt, prepareAvgPool2d(rt, tx, y, geom(c)));
    assertClose(await rt.read(y), avgPool2dForward(x, geom(c), c.x[3]), tol, 'y');
    releaseAll(rt, [tx, y]);
  });

  gpuTest(`avgpool2d.backward ${name(c)}`, async (rt) => {
    const dy = randomArray(size(yShape(c)), 1200 + i);
    const [tdy, dx] = [rt.upload(dy, yShape(c)), rt.tensor(c.x)];
    await run(rt, prepareAvgPool2dBackward(rt, tdy, dx, geom(c)));
    assertClose(await rt.read(dx), avgPool2dBackward(dy, geom(c), c.x[3]), tol, 'dx');
    releaseAll(rt, [tdy, dx]);
  });
}

// The tie rule on the GPU: inputs from 3 levels, so most windows hold equal maxima.
gpuTest('maxpool2d.forward ties: first maximum in window order wins', async (rt) => {
  const c: Case = { x: [2, 5, 7, 3], p: { kernel: [3, 3], strides: [1, 1], padding: 'same' } };
  const x = randomArray(size(c.x), 1300).map((v) => Math.round(v));
  const expected = maxPool2dForward(x, geom(c), c.x[3]);
  const actual = await maxForward(rt, x, c);
  assertClose(actual.argmax, expected.argmax, { atol: 0, rtol: 0 }, 'argmax');
});
