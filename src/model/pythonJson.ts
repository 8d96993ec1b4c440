// JSON text as Python's json.dumps writes it (", " and ": ", floats as Python's repr, ensure_ascii):
// how Keras writes model.to_json(), a .keras file's config.json and an .h5's model_config.

import type { Json } from './kerasConfig.ts';
import { fail } from './validate.ts';

/**
 * Python's repr of a float where it differs from JavaScript's: exponents below 1e-4 and from
 * 1e16 ("1e-05", "1e+16"). Integral values are written as integers (we do not know which
 * Keras keeps as floats; json.loads reads both the same).
 */
function pythonNumber(value: number): string {
  if (!Number.isFinite(value)) return fail('pythonJson', `${value} cannot be written in JSON.`);
  const abs = Math.abs(value);
  if (Number.isInteger(value) && abs < 1e16) return String(value);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    const sign = exponent.startsWith('-') ? '-' : '+';
    const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(value);
}

/**
 * Keys whose values Keras checks are Python floats when it loads them (SGD refuses `momentum: 0`;
 * optimizers convert a non-float learning_rate), written with ".0" when integral.
 */
const FLOAT_KEYS = new Set(['momentum', 'learning_rate']);

/** JSON text as Python's json.dumps writes it. */
export function pythonJson(value: Json, key?: string): string {
  if (Array.isArray(value)) return `[${value.map((v) => pythonJson(v)).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${pythonString(k)}: ${pythonJson(v, k)}`).join(', ')}}`;
  }
  if (typeof value === 'number' && key !== undefined && FLOAT_KEYS.has(key) && Number.isInteger(value)) return `${value}.0`;
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value);
  return JSON.stringify(value);
}

/** json.dumps's ensure_ascii: every character past ASCII as \uXXXX. */
function pythonString(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
