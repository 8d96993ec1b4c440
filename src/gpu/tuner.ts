// The autotuner: for each heavy instruction, which of its kernel variants runs fastest on this
// adapter at these shapes. 'off' takes the default variant without timing; 'auto' times every
// valid variant on a cache miss (scratch tensors of the real shapes, a few short trials, clearly
// slower candidates dropped after one) and caches the winner by adapter, op and shape; 'exhaustive'
// re-times every variant once per tuner, ignoring stored choices, with more trials. 'auto' leaves
// ops too small to matter at their default (AUTO_MIN_WORK).
import type { Dispatch } from './runtime';
import type { GpuTensor } from './tensor';
import { tuningKey, type Candidate, type Tunable, type TuningMode, type TuningRecord, type TuningStore } from './tuning';

/** What the tuner needs of a device: scratch tensors, disposal and a clock (faked in unit tests). */
export interface TunerDevice {
  /** The adapter's identity (tuning.ts adapterKey). */
  readonly adapter: string;
  /** A zero-filled tensor of this shape and dtype. */
  scratch(shape: readonly number[], dtype: GpuTensor['dtype']): GpuTensor;
  release(t: GpuTensor): void;
  dispose(d: Dispatch): void;
  /** Milliseconds per run of `reps` runs of the dispatches recorded together. */
  time(dispatches: readonly Dispatch[], reps: number): Promise<number>;
}

/** How long one trial aims to last, and how many trials a candidate gets. */
interface Effort {
  trialMs: number;
  trials: number;
  maxReps: number;
  /** Stop timing a candidate whose first trial is this many times the best so far (0: never). */
  dropRatio: number;
  /** Ops with less work than this (Tunable.work) keep their default: see AUTO_MIN_WORK. */
  minWork: number;
}

/**
 * Below about 2M multiply-adds a kernel is over in microseconds on a GPU (dispatch overhead
 * dominates) while compiling its other variants costs up to seconds on a software adapter: 'auto'
 * keeps the default there. The tests' tiny models are all below it; the seed CNN's layers above.
 */
export const AUTO_MIN_WORK = 2 ** 21;

const EFFORT: Record<Exclude<TuningMode, 'off'>, Effort> = {
  auto: { trialMs: 2, trials: 3, maxReps: 20, dropRatio: 1.5, minWork: AUTO_MIN_WORK },
  exhaustive: { trialMs: 10, trials: 7, maxReps: 100, dropRatio: 0, minWork: 0 },
};

/** What the tuner chose for one instruction; `ms` and `times` only where something was timed or cached. */
export interface TuneChoice {
  op: string;
  variant: string;
  ms?: number;
  times?: Record<string, number>;
  /** Whether this choice came from the store, not from timing now. */
  cached: boolean;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export class Tuner {
  /** Keys timed by this tuner: 'exhaustive' re-times each once, not once per compile. */
  private readonly timed = new Set<string>();

  constructor(
    private readonly device: TunerDevice,
    readonly mode: TuningMode,
    private readonly store: TuningStore,
  ) {}

  /** The variant to use for `t` (timing its candidates when needed), and its dispatches over the live tensors. */
  async prepare(t: Tunable, scratch: (shape: number[]) => GpuTensor): Promise<{ choice: TuneChoice; dispatches: Dispatch[] }> {
    const choice = await this.choose(t);
    return { choice, dispatches: await t.prepare(choice.variant, t.tensors, scratch) };
  }

  async choose(t: Tunable): Promise<TuneChoice> {
    const fallback: TuneChoice = { op: t.op, variant: t.variants[0], cached: false };
    if (this.mode === 'off' || t.variants.length < 2 || t.work < EFFORT[this.mode].minWork) return fallback;
    const key = tuningKey(this.device.adapter, t.op, t.signature);
    const useStored = this.mode === 'auto' || this.timed.has(key);
    const stored = useStored ? await this.store.get(key) : undefined;
    // A stored variant the list no longer has (renamed, or not valid here) means timing again.
    if (stored && t.variants.includes(stored.variant)) return { op: t.op, ...stored, cached: true };
    const record = await this.timeAll(t, EFFORT[this.mode]);
    this.timed.add(key);
    await this.store.put(key, record);
    return { op: t.op, ...record, cached: false };
  }

  private async timeAll(t: Tunable, effort: Effort): Promise<TuningRecord> {
    const copies = t.tensors.map((x) => this.device.scratch(x.shape, x.dtype));
    const internal: GpuTensor[] = [];
    const scratch = (shape: number[]) => {
      const s = this.device.scratch(shape, 'float32');
      internal.push(s);
      return s;
    };
    const times: Record<string, number> = {};
    let best = Infinity;
    try {
      for (const variant of t.variants) {
        const c: Candidate = { variant, prepare: () => t.prepare(variant, copies, scratch) };
        times[variant] = await this.timeOne(c, effort, best);
        best = Math.min(best, times[variant]);
      }
    } finally {
      [...copies, ...internal].forEach((x) => this.device.release(x));
    }
    // Ties go to the earlier variant: the default stays unless another is really faster.
    const variant = t.variants.reduce((a, b) => (times[b] < times[a] ? b : a));
    return { variant, ms: times[variant], times };
  }

  /** Median milliseconds per run: one warm-up sizes the trials, the median of the trials counts. */
  private async timeOne(c: Candidate, effort: Effort, best: number): Promise<number> {
    const dispatches = await c.prepare();
    try {
      const warm = await this.device.time(dispatches, 1);
      const reps = Math.max(1, Math.min(effort.maxReps, Math.floor(effort.trialMs / Math.max(warm, 1e-3))));
      const trials: number[] = [];
      for (let i = 0; i < effort.trials; i++) {
        trials.push(await this.device.time(dispatches, reps));
        if (effort.dropRatio > 0 && trials[0] > effort.dropRatio * best) break;
      }
      return median(trials);
    } finally {
      dispatches.forEach((d) => this.device.dispose(d));
    }
  }
}
