// The CPU engine's WebAssembly SIMD kernels (one module, two builds: plain and shared memory).
// Every argument is a byte offset into the imported memory or a size; every kernel a thread pool
// may split takes a [start, end) range. The TypeScript side is src/ops/wasm/kernels.ts.
export { gemm, gemmScratchBytes, biasActivation } from './gemm';
export { im2col, col2imAdd } from './conv';
export { maxPoolForward, maxPoolGrad, avgPoolForward, avgPoolGrad } from './pool';
export { zero, reluGrad, biasGrad, adam, sumPartials } from './elementwise';
export { gemmParts, gemmColParts, convForwardParts, convGradInputParts, convGradFilterParts } from './threaded';
