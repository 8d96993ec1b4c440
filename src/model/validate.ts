// Option checking shared by the layer factories. Every message names the
// layer, the option, what it got and what it accepts, so a learner can fix
// the call without reading our source.

import { ACTIVATION_ALIASES, ACTIVATIONS, type ActivationName } from '../ops/activations.ts';
import { formatDims, type Shape } from '../ops/shapes.ts';

/** Upper bounds that keep a hostile or mistyped config from allocating. */
export const LIMITS = {
  /** Largest single dimension (units, filters, image side). */
  maxDim: 1 << 24,
  /** Largest weight tensor allocated, in elements (256 Mi floats = 1 GiB; VGG16's largest is 98 Mi). */
  maxWeightElements: 1 << 28,
  /** Most layers in one model (a config with more is rejected up front). */
  maxLayers: 10_000,
  /** Longest layer or model name. */
  maxNameLength: 256,
} as const;

const MAX_DESCRIBED = 80;

/** A value as an error message shows it: short (a hostile value must not make a huge message) and never recursing deeply. */
export function describe(value: unknown): string {
  const text = describeAt(value, 0);
  return text.length > MAX_DESCRIBED ? `${text.slice(0, MAX_DESCRIBED)}…` : text;
}

function describeAt(value: unknown, depth: number): string {
  if (typeof value === 'string') return JSON.stringify(value.length > MAX_DESCRIBED ? value.slice(0, MAX_DESCRIBED) : value);
  if (Array.isArray(value)) {
    if (depth > 3) return '[…]';
    const shown = value.slice(0, 8).map((v) => describeAt(v, depth + 1));
    return `[${shown.join(', ')}${value.length > 8 ? `, … (${value.length} items)` : ''}]`;
  }
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Clips text quoted into a message (V8's JSON.parse errors quote the whole input). */
export function clip(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

export function fail(where: string, message: string): never {
  // `where` may quote a name from a file that is still to be checked: keep it short.
  throw new Error(`${clip(where, 120)}: ${message}`);
}

/** Rejects misspelled options (kernel_size, input_shape, ...) by name. */
export function checkKeys(where: string, args: object, allowed: readonly string[]): void {
  for (const key of Object.keys(args)) {
    if (!allowed.includes(key)) {
      fail(where, `unknown option ${describe(key)}. Accepted options: ${allowed.join(', ')}.`);
    }
  }
}

export function positiveInt(where: string, option: string, value: unknown, max: number = LIMITS.maxDim): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    fail(where, `${option} must be an integer from 1 to ${max}, got ${describe(value)}.`);
  }
  return value;
}

/** An int or [h, w] pair of positive ints, as Keras accepts for kernel_size. */
export function intPair(where: string, option: string, value: unknown): [number, number] {
  if (typeof value === 'number') {
    const v = positiveInt(where, option, value);
    return [v, v];
  }
  if (Array.isArray(value) && value.length === 2) {
    return [positiveInt(where, `${option}[0]`, value[0]), positiveInt(where, `${option}[1]`, value[1])];
  }
  return fail(where, `${option} must be a positive integer or a pair [height, width], got ${describe(value)}.`);
}

export function oneOf<T extends string>(where: string, option: string, value: unknown, accepted: readonly T[]): T {
  if (typeof value !== 'string' || !(accepted as readonly string[]).includes(value)) {
    fail(where, `${option} must be one of ${accepted.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}.`);
  }
  return value as T;
}

export function bool(where: string, option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(where, `${option} must be true or false, got ${describe(value)}.`);
  return value;
}

/** U+0000 to U+001F or U+007F (DEL). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export function checkName(where: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > LIMITS.maxNameLength) {
    fail(where, `name must be a non-empty string of at most ${LIMITS.maxNameLength} characters, got ${describe(value)}.`);
  }
  // Names end up in Python code, JSON and fixed-width tables: printable only.
  if (hasControlCharacter(value)) fail(where, `name ${describe(value)} contains control characters.`);
  return value;
}

/** A feature shape without the batch dimension, e.g. inputShape [28, 28, 1]. */
export function featureShape(where: string, option: string, value: unknown): Shape {
  if (!Array.isArray(value) || value.length > 8) {
    fail(where, `${option} must be an array of at most 8 dimensions like [28, 28, 1], got ${describe(value)}.`);
  }
  return value.map((d, i) => (d === null ? null : positiveInt(where, `${option}[${i}]`, d)));
}

export function shapeText(shape: Shape): string {
  return `(${formatDims(shape)})`;
}

/** A layer's activation option: undefined/null is linear, else one of ACTIVATIONS. */
export function checkActivation(where: string, value: unknown): ActivationName {
  if (value === undefined || value === null) return 'linear';
  // Keras reads 'swish' and writes 'silu'.
  const name = typeof value === 'string' && Object.hasOwn(ACTIVATION_ALIASES, value) ? ACTIVATION_ALIASES[value] : value;
  return oneOf(where, 'activation', name, ACTIVATIONS);
}
