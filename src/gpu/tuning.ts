// Kernel variants and what the tuner (tuner.ts) needs to choose among them. A heavy op's kernel
// module lists its variants in order, each with the shapes it is valid for; the first valid one is
// the op's default (the shape rule tuned for SwiftShader), the others are what tuning may pick.
// Appending a variant to a module's list is all it takes for tuning and the tests to see it.
import type { Dispatch, GpuRuntime } from './runtime';
import type { GpuTensor } from './tensor';

export type TuningMode = 'auto' | 'off' | 'exhaustive';

export const TUNING_MODES: readonly TuningMode[] = ['auto', 'off', 'exhaustive'];

/** One way to compute an op: valid for some shapes `S`, prepared from arguments `A`. */
export interface Variant<S, A> {
  readonly name: string;
  valid(s: S): boolean;
  prepare(rt: GpuRuntime, a: A, s: S): Promise<Dispatch[]>;
}

/** The names of the variants valid for `s`, in list order: the default first. */
export function validVariants<S>(list: readonly Pick<Variant<S, unknown>, 'name' | 'valid'>[], s: S): string[] {
  return list.filter((v) => v.valid(s)).map((v) => v.name);
}

/** The variant asked for (default: the first valid one); a variant invalid for `s` is an error. */
export function pickVariant<S, V extends Pick<Variant<S, unknown>, 'name' | 'valid'>>(op: string, list: readonly V[], s: S, what: string, name?: string): V {
  const valid = list.filter((v) => v.valid(s));
  const chosen = name === undefined ? valid[0] : valid.find((v) => v.name === name);
  if (!chosen) {
    const known = list.some((v) => v.name === name) ? 'is not valid for' : 'is unknown; op has no such variant, for';
    throw new Error(`${op}: variant '${name}' ${known} ${what} (valid: ${valid.map((v) => v.name).join(', ') || 'none'})`);
  }
  return chosen;
}

/** One candidate of a tuning choice: its variant, prepared over whichever tensors it is given. */
export interface Candidate {
  variant: string;
  prepare(): Promise<Dispatch[]>;
}

/**
 * A heavy instruction the tuner can choose a variant for. `tensors` are the live ones (inputs and
 * outputs); the tuner times `prepare(variant, copies)` on scratch copies of the same shapes, so a
 * live buffer (a weight view) is never written while timing. `scratch` gives a variant its own
 * internal buffers (split-K partial sums), owned by whoever owns the dispatches.
 */
export interface Tunable {
  /** The kernel family, e.g. 'conv2d.forward'. */
  op: string;
  /** Everything besides the adapter that the choice depends on: shapes and geometry. */
  signature: string;
  /** Multiply-adds (or element visits) of one run: how much a faster variant can matter. */
  work: number;
  /** Valid variants, the default first. */
  variants: readonly string[];
  tensors: readonly GpuTensor[];
  prepare(variant: string, tensors: readonly GpuTensor[], scratch: (shape: number[]) => GpuTensor): Promise<Dispatch[]>;
}

/** What the tuner stores per adapter, op and shape. */
export interface TuningRecord {
  variant: string;
  /** Milliseconds per run of the chosen variant. */
  ms: number;
  /** Milliseconds per run of every variant timed (the chosen one included). */
  times: Record<string, number>;
}

/** Bumped when records from older code must not be trusted (a variant's meaning changed). */
export const TUNING_VERSION = 1;

/** A store of tuning records by key. Reads of corrupt or foreign records return undefined. */
export interface TuningStore {
  get(key: string): Promise<TuningRecord | undefined>;
  put(key: string, record: TuningRecord): Promise<void>;
}

/** Whether a value read from storage is a well-formed record (anything else is ignored). */
export function isTuningRecord(r: unknown): r is TuningRecord {
  if (typeof r !== 'object' || r === null) return false;
  const o = r as Record<string, unknown>;
  if (typeof o.variant !== 'string' || typeof o.ms !== 'number' || typeof o.times !== 'object' || o.times === null) return false;
  return Object.values(o.times).every((t) => typeof t === 'number');
}

/** The adapter part of a tuning key: vendor, architecture, device, description and any driver field. */
export function adapterKey(info: Partial<Record<string, unknown>>): string {
  const fields = ['vendor', 'architecture', 'device', 'description', 'driver', 'driverDescription'];
  return fields.map((f) => (typeof info[f] === 'string' ? (info[f] as string) : '')).join('|');
}

export function tuningKey(adapter: string, op: string, signature: string): string {
  return `${adapter}#${op}#${signature}`;
}
