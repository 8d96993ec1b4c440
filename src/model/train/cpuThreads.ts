// How many threads the CPU engine's WebAssembly kernels run on, and the engine's description.
import { relaxedSimdSupported } from '../../ops/wasm/kernels';
import { threadSupport } from '../../ops/wasm/pool';
import { threadsRefused } from '../../ops/wasm/threaded';

/** The engine's description: its kernels, their SIMD flavour and threads, and why fewer threads than the machine has. */
export function describe(kernels: 'wasm' | 'js', threads: number, note: string | null): string {
  if (kernels === 'js') {
    const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
    return `CPU (JavaScript${cores ? `, ${cores} cores available` : ''})`;
  }
  return `CPU (WebAssembly ${relaxedSimdSupported() ? 'relaxed ' : ''}SIMD, ${threads} thread${threads === 1 ? '' : 's'}${note ? `: ${note}` : ''})`;
}

/** Threads to use and, when fewer than asked or than the default, why. */
export function resolveThreads(asked: number | undefined): { threads: number; note: string | null } {
  if (asked !== undefined) {
    if (!Number.isInteger(asked) || asked < 1 || asked > 64) throw new Error(`CpuEngine: threads must be an integer in 1..64, got ${asked}`);
    const refused = threadsRefused(asked);
    if (refused) throw new Error(`CpuEngine: ${asked} threads asked for, but ${refused}; pass threads: 1`);
    return { threads: asked, note: null };
  }
  const support = threadSupport();
  if (!support.ok) return { threads: 1, note: support.reason.replace(/, so WebAssembly threads are off; running on one thread$/, '') };
  const refused = threadsRefused(support.threads);
  return refused ? { threads: 1, note: refused.replace(/, so WebAssembly threads are off; running on one thread$/, '') } : { threads: support.threads, note: null };
}
