// The one place that creates CPU engines, so the engine's kernel and thread options (WebAssembly
// SIMD kernels, a worker pool) reach the page and the benchmark through one switch.
//
// The benchmark tells the variants apart by the engines' descriptions.

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
  return new CpuEngine({ kernels: options.kernels, ...(options.threads ? { threads: options.threads } : {}) });
}
