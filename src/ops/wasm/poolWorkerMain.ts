// What each pool thread runs: instantiate the kernels module over the shared memory, say 'ready',
// then loop forever: block on its own generation counter in the control block (Atomics.wait),
// run the export named by the caller on its chunk, count itself done, notify the caller.
//
// Both functions here are self-contained (no imports, no module-level names) on purpose: under
// Node the pool starts its worker_threads from their source text (`fn.toString()`), because a
// worker thread cannot load a .ts file under vitest or tsx; in the browser poolWorker.ts imports
// them as ordinary functions. Keep them free of references to anything outside their own bodies.

/** Where each field of the control block lives (Int32 / Float64 / Uint16 indices into one SharedArrayBuffer). */
export interface ControlLayout {
  /** Int32: 1 once the pool is closing. */
  stop: number;
  /** Int32: workers still running the current job; the one that brings it to 0 notifies. */
  pending: number;
  /** Int32: index of the export to run, in WorkerInit.names. */
  fn: number;
  /** Int32: how many Float64 arguments precede the range. */
  nargs: number;
  /** Int32: 0, or 1 + the index of the first thread whose kernel threw. */
  error: number;
  /** Int32: length in UTF-16 units of the error message. */
  errorLength: number;
  /** Int32: per-thread generation counters (a thread wakes when its counter moves). */
  gen: number;
  /** Int32: per-thread last generation picked up (tells a dead thread from a slow kernel). */
  ack: number;
  /** Float64: the arguments before the range. */
  args: number;
  /** Float64: per-thread [start, end). */
  ranges: number;
  /** Uint16: the error message's characters. */
  message: number;
  /** Most UTF-16 units of an error message. */
  messageChars: number;
}

export interface WorkerInit {
  /** This thread's index (1.., the calling thread is 0). */
  index: number;
  control: SharedArrayBuffer;
  layout: ControlLayout;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** The module's function exports, in the order the caller numbers them. */
  names: string[];
  /** Polls of the generation counter before blocking (a short spin saves the futex wake-up on back-to-back runs). */
  spin: number;
}

export type WorkerReport = { type: 'ready' } | { type: 'failed'; message: string };

/**
 * The imports a kernels module gets: the shared memory for its memory import, AssemblyScript's
 * `abort` as a thrown Error with its message, and an Error naming any other import (our kernels
 * import nothing else, so a new one is a build mistake, said at instantiation rather than mid-run).
 */
export function instanceImports(module: WebAssembly.Module, memory: WebAssembly.Memory): WebAssembly.Imports {
  const readString = (ptr: number): string => {
    if (!ptr) return '';
    const buffer = memory.buffer;
    const bytes = new Uint32Array(buffer, (ptr - 4) & ~3, 1)[0]!;
    const units = new Uint16Array(buffer, ptr, Math.min(bytes >>> 1, 200));
    let text = '';
    for (let i = 0; i < units.length; i++) text += String.fromCharCode(units[i]!);
    return text;
  };
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {};
  for (const entry of WebAssembly.Module.imports(module)) {
    const space = (imports[entry.module] ??= {});
    if (entry.kind === 'memory') {
      space[entry.name] = memory;
    } else if (entry.kind === 'function' && entry.name === 'abort') {
      space[entry.name] = (msg: number, file: number, line: number, column: number) => {
        throw new Error(`abort: ${readString(msg)} at ${readString(file)}:${line}:${column}`);
      };
    } else {
      throw new Error(`the kernels module imports ${entry.module}.${entry.name} (${entry.kind}); only a memory and abort are provided`);
    }
  }
  return imports;
}

/** The thread's whole life; returns only when the pool closes (or the module failed to instantiate). */
export function workerMain(
  init: WorkerInit,
  post: (report: WorkerReport) => void,
  makeImports: (module: WebAssembly.Module, memory: WebAssembly.Memory) => WebAssembly.Imports,
): void {
  const L = init.layout;
  const ctl = new Int32Array(init.control);
  const f64 = new Float64Array(init.control);
  const text = new Uint16Array(init.control);
  let fns: ((...args: number[]) => unknown)[];
  try {
    const instance = new WebAssembly.Instance(init.module, makeImports(init.module, init.memory));
    fns = init.names.map((name) => instance.exports[name] as (...args: number[]) => unknown);
  } catch (e) {
    post({ type: 'failed', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    return;
  }
  const me = init.index;
  // Read before saying ready: the caller's first job may bump the counter the moment it hears us.
  let seen = Atomics.load(ctl, L.gen + me);
  post({ type: 'ready' });
  for (;;) {
    for (let spins = init.spin; spins > 0 && Atomics.load(ctl, L.gen + me) === seen; spins--);
    Atomics.wait(ctl, L.gen + me, seen);
    const gen = Atomics.load(ctl, L.gen + me);
    if (gen === seen) continue;
    seen = gen;
    if (Atomics.load(ctl, L.stop) !== 0) return;
    Atomics.store(ctl, L.ack + me, gen);
    const args: number[] = [];
    for (let i = 0; i < ctl[L.nargs]!; i++) args.push(f64[L.args + i]!);
    args.push(f64[L.ranges + 2 * me]!, f64[L.ranges + 2 * me + 1]!);
    try {
      fns[ctl[L.fn]!]!(...args);
    } catch (e) {
      const message = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, L.messageChars);
      if (Atomics.compareExchange(ctl, L.error, 0, me + 1) === 0) {
        for (let i = 0; i < message.length; i++) text[L.message + i] = message.charCodeAt(i);
        Atomics.store(ctl, L.errorLength, message.length);
      }
    }
    if (Atomics.sub(ctl, L.pending, 1) === 1) Atomics.notify(ctl, L.pending);
  }
}
