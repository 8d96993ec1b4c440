// Loads the compiled kernels (kernels.wasm, built from ./assembly by `npm run build:wasm`): the
// plain-memory build for one thread, the shared-memory build for the worker pool. In Node the
// bytes come from the file beside this module; in the browser Vite turns the `new URL(...)` into
// an asset URL and they are fetched. Compiled modules are cached (a pure cache: instances and
// memories are never shared between callers).

/** The kernels' exports: byte offsets into the memory and sizes (see assembly/*.ts). */
export interface KernelExports {
  gemmScratchBytes(): number;
  gemm(a: number, b: number, c: number, m: number, n: number, k: number, transA: number, transB: number, accumulate: number, rowStart: number, rowEnd: number, scratch: number): void;
  biasActivation(c: number, n: number, bias: number, act: number, rowStart: number, rowEnd: number): void;
  im2col(x: number, col: number, cin: number, inH: number, inW: number, outH: number, outW: number, kH: number, kW: number, strideH: number, strideW: number, padTop: number, padLeft: number, r0: number, r1: number): void;
  col2imAdd(dcol: number, dx: number, cin: number, inH: number, inW: number, outH: number, outW: number, kH: number, kW: number, strideH: number, strideW: number, padTop: number, padLeft: number, r0: number, r1: number): void;
  maxPoolForward(x: number, y: number, argmax: number, c: number, inH: number, inW: number, outH: number, outW: number, kH: number, kW: number, strideH: number, strideW: number, padTop: number, padLeft: number, start: number, end: number): void;
  maxPoolGrad(dy: number, argmax: number, dx: number, dxLength: number, start: number, end: number): void;
  avgPoolForward(x: number, y: number, c: number, inH: number, inW: number, outH: number, outW: number, kH: number, kW: number, strideH: number, strideW: number, padTop: number, padLeft: number, start: number, end: number): void;
  avgPoolGrad(dy: number, dx: number, c: number, inH: number, inW: number, outH: number, outW: number, kH: number, kW: number, strideH: number, strideW: number, padTop: number, padLeft: number, start: number, end: number): void;
  zero(p: number, start: number, end: number): void;
  sumPartials(partials: number, out: number, count: number, size: number, start: number, end: number): void;
  reluGrad(dy: number, y: number, dx: number, start: number, end: number): void;
  biasGrad(dy: number, db: number, rows: number, channels: number, start: number, end: number): void;
  adam(w: number, g: number, m: number, v: number, omb1: number, omb2: number, eps: number, alpha: number, start: number, end: number): void;
}

export type KernelBuild = 'plain' | 'shared';

/** Pages the shared build declares as its maximum (scripts/buildWasm.mjs SHARED_MAX_PAGES). */
export const SHARED_MAX_PAGES = 32768;

// i32.const 0; i8x16.splat; i8x16.popcnt: the smallest function that needs SIMD128.
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

/** True where WebAssembly with 128-bit SIMD is available (Node 16.4+, every current browser). */
export function wasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

// One function that needs relaxed SIMD: three f32x4.splat(0.0) and an f32x4.relaxed_madd.
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 28, 1, 26, 0,
  67, 0, 0, 0, 0, 253, 19, 67, 0, 0, 0, 0, 253, 19, 67, 0, 0, 0, 0, 253, 19, 253, 133, 2, 11,
]);

/**
 * True where relaxed SIMD validates (Chromium; Node 20 only with --experimental-wasm-relaxed-simd):
 * then the builds whose GEMM fuses its multiply-adds are used (results differ from the plain
 * build by FMA's single rounding).
 */
export function relaxedSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

function urlOf(build: KernelBuild, relaxed: boolean): URL {
  // Literal `new URL` calls: Vite finds and copies the files only in this exact form.
  if (build === 'shared') {
    return relaxed ? new URL('./kernels.shared.relaxed.wasm', import.meta.url) : new URL('./kernels.shared.wasm', import.meta.url);
  }
  return relaxed ? new URL('./kernels.relaxed.wasm', import.meta.url) : new URL('./kernels.wasm', import.meta.url);
}

async function bytesAt(url: URL): Promise<ArrayBuffer> {
  if (url.protocol === 'file:') {
    const fsName = 'node:fs/promises'; // kept out of the browser bundle
    const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
    const b = await fs.readFile(url);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`wasm kernels: fetching ${url.href} gave HTTP ${response.status}; the file is built by \`npm run build:wasm\``);
  return response.arrayBuffer();
}

const modules = new Map<string, Promise<WebAssembly.Module>>();

/** The compiled module of a build (compiled once per realm), with relaxed SIMD where the runtime has it. */
export function kernelModule(build: KernelBuild, relaxed = relaxedSimdSupported()): Promise<WebAssembly.Module> {
  const key = `${build}${relaxed ? '.relaxed' : ''}`;
  let m = modules.get(key);
  if (!m) {
    m = bytesAt(urlOf(build, relaxed)).then((bytes) => WebAssembly.compile(bytes));
    m.catch(() => modules.delete(key));
    modules.set(key, m);
  }
  return m;
}

/** A memory the build can import: plain, or shared with the build's maximum. */
export function newKernelMemory(build: KernelBuild, initialPages = 16): WebAssembly.Memory {
  if (build === 'shared') return new WebAssembly.Memory({ initial: initialPages, maximum: SHARED_MAX_PAGES, shared: true });
  return new WebAssembly.Memory({ initial: initialPages });
}

/** Instantiates the kernels on `memory` (one instance per thread; threads may share a shared memory). */
export async function instantiateKernels(memory: WebAssembly.Memory, build: KernelBuild): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(await kernelModule(build), { env: { memory } });
  return instance.exports as unknown as KernelExports;
}
