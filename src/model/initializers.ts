// Weight initializers: every Keras built-in, with Keras's definitions, arguments and defaults
// (glorot_uniform kernels, zeros biases). An initializer is named ('heNormal', as Keras's
// 'he_normal') or given with its arguments as Keras's {class_name, config} is, in camelCase:
// { className: 'RandomNormal', config: { stddev: 0.01, seed: 7 } }. Fans follow
// keras.initializers.compute_fans: for a conv kernel [kh, kw, in, out] the receptive field
// kh*kw multiplies both. A seeded initializer draws the same values at every call, as in Keras 3.

import { Random } from './random.ts';
import { describe, fail } from './validate.ts';

/** Each class's arguments with Keras's defaults, in tf.keras 2.x's get_config order. */
const CLASSES = {
  GlorotUniform: { seed: null },
  GlorotNormal: { seed: null },
  HeUniform: { seed: null },
  HeNormal: { seed: null },
  LecunUniform: { seed: null },
  LecunNormal: { seed: null },
  VarianceScaling: { scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed: null },
  RandomNormal: { mean: 0, stddev: 0.05, seed: null },
  RandomUniform: { minval: -0.05, maxval: 0.05, seed: null },
  TruncatedNormal: { mean: 0, stddev: 0.05, seed: null },
  Orthogonal: { gain: 1, seed: null },
  Constant: { value: 0 },
  Zeros: {},
  Ones: {},
  Identity: { gain: 1 },
} as const;

export type InitializerClassName = keyof typeof CLASSES;
export const INITIALIZER_CLASS_NAMES = Object.keys(CLASSES) as readonly InitializerClassName[];

/** An initializer by name: the class name with a small first letter ('glorotUniform'). */
export type InitializerName = Uncapitalize<InitializerClassName>;
export const INITIALIZERS = INITIALIZER_CLASS_NAMES.map(nameOf);

const MODES = ['fan_in', 'fan_out', 'fan_avg'] as const;
/** Keras 2.0-2.2 wrote "normal" for the truncated normal. */
const DISTRIBUTIONS = ['truncated_normal', 'untruncated_normal', 'uniform', 'normal'] as const;

export interface InitializerArgs {
  seed?: number | null;
  scale?: number;
  mode?: (typeof MODES)[number];
  distribution?: (typeof DISTRIBUTIONS)[number];
  mean?: number;
  stddev?: number;
  minval?: number;
  maxval?: number;
  gain?: number;
  value?: number;
}

/** An initializer with arguments; every argument of its class is present once validated. */
export interface InitializerSpec {
  className: InitializerClassName;
  config: InitializerArgs;
}

/** What a layer option takes: a name, or a class with its arguments. */
export type Initializer = InitializerName | InitializerSpec;

function nameOf(className: InitializerClassName): InitializerName {
  return (className[0]!.toLowerCase() + className.slice(1)) as InitializerName;
}

/** 'he_normal', 'heNormal' or 'HeNormal' to its class; undefined when no class has that name. */
export function initializerClass(name: string): InitializerClassName | undefined {
  const wanted = name.replace(/_/g, '').toLowerCase();
  return INITIALIZER_CLASS_NAMES.find((c) => c.toLowerCase() === wanted);
}

/** The class and every argument of a validated initializer. */
export function initializerSpec(init: Initializer): { className: InitializerClassName; config: Required<InitializerArgs> } {
  const className = typeof init === 'string' ? initializerClass(init)! : init.className;
  const config = { ...CLASSES[className], ...(typeof init === 'string' ? {} : init.config) };
  return { className, config: config as Required<InitializerArgs> };
}

/**
 * An initializer option checked (untrusted: from a file, a link or the editor): a known name or
 * class, known arguments of the right types. It comes back as its name when every argument is at
 * Keras's default, else as a spec with all its arguments, so equal initializers compare equal.
 */
export function initializerArg(where: string, option: string, value: unknown, fallback: InitializerName): Initializer {
  if (value === undefined) return fallback;
  const names = INITIALIZERS.join(', ');
  if (typeof value === 'string') {
    const className = initializerClass(value);
    if (!className) fail(where, `${option}: unknown initializer ${describe(value)}; use one of ${names}.`);
    return nameOf(className);
  }
  const spec = value as { className?: unknown; config?: unknown };
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof spec.className !== 'string') {
    return fail(where, `${option} must be an initializer name (${names}) or { className, config }, got ${describe(value)}.`);
  }
  const className = initializerClass(spec.className);
  if (!className) fail(where, `${option}: unknown initializer ${describe(spec.className)}; use one of ${INITIALIZER_CLASS_NAMES.join(', ')}.`);
  const given = spec.config ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) fail(where, `${option}.config must be an object, got ${describe(given)}.`);
  const defaults: Record<string, unknown> = CLASSES[className];
  const config: Record<string, unknown> = { ...defaults };
  for (const [key, v] of Object.entries(given)) {
    if (!Object.hasOwn(defaults, key)) {
      fail(where, `${option}: ${className} has no argument "${key}"; its arguments are ${Object.keys(defaults).join(', ') || 'none'}.`);
    }
    config[key] = argument(`${where}: ${option} ${className}`, key, v);
  }
  if (Object.keys(config).every((k) => config[k] === defaults[k])) return nameOf(className);
  return { className, config: config as InitializerArgs };
}

function argument(where: string, key: string, value: unknown): unknown {
  if (key === 'seed') {
    if (value === null || (Number.isInteger(value) && (value as number) >= 0)) return value;
    return fail(where, `seed must be a non-negative integer or null, got ${describe(value)}.`);
  }
  if (key === 'mode' || key === 'distribution') {
    const accepted: readonly string[] = key === 'mode' ? MODES : DISTRIBUTIONS;
    if (typeof value === 'string' && accepted.includes(value)) return value === 'normal' ? 'truncated_normal' : value;
    return fail(where, `${key} must be one of ${accepted.join(', ')}, got ${describe(value)}.`);
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail(where, `${key} must be a number, got ${describe(value)}.`);
  if ((key === 'scale' || key === 'stddev') && value <= 0) return fail(where, `${key} must be positive, got ${value}.`);
  return value;
}

/** The arguments that differ from the class's defaults, for code that writes an initializer out. */
export function changedArgs(init: InitializerSpec): [key: string, value: string | number | null][] {
  const defaults: Record<string, unknown> = CLASSES[init.className];
  return Object.entries(init.config).filter(([key, value]) => value !== defaults[key]) as [string, string | number | null][];
}

export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

/** The VarianceScaling arguments a named class stands for. */
const SCALED: Partial<Record<InitializerClassName, { scale: number; mode: string; distribution: string }>> = {
  GlorotUniform: { scale: 1, mode: 'fan_avg', distribution: 'uniform' },
  GlorotNormal: { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' },
  HeUniform: { scale: 2, mode: 'fan_in', distribution: 'uniform' },
  HeNormal: { scale: 2, mode: 'fan_in', distribution: 'truncated_normal' },
  LecunUniform: { scale: 1, mode: 'fan_in', distribution: 'uniform' },
  LecunNormal: { scale: 1, mode: 'fan_in', distribution: 'truncated_normal' },
};

/** A standard normal draw (Box-Muller). */
function normal(rng: Random): number {
  const u = 1 - rng.nextFloat(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/** A standard normal draw redrawn until within two standard deviations, as Keras's truncated_normal. */
function truncatedNormal(rng: Random): number {
  for (;;) {
    const z = normal(rng);
    if (Math.abs(z) <= 2) return z;
  }
}

/**
 * Keras's Orthogonal: a (max x min) Gaussian matrix's Q factor (columns made orthonormal by
 * Gram-Schmidt, done twice for accuracy, which keeps R's diagonal positive as Keras's sign fix
 * does), transposed when the flattened shape has fewer rows than columns.
 */
function orthogonal(shape: readonly number[], out: Float32Array, gain: number, rng: Random): void {
  if (shape.length < 2) throw new Error(`Orthogonal needs a weight of at least two dimensions, got shape [${shape.join(', ')}]`);
  const cols = shape[shape.length - 1]!;
  const rows = out.length / cols;
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const q = Array.from({ length: n }, () => Float64Array.from({ length: m }, () => normal(rng)));
  for (let j = 0; j < n; j++) {
    const v = q[j]!;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        const u = q[k]!;
        let dot = 0;
        for (let i = 0; i < m; i++) dot += u[i]! * v[i]!;
        for (let i = 0; i < m; i++) v[i]! -= dot * u[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) v[i]! /= norm;
  }
  // q[j][i] is Q[i][j] of the (m x n) factor; the weight is Q (rows >= cols) or its transpose.
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (rows >= cols ? q[c]![r]! : q[r]![c]!);
  }
}

/** Fills `out` (a weight of `shape`) in place; `rng` serves initializers without a seed of their own. */
export function initialize(init: Initializer, shape: readonly number[], out: Float32Array, rng: Random): void {
  const { className, config } = initializerSpec(init);
  if (typeof config.seed === 'number') rng = new Random(config.seed);
  switch (className) {
    case 'Zeros':
    case 'Ones':
    case 'Constant':
      out.fill(className === 'Ones' ? 1 : className === 'Zeros' ? 0 : config.value);
      return;
    case 'Identity': {
      if (shape.length !== 2) throw new Error(`Identity can only initialize 2D weights, got shape [${shape.join(', ')}]`);
      const cols = shape[1]!;
      out.fill(0);
      for (let i = 0; i < Math.min(shape[0]!, cols); i++) out[i * cols + i] = config.gain;
      return;
    }
    case 'Orthogonal':
      orthogonal(shape, out, config.gain, rng);
      return;
    case 'RandomUniform':
      for (let i = 0; i < out.length; i++) out[i] = config.minval + rng.nextFloat() * (config.maxval - config.minval);
      return;
    case 'RandomNormal':
    case 'TruncatedNormal': {
      const draw = className === 'RandomNormal' ? normal : truncatedNormal;
      for (let i = 0; i < out.length; i++) out[i] = config.mean + config.stddev * draw(rng);
      return;
    }
    default: {
      const { scale, mode, distribution } = SCALED[className] ?? config;
      const { fanIn, fanOut } = computeFans(shape);
      const fan = mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
      const variance = scale / Math.max(1, fan);
      if (distribution === 'uniform') {
        const limit = Math.sqrt(3 * variance);
        for (let i = 0; i < out.length; i++) out[i] = rng.symmetric(limit);
      } else if (distribution === 'untruncated_normal') {
        const stddev = Math.sqrt(variance);
        for (let i = 0; i < out.length; i++) out[i] = stddev * normal(rng);
      } else {
        // Keras divides by the standard deviation of a unit normal truncated at two.
        const stddev = Math.sqrt(variance) / 0.8796256610342398;
        for (let i = 0; i < out.length; i++) out[i] = stddev * truncatedNormal(rng);
      }
    }
  }
}
