// The relaxed-SIMD builds (the GEMM's multiply-adds fused) where the runtime has relaxed SIMD:
// Node 20 needs a flag, so the check runs in a child Node with it. Plain Node picks the plain build.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { matmul } from '../reference/matmul.ts';
import { relaxedSimdSupported } from './kernels.ts';
import { createWasmKernels } from './ops.ts';

const check = fileURLToPath(new URL('./relaxedCheck.ts', import.meta.url));

describe('relaxed SIMD kernels', () => {
  it('load where relaxed SIMD validates, and their fused GEMM stays within float32 rounding of the reference', () => {
    const run = spawnSync(process.execPath, ['--experimental-wasm-relaxed-simd', '--import', 'tsx', check], { encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/Error/);
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as { relaxed: boolean; vsReference: number };
    expect(result.relaxed).toBe(true);
    // K = 301 products of values in [-0.5, 0.5): the sums are below ~10, float32 rounding ~1e-6 each.
    expect(result.vsReference).toBeLessThan(1e-4);
  }, 60_000);

  it('are not used without relaxed SIMD (plain Node 20): the plain build computes the same GEMM', async () => {
    expect(relaxedSimdSupported()).toBe(false);
    const [m, n, k] = [9, 13, 17];
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
    const c = new Float32Array(m * n);
    (await createWasmKernels('plain')).gemm(a, b, c, m, n, k);
    const ref = matmul(a, b, { m, n, k });
    expect(Math.max(...c.map((v, i) => Math.abs(v - ref[i]!)))).toBeLessThan(1e-5);
  });
});
