// The one place that creates CPU engines, so the engine's kernel and thread options (WebAssembly
// SIMD kernels, a worker pool) reach the page and the benchmark through one switch.
//
// Today's CpuEngine takes no options: every variant below runs the JavaScript kernels on one
// thread. Once the cpu-wasm branch (`new CpuEngine({ kernels })`) and the cpu-threads branch
// (`threads`, with `threadSupport()` in src/ops/wasm/pool.ts) are merged, replace the one
// marked line with:
//   return new CpuEngine({ kernels: options.kernels, ...(options.threads ? { threads: options.threads } : {}) });
// Nothing else needs to change: the benchmark tells the variants apart by their descriptions.

import { CpuEngine } from '../model/train/cpuEngine.ts';

export interface CpuEngineOptions {
  /** 'wasm': the WebAssembly SIMD kernels (the default once they exist); 'js': the JavaScript ones. */
  kernels: 'wasm' | 'js';
  /** Worker threads; absent: the engine's own default (every core where shared memory works). */
  threads?: number;
}

/** The page's CPU engine: the fastest kernels, on as many threads as the browser allows. */
export const PAGE_CPU_OPTIONS: CpuEngineOptions = { kernels: 'wasm' };

export function createCpuEngine(options: CpuEngineOptions = PAGE_CPU_OPTIONS): CpuEngine {
  void options;
  return new CpuEngine(); // <- the one line to switch (see the header)
}
