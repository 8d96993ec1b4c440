// Keras's weight regularizers (L1, L2, L1L2: a penalty added to the loss) and constraints
// (MaxNorm, NonNeg, UnitNorm, MinMaxNorm: a projection applied to a weight after each update),
// with Keras's classes, arguments and defaults. Each is { className, config } with Keras's
// argument names, as Keras's get_config writes it; Keras's shortcut names ('l2', 'max_norm') are
// read as their classes at Keras's defaults. null: none.

import { describe, fail } from './validate.ts';

/** Each class's arguments with Keras 3's defaults ('l1' and 'l2' strings mean L1(0.01) and L2(0.01)). */
const REGULARIZER_CLASSES = {
  L1: { l1: 0.01 },
  L2: { l2: 0.01 },
  L1L2: { l1: 0, l2: 0 },
} as const;

const CONSTRAINT_CLASSES = {
  MaxNorm: { max_value: 2, axis: 0 },
  NonNeg: {},
  UnitNorm: { axis: 0 },
  MinMaxNorm: { min_value: 0, max_value: 1, rate: 1, axis: 0 },
} as const;

/** Keras's shortcut strings where they differ from the class name's snake case ('l1_l2' is L1L2 at 0.01 each). */
const SHORTCUTS: Record<string, { className: string; config: Record<string, number> }> = {
  l1_l2: { className: 'L1L2', config: { l1: 0.01, l2: 0.01 } },
};

export type RegularizerClassName = keyof typeof REGULARIZER_CLASSES;
export type ConstraintClassName = keyof typeof CONSTRAINT_CLASSES;
export const REGULARIZER_CLASS_NAMES = Object.keys(REGULARIZER_CLASSES) as readonly RegularizerClassName[];
export const CONSTRAINT_CLASS_NAMES = Object.keys(CONSTRAINT_CLASSES) as readonly ConstraintClassName[];

export interface RegularizerSpec {
  className: RegularizerClassName;
  config: { l1?: number; l2?: number };
}

export interface ConstraintSpec {
  className: ConstraintClassName;
  /** axis: the axes a norm runs over (Keras: an int or a list; 0 = over a Dense kernel's inputs). */
  config: { max_value?: number; min_value?: number; rate?: number; axis?: number | number[] };
}

/** What a regularizer option holds once validated: every argument of its class, or null. */
export type Regularizer = RegularizerSpec | null;
export type Constraint = ConstraintSpec | null;

type Classes = Record<string, Record<string, number>>;

/** 'max_norm', 'maxnorm', 'MaxNorm' to the class; undefined when none has that name. */
function classNamed<T extends string>(names: readonly T[], name: string): T | undefined {
  const wanted = name.replace(/_/g, '').toLowerCase();
  return names.find((c) => c.toLowerCase() === wanted);
}

/** Reads a name or { className, config } against a class table; every argument present in the result. */
function readSpec(where: string, option: string, value: unknown, classes: Classes, kind: string): { className: string; config: Record<string, unknown> } | null {
  if (value === undefined || value === null) return null;
  const names = Object.keys(classes);
  if (typeof value === 'string') {
    const shortcut = SHORTCUTS[value.toLowerCase()];
    if (shortcut && kind === 'regularizer') return { className: shortcut.className, config: { ...shortcut.config } };
    const className = classNamed(names, value);
    if (!className) return fail(where, `${option}: unknown ${kind} ${describe(value)}; use one of ${names.join(', ')} (or null for none).`);
    return { className, config: { ...classes[className] } };
  }
  const spec = value as { className?: unknown; config?: unknown };
  if (typeof value !== 'object' || Array.isArray(value) || typeof spec.className !== 'string') {
    return fail(where, `${option} must be a ${kind} name (${names.join(', ')}), { className, config } or null, got ${describe(value)}.`);
  }
  const className = classNamed(names, spec.className);
  if (!className) return fail(where, `${option}: unknown ${kind} ${describe(spec.className)}; use one of ${names.join(', ')}.`);
  const given = spec.config ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) fail(where, `${option}.config must be an object, got ${describe(given)}.`);
  const defaults = classes[className];
  const config: Record<string, unknown> = { ...defaults };
  for (const [key, v] of Object.entries(given)) {
    if (!Object.hasOwn(defaults, key)) fail(where, `${option}: ${className} has no argument "${key}"; its arguments are ${Object.keys(defaults).join(', ') || 'none'}.`);
    // Keras 3's L1L2 reads None as 0.
    config[key] = v === null && kind === 'regularizer' ? 0 : v;
  }
  return { className, config };
}

function nonNegative(where: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(where, `${key} must be a number >= 0, got ${describe(value)}.`);
  return value;
}

/** A regularizer option: null, 'l1' | 'l2' | 'l1_l2' or a class name, or { className, config }. */
export function regularizerArg(where: string, option: string, value: unknown): Regularizer {
  const spec = readSpec(where, option, value, REGULARIZER_CLASSES, 'regularizer');
  if (!spec) return null;
  const at = `${where}: ${option} ${spec.className}`;
  for (const key of Object.keys(spec.config)) spec.config[key] = nonNegative(at, key, spec.config[key]);
  return spec as RegularizerSpec;
}

/** A constraint option: null, a name ('max_norm', 'NonNeg', ...) or { className, config }. */
export function constraintArg(where: string, option: string, value: unknown): Constraint {
  const spec = readSpec(where, option, value, CONSTRAINT_CLASSES, 'constraint');
  if (!spec) return null;
  const at = `${where}: ${option} ${spec.className}`;
  const config = spec.config;
  for (const key of ['max_value', 'min_value', 'rate'] as const) if (key in config) config[key] = nonNegative(at, key, config[key]);
  if ('axis' in config) {
    const axes = Array.isArray(config.axis) ? config.axis : [config.axis];
    if (axes.length === 0 || !axes.every((a) => Number.isInteger(a))) fail(at, `axis must be an integer or a list of integers, got ${describe(config.axis)}.`);
  }
  if (spec.className === 'MinMaxNorm' && (config.min_value as number) > (config.max_value as number)) {
    fail(at, `min_value ${String(config.min_value)} is larger than max_value ${String(config.max_value)}.`);
  }
  return spec as ConstraintSpec;
}

/** The penalty's coefficients: loss += l1 * sum|w| + l2 * sum w^2. */
export function penaltyOf(r: RegularizerSpec): { l1: number; l2: number } {
  return { l1: r.config.l1 ?? 0, l2: r.config.l2 ?? 0 };
}

/** A constraint's axes for a weight of `rank`, non-negative and sorted (Keras's axis, negatives from the end). */
export function constraintAxes(c: ConstraintSpec, rank: number, where: string): number[] {
  if (c.config.axis === undefined) return [];
  const given = Array.isArray(c.config.axis) ? c.config.axis : [c.config.axis];
  const axes = given.map((a) => (a < 0 ? a + rank : a));
  if (axes.some((a) => a < 0 || a >= rank)) fail(where, `${c.className} axis ${JSON.stringify(c.config.axis)} is outside a weight of rank ${rank}.`);
  return [...new Set(axes)].sort((a, b) => a - b);
}

/** Keras's get_config arguments that differ from the class's defaults, for Python and TypeScript. */
export function changedSpecArgs(spec: RegularizerSpec | ConstraintSpec): [string, unknown][] {
  const defaults: Record<string, unknown> = spec.className in REGULARIZER_CLASSES
    ? REGULARIZER_CLASSES[spec.className as RegularizerClassName]
    : CONSTRAINT_CLASSES[spec.className as ConstraintClassName];
  return Object.entries(spec.config).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(defaults[k]));
}

/** Python source: keras.regularizers.L2(l2=0.001), keras.constraints.MaxNorm(max_value=3). */
export function specPython(module: 'regularizers' | 'constraints', spec: RegularizerSpec | ConstraintSpec): string {
  const value = (v: unknown) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
  const args = changedSpecArgs(spec).map(([k, v]) => `${k}=${value(v)}`);
  return `keras.${module}.${spec.className}(${args.join(', ')})`;
}
