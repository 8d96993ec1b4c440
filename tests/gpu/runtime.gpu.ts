// The runtime's own promises: pipelines cached by source and constants, freed buffers reused,
// requests over the adapter's limits refused with the limit named, WGSL errors with line:column.
import { addKernel, prepareAdd } from '../../src/gpu/kernels/add';
import type { KernelDef } from '../../src/gpu/kernel';
import { gpuTest } from './harness';

function expectThrow(fn: () => unknown, pattern: RegExp, what: string): void {
  try {
    fn();
  } catch (e) {
    if (!pattern.test(String(e instanceof Error ? e.message : e))) throw new Error(`${what}: wrong message: ${e}`, { cause: e });
    return;
  }
  throw new Error(`${what}: did not throw`);
}

gpuTest('runtime: one pipeline per kernel source and constants, shared by every dispatch', async (rt) => {
  const [a, b, c] = [rt.tensor([8]), rt.tensor([8]), rt.tensor([8])];
  const d1 = await prepareAdd(rt, a, b, c);
  const d2 = await prepareAdd(rt, b, a, c);
  if (d1.pipeline !== d2.pipeline) throw new Error('two pipelines for one kernel');
  const sizeBefore = rt.pipelines.size;
  const again = await rt.pipelines.get({ ...addKernel, constants: { WG: 64 } });
  const first = await rt.pipelines.get({ ...addKernel, constants: { WG: 64 } });
  if (again.pipeline !== first.pipeline) throw new Error('a second pipeline for the same constants');
  if (again.pipeline === d1.pipeline) throw new Error('other constants must give another pipeline');
  if (rt.pipelines.size > sizeBefore + 1) throw new Error('more than one new pipeline for one new variant');
  [d1, d2].forEach((d) => rt.dispose(d));
  [a, b, c].forEach((t) => rt.release(t));
});

gpuTest('runtime: a released buffer is reused for the next tensor of its size class', async (rt) => {
  const t = rt.tensor([1000]);
  const buffer = t.buffer;
  const live = rt.stats().liveBuffers;
  rt.release(t);
  const u = rt.tensor([990]);
  if (u.buffer !== buffer) throw new Error('a new buffer was created instead of reusing the freed one');
  if (rt.stats().liveBuffers !== live) throw new Error('live buffer count changed');
  rt.release(u);
  expectThrow(() => rt.release(u), /released twice/, 'double release');
});

gpuTest('runtime: requests over the adapter limits are refused, naming the limit', async (rt) => {
  const max = rt.limits.maxStorageBufferBindingSize;
  expectThrow(() => rt.tensor([max / 4 + 1]), /maxStorageBufferBindingSize/, 'binding size');
  expectThrow(() => rt.grid(rt.limits.maxComputeWorkgroupsPerDimension ** 2 * 256 + 1, 256), /maxComputeWorkgroupsPerDimension/, 'grid');
  const big = rt.grid(70000 * 256, 256);
  if (big[0] > rt.limits.maxComputeWorkgroupsPerDimension || big[0] * big[1] < 70000) throw new Error(`bad folded grid ${big}`);
});

gpuTest('runtime: a WGSL compile error names the kernel, line and column', async (rt) => {
  const broken: KernelDef = { name: 'broken', source: '@compute @workgroup_size(1)\nfn main() {\n  let x: f32 = undefined_thing;\n}\n', bindings: [] };
  try {
    await rt.pipelines.get(broken);
  } catch (e) {
    if (!/broken\.wgsl:3:\d+/.test(String(e))) throw new Error(`no line:column in: ${e}`, { cause: e });
    return;
  }
  throw new Error('a broken kernel compiled');
});
