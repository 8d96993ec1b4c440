// `npm run build:wasm`: compiles the CPU engine's AssemblyScript kernels (src/ops/wasm/assembly)
// into the committed .wasm files beside them, so neither CI nor the page needs a build step:
//   kernels.wasm         SIMD128, imports a plain memory (pages without cross-origin isolation)
//   kernels.shared.wasm  SIMD128, imports a shared memory (threads of the worker pool)
//   kernels.relaxed.wasm, kernels.shared.relaxed.wasm  the same with relaxed SIMD: the GEMM's
//                        multiply-adds fused (f32x4.relaxed_madd), where the runtime has it
// `node scripts/buildWasm.mjs --out DIR` writes them to DIR instead (the freshness test uses it).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = join(root, 'src/ops/wasm/assembly/index.ts');
/** 2 GiB: byte offsets stay below 2^31, and a shared memory must declare its maximum. */
export const SHARED_MAX_PAGES = 32768;

const common = ['-O3', '--runtime', 'stub', '--noAssert', '--importMemory', '--enable', 'simd'];
const shared = ['--sharedMemory', '--maximumMemory', String(SHARED_MAX_PAGES), '--enable', 'threads'];
const relaxed = ['--enable', 'relaxed-simd'];
const BUILDS = {
  'kernels.wasm': common,
  'kernels.shared.wasm': [...common, ...shared],
  'kernels.relaxed.wasm': [...common, ...relaxed],
  'kernels.shared.relaxed.wasm': [...common, ...shared, ...relaxed],
};

const at = process.argv.indexOf('--out');
const outDir = at >= 0 ? process.argv[at + 1] : join(root, 'src/ops/wasm');
mkdirSync(outDir, { recursive: true });
const asc = join(root, 'node_modules/assemblyscript/bin/asc.js');
for (const [name, flags] of Object.entries(BUILDS)) {
  execFileSync(process.execPath, [asc, entry, ...flags, '-o', join(outDir, name)], { stdio: 'inherit' });
  console.log(`wrote ${join(outDir, name)}`);
}
