// Fuzzing the two file formats a user can hand us (model JSON and weight manifests): a seeded
// mutator damages the JSON of every example model and its weight manifest thousands of ways,
// and each case must end in a model or a clear Error (never a TypeError, RangeError or a stack
// overflow), within a time bound, with a short message, and a failed weight load changes nothing.

import { beforeEach, describe, expect, it } from 'vitest';
import { rng } from '../../tests/util/check';
import { examples } from './examples';
import { fromJSON, resetNameScope, setSeed, type Model } from './index';

const MODEL_CASES = 3000;
const WEIGHT_CASES = 2000;
/** Per case; generous because CI runs on 2 shared cores (a case takes well under 50 ms). */
const BOUND_MS = 1000;
const MAX_MESSAGE = 2000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Rand = () => number;

const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

function nested(depth: number): Json {
  let v: Json = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** Values a hostile or careless file might hold where a config expects something else. */
function evilValue(r: Rand): Json {
  const choices: (() => Json)[] = [
    () => pick(r, [0, -1, 2.5, 1e12, 2 ** 53, -1e308, 1, 3, 64, 4096]),
    () => pick(r, ['', 'x', 'relu', 'same', 'valid', 'Dense', 'softmax', '8', 'a'.repeat(10_000)]),
    () => pick(r, [null, true, false]),
    () => pick(r, [[], [null, 3], [null, 28, 28, 1], [3, 3], [0, 0], [1e12, 1]]),
    () => ({}),
    () => nested(pick(r, [10, 100, 1000])),
    () => Array.from({ length: pick(r, [100, 20_000]) }, () => 1),
  ];
  return pick(r, choices)();
}

const KEYS = ['__proto__', 'constructor', 'prototype', 'units', 'filters', 'kernel_size', 'strides', 'padding', 'activation', 'rate', 'name', 'batch_input_shape', 'inbound_nodes', 'layers', 'class_name', 'config'];

/** Every container in the tree, with the path to it. */
function containers(v: Json, out: (Json[] | { [key: string]: Json })[] = [], depth = 0): (Json[] | { [key: string]: Json })[] {
  if (depth > 40 || v === null || typeof v !== 'object') return out;
  out.push(v);
  for (const child of Array.isArray(v) ? v : Object.values(v)) containers(child, out, depth + 1);
  return out;
}

/** An own property, even for "__proto__" (as JSON.parse creates it). */
function setOwn(obj: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** One to three random edits of a deep copy. */
function mutate(source: Json, r: Rand): Json {
  const root = structuredClone(source);
  const edits = 1 + Math.floor(r() * 3);
  for (let e = 0; e < edits; e++) {
    const target = pick(r, containers(root));
    const keys = Array.isArray(target) ? target.map((_, i) => i) : Object.keys(target);
    const op = Math.floor(r() * 6);
    if (keys.length === 0 || op === 0) {
      if (Array.isArray(target)) target.push(evilValue(r));
      else setOwn(target, pick(r, KEYS), evilValue(r));
      continue;
    }
    const key = pick(r, keys as (string | number)[]);
    const t = target as Record<string | number, Json>;
    if (op === 1 || op === 2) {
      t[key] = evilValue(r);
    } else if (op === 3) {
      if (Array.isArray(target)) target.splice(key as number, 1);
      else delete t[key];
    } else if (op === 4 && Array.isArray(target)) {
      // A duplicated entry: two layers with one name, or a node listed twice.
      target.splice(key as number, 0, structuredClone(target[key as number]!));
    } else if (Array.isArray(target) && target.length > 1) {
      const other = Math.floor(r() * target.length);
      [target[key as number], target[other]] = [target[other]!, target[key as number]!];
    } else {
      t[key] = pick(r, [[], {}, null, 'Sequential', 'Functional', 'Lambda']);
    }
  }
  return root;
}

/** Text damage: truncation, a stray character, or a raw JS payload instead of JSON. */
function mutateText(text: string, r: Rand): string {
  const at = Math.floor(r() * text.length);
  return pick(r, [
    () => text.slice(0, at),
    () => `${text.slice(0, at)}${pick(r, ['{', '}', '"', ',', ']', '\\', '\u0000'])}${text.slice(at)}`,
    () => `(function(){ globalThis.__pwned = true; })()`,
    // Deeper than any recursive reader could follow.
    () => `${text.slice(0, at)}${'['.repeat(200_000)}${text.slice(at)}`,
    () => text.replace('"Sequential"', '"eval"'),
  ])();
}

function expectClearError(e: unknown, what: string): void {
  if (!(e instanceof Error)) throw new Error(`${what}: threw a non-Error ${String(e)}`);
  if (e.constructor !== Error) throw new Error(`${what}: threw a ${e.constructor.name}, not a clear Error: ${e.message.slice(0, 300)}`);
  if (e.message.length === 0 || e.message.length > MAX_MESSAGE) throw new Error(`${what}: message of ${e.message.length} characters: ${e.message.slice(0, 300)}`);
}

function timed(what: string, run: () => void): void {
  const t0 = performance.now();
  run();
  const ms = performance.now() - t0;
  if (ms > BOUND_MS) throw new Error(`${what}: took ${ms.toFixed(0)} ms, over the bound of ${BOUND_MS} ms`);
}

beforeEach(() => {
  resetNameScope();
  setSeed(0);
});

describe('fuzz', () => {
  const seeds = Object.entries(examples).map(([key, ex]) => {
    resetNameScope();
    return { key, json: JSON.parse(JSON.stringify(ex.build())) as Json };
  });

  it(`${MODEL_CASES} mutated model JSONs each end in a model or a clear error, in bounded time`, () => {
    const r = rng(20240607);
    const outcomes = { model: 0, error: 0 };
    for (let i = 0; i < MODEL_CASES; i++) {
      const seed = pick(r, seeds);
      const mutated = mutate(seed.json, r);
      const asText = r() < 0.25;
      const input: unknown = asText ? (r() < 0.5 ? mutateText(JSON.stringify(mutated), r) : JSON.stringify(mutated)) : mutated;
      const what = `case ${i} (from ${seed.key}${asText ? ', as text' : ''})`;
      timed(what, () => {
        let m: Model;
        try {
          m = fromJSON(input);
        } catch (e) {
          expectClearError(e, what);
          outcomes.error++;
          return;
        }
        // A model that loads must be a whole one: it counts, summarizes and round-trips.
        m.countParams();
        m.summary();
        expect(JSON.stringify(fromJSON(JSON.stringify(m)))).toBe(JSON.stringify(m));
        outcomes.model++;
      });
    }
    expect((globalThis as { __pwned?: boolean }).__pwned).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('x');
    // The mutator is not so gentle that nothing fails, nor so harsh that nothing loads.
    expect(outcomes.error).toBeGreaterThan(MODEL_CASES / 10);
    expect(outcomes.model).toBeGreaterThan(MODEL_CASES / 20);
  });

  it(`${WEIGHT_CASES} mutated weight manifests and blobs load or fail with the weights unchanged`, () => {
    const r = rng(77);
    const built = Object.values(examples).map((ex) => {
      resetNameScope();
      const m = ex.build();
      return { m, saved: m.saveWeights(), before: m.getWeights() };
    });
    const outcomes = { loaded: 0, error: 0 };
    for (let i = 0; i < WEIGHT_CASES; i++) {
      const { m, saved, before } = pick(r, built);
      const manifest = r() < 0.9 ? mutate(saved.manifest as unknown as Json, r) : saved.manifest;
      const bytes = new Uint8Array(saved.data);
      const data = pick(r, [bytes, bytes, bytes.subarray(0, Math.floor(r() * bytes.length)), new Uint8Array(bytes.length + 8), new Uint8Array(0)]);
      const what = `weights case ${i} (${m.name})`;
      timed(what, () => {
        try {
          m.loadWeights(manifest, data);
          outcomes.loaded++;
        } catch (e) {
          expectClearError(e, what);
          const same = m.getWeights().every((w, k) => Buffer.from(w.buffer).equals(Buffer.from(before[k]!.buffer)));
          if (!same) throw new Error(`${what}: a failed load changed the weights`, { cause: e });
          outcomes.error++;
        }
      });
      m.setWeights(before);
    }
    expect(outcomes.error).toBeGreaterThan(WEIGHT_CASES / 2);
    expect(outcomes.loaded).toBeGreaterThan(0);
  });
});
