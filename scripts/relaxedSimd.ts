// Imported first by the CLI scripts that run the CPU engine (train, predict, bench): Node 20's V8
// has WebAssembly relaxed SIMD behind a flag (Node 22 and Chromium ship it on), and the CPU
// engine's relaxed builds fuse the GEMM's multiply-adds, 1.2-1.6x faster on its convolutions.
// V8 flags are process-wide, so the pool's worker threads get it too; set before any module
// compiles. Where the runtime already validates relaxed SIMD, nothing is changed.
import { setFlagsFromString } from 'node:v8';
import { relaxedSimdSupported } from '../src/ops/wasm/kernels';

if (!relaxedSimdSupported()) setFlagsFromString('--experimental-wasm-relaxed-simd');
