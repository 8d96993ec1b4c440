// The calling side of a pool run: write the job into the control block, wake the threads, run
// the first chunk here, wait until every thread has counted itself done, and turn a kernel's
// trap or a dead thread into an Error naming the export (never a hang).
import type { Pool, RunRange } from './pool.ts';
import type { PoolThread } from './poolSpawn.ts';
import type { ControlLayout } from './poolWorkerMain.ts';

export interface ThreadPoolParts {
  instance: WebAssembly.Instance;
  names: string[];
  control: SharedArrayBuffer | ArrayBuffer;
  layout: ControlLayout;
  workers: PoolThread[];
  spin: number;
  timeoutMs: number;
  pickupMs: number;
  maxArgs: number;
}

type Kernel = (...args: number[]) => unknown;
type WaitAsync = (a: Int32Array, index: number, value: number, timeout: number) => { async: boolean; value: Promise<string> | string };

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
function canBlock(ctl: Int32Array): boolean {
  try {
    Atomics.wait(ctl, 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

export class ThreadPool implements Pool {
  readonly threads: number;
  private readonly ctl: Int32Array;
  private readonly f64: Float64Array;
  private readonly text: Uint16Array;
  private readonly L: ControlLayout;
  private readonly fns = new Map<string, { index: number; fn: Kernel }>();
  private readonly blocking: boolean;
  private closed: string | null = null;
  private busy = false;
  /** Threads given a chunk in the current run, and their ranges (for error messages). */
  private used = 0;

  constructor(private readonly parts: ThreadPoolParts) {
    this.threads = parts.workers.length + 1;
    this.ctl = new Int32Array(parts.control);
    this.f64 = new Float64Array(parts.control);
    this.text = new Uint16Array(parts.control);
    this.L = parts.layout;
    parts.names.forEach((name, index) => this.fns.set(name, { index, fn: parts.instance.exports[name] as Kernel }));
    this.blocking = canBlock(this.ctl);
  }

  run(name: string, args: readonly number[], range: RunRange): void | Promise<void> {
    const where = `wasm pool: ${name}`;
    if (this.closed) throw new Error(`${where}: ${this.closed}`);
    const entry = this.fns.get(name);
    if (!entry) throw new Error(`${where}: the module has no such function; it exports ${[...this.fns.keys()].join(', ')}`);
    if (args.length > this.parts.maxArgs) throw new Error(`${where}: ${args.length} arguments; at most ${this.parts.maxArgs} (plus the range)`);
    const { start, end } = range;
    if (!Number.isInteger(start) || !Number.isInteger(end) || end < start) {
      throw new Error(`${where}: range [${start}, ${end}) is not a pair of integers with start <= end`);
    }
    const n = end - start;
    const minChunk = Math.max(1, range.minChunk ?? 1);
    const used = Math.max(1, Math.min(this.threads, Math.floor(n / minChunk)));
    if (used === 1) {
      if (n > 0) this.callHere(where, entry.fn, args, start, end);
      return;
    }
    if (this.busy) throw new Error(`${where}: the pool is still running another op; await the previous run first`);
    const bounds = chunkBounds(start, end, used, Math.max(1, range.align ?? 1));
    this.post(entry.index, args, bounds);
    let localError: unknown = null;
    try {
      entry.fn(...args, bounds[0]!, bounds[1]!);
    } catch (e) {
      localError = e;
    }
    if (this.blocking) {
      this.waitBlocking(where);
      this.report(where, localError, bounds);
      return;
    }
    this.busy = true;
    return this.waitAsync(where).then(
      () => {
        this.busy = false;
        this.report(where, localError, bounds);
      },
      (e) => {
        this.busy = false;
        throw e;
      },
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = 'the pool is closed; create a new one with createPool';
    const { ctl, L } = this;
    Atomics.store(ctl, L.stop, 1);
    for (let i = 1; i < this.threads; i++) {
      Atomics.add(ctl, L.gen + i, 1);
      Atomics.notify(ctl, L.gen + i);
    }
    await Promise.all(this.parts.workers.map((w) => w.terminate()));
  }

  private callHere(where: string, fn: Kernel, args: readonly number[], start: number, end: number): void {
    try {
      fn(...args, start, end);
    } catch (e) {
      throw new Error(`${where} failed on [${start}, ${end}): ${describeError(e)}`, { cause: e });
    }
  }

  /** Writes the job and wakes threads 1..used-1 (the caller takes chunk 0). */
  private post(fnIndex: number, args: readonly number[], bounds: number[]): void {
    const { ctl, f64, L } = this;
    this.used = bounds.length - 1;
    ctl[L.fn] = fnIndex;
    ctl[L.nargs] = args.length;
    args.forEach((a, i) => (f64[L.args + i] = a));
    ctl[L.error] = 0;
    ctl[L.errorLength] = 0;
    Atomics.store(ctl, L.pending, this.used - 1);
    for (let i = 1; i < this.used; i++) {
      f64[L.ranges + 2 * i] = bounds[i]!;
      f64[L.ranges + 2 * i + 1] = bounds[i + 1]!;
      Atomics.add(ctl, L.gen + i, 1);
      Atomics.notify(ctl, L.gen + i, 1);
    }
  }

  private waitBlocking(where: string): void {
    const { ctl, L } = this;
    const started = performance.now();
    for (let spins = this.parts.spin; spins > 0 && Atomics.load(ctl, L.pending) !== 0; spins--);
    for (;;) {
      const left = Atomics.load(ctl, L.pending);
      if (left === 0) return;
      this.checkClock(where, started);
      Atomics.wait(ctl, L.pending, left, 250);
    }
  }

  private async waitAsync(where: string): Promise<void> {
    const { ctl, L } = this;
    const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;
    const started = performance.now();
    for (;;) {
      const left = Atomics.load(ctl, L.pending);
      if (left === 0) return;
      this.checkClock(where, started);
      if (waitAsync) {
        const result = waitAsync(ctl, L.pending, left, 250);
        if (result.async) await result.value;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
  }

  /** A thread that never picked the job up is dead; a run past timeoutMs is stuck: either way the pool is done for. */
  private checkClock(where: string, started: number): void {
    const { ctl, L } = this;
    const elapsed = performance.now() - started;
    let problem: string | null = null;
    if (elapsed > this.parts.pickupMs) {
      for (let i = 1; i < this.used && !problem; i++) {
        if (Atomics.load(ctl, L.ack + i) !== Atomics.load(ctl, L.gen + i)) {
          problem = `thread ${i} did not pick the job up within ${this.parts.pickupMs / 1000} s (it died or is stuck)`;
        }
      }
    }
    if (!problem && elapsed > this.parts.timeoutMs) problem = `not finished after ${this.parts.timeoutMs / 1000} s (a kernel that never ends?)`;
    if (!problem) return;
    void this.close();
    this.closed = `the pool was closed after an earlier failure: ${problem}`;
    throw new Error(`${where}: ${problem}; the pool is closed`);
  }

  private report(where: string, localError: unknown, bounds: number[]): void {
    const { ctl, L } = this;
    if (localError !== null) {
      throw new Error(`${where} failed on thread 0, range [${bounds[0]}, ${bounds[1]}): ${describeError(localError)}`, { cause: localError });
    }
    const failed = Atomics.load(ctl, L.error);
    if (failed === 0) return;
    const thread = failed - 1;
    let message = '';
    for (let i = 0; i < ctl[L.errorLength]!; i++) message += String.fromCharCode(this.text[L.message + i]!);
    throw new Error(`${where} failed on thread ${thread}, range [${bounds[thread]}, ${bounds[thread + 1]}): ${message}`);
  }
}

/** used + 1 boundaries from start to end, as even as `align` allows. */
export function chunkBounds(start: number, end: number, used: number, align: number): number[] {
  const n = end - start;
  const bounds = [start];
  for (let i = 1; i < used; i++) {
    const even = Math.floor((n * i) / used);
    bounds.push(start + Math.min(n, Math.ceil(even / align) * align));
  }
  bounds.push(end);
  return bounds;
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
