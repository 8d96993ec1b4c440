// A tiny test registry for WebGPU tests that run inside headless Chromium (see scripts/browserTests.ts).
// Test files are `tests/gpu/**/*.gpu.ts`; each calls `gpuTest(name, fn)` at import time.
import type { GpuRuntime } from '../../src/gpu/runtime';

export type GpuTestFn = (rt: GpuRuntime) => Promise<void>;

export const registry: { name: string; fn: GpuTestFn }[] = [];

export function gpuTest(name: string, fn: GpuTestFn): void {
  registry.push({ name, fn });
}
