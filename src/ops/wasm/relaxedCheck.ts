// Run by relaxed.test.ts in a Node started with --experimental-wasm-relaxed-simd (Node 20 has
// relaxed SIMD only behind that flag; Chromium has it on): the kernels load their relaxed build,
// whose GEMM fuses multiply-adds. Prints, as JSON, how far its GEMM lands from the float64-free
// reference and from the plain build on the same inputs.
import { matmul } from '../reference/matmul.ts';
import { relaxedSimdSupported } from './kernels.ts';
import { createWasmKernels } from './ops.ts';

function seeded(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    a[i] = s / 2 ** 32 - 0.5;
  }
  return a;
}

const [m, n, k] = [67, 45, 301];
const a = seeded(m * k, 1);
const b = seeded(k * n, 2);
const reference = matmul(a, b, { m, n, k });
const relaxed = await createWasmKernels('plain');
const fused = new Float32Array(m * n);
relaxed.gemm(a, b, fused, m, n, k);
const maxDiff = (x: Float32Array, y: Float32Array): number => x.reduce((d, v, i) => Math.max(d, Math.abs(v - y[i]!)), 0);
console.log(JSON.stringify({ relaxed: relaxedSimdSupported(), vsReference: maxDiff(fused, reference) }));
