// The Keras 3 writer against Keras 3.15.1 itself: each fixture is Keras's model.to_json() (or a
// .keras file's config.json) of the same model, made by
// tests/fixtures/keras/io/keras3json/make_keras3json.py. Comparisons are of parsed JSON, key
// order included (JSON.stringify of both); the fields that legitimately differ are listed where
// they are dropped.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { input, layers, resetNameScope, sequential, type Model } from '../index.ts';
import { modelFromJSON } from '../serialize.ts';
import { examples } from '../examples.ts';
import { LAYER_CLASS_NAMES } from '../layers/registry.ts';
import type { Json, JsonObject } from '../kerasConfig.ts';
import type { CompileArgs } from '../train/config.ts';
import { compileFromKeras3, keras3JsonString, modelToKeras3Json, pythonJson } from './keras3Json.ts';

const DIR = new URL('../../../tests/fixtures/keras/io/keras3json/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, DIR), 'utf8');
/** Key order matters: Keras's text is compared through JSON.stringify of the parsed object. */
const canonical = (value: unknown): string => JSON.stringify(value);

/** The built-in examples and their Keras fixture (built in Python with the names our scope gives them). */
const EXAMPLES: Record<string, string> = {
  'seed-cnn': 'seed_cnn.json',
  'seed-cnn-functional': 'seed_cnn_functional.json',
  branched: 'branched.json',
  'multi-input-concat': 'multi_input_concat.json',
  residual: 'residual.json',
  'shared-two-heads': 'shared_two_heads.json',
  'small-xception': 'small_xception.json',
};

/** Models that touch every registry class, read with modelFromJSON and written back. */
const ROUND_TRIPS = ['all_layers.json', 'recurrent.json'];

function build(example: string): Model {
  resetNameScope();
  return examples[example]!.build();
}

function load(file: string): Model {
  resetNameScope();
  return modelFromJSON(read(file));
}

/**
 * The .keras config.json carries shared_object_id on objects Keras serialized more than once
 * (the DTypePolicy every layer shares): Python object ids, which only tie copies together on
 * load. We write none; this drops them from Keras's side.
 */
function withoutSharedIds(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutSharedIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'shared_object_id').map(([k, v]) => [k, withoutSharedIds(v)]));
}

/** Keras's text with floats that hold integers (2.0) written as integers, as we write them. */
function integralFloatsAsInts(text: string): string {
  return text.replace(/(?<=[[ ])(-?\d+)\.0(?=[,\]}])/g, '$1');
}

describe('modelToKeras3Json equals Keras 3.15.1', () => {
  for (const [example, file] of Object.entries(EXAMPLES)) {
    it(`example ${example} = ${file}`, () => {
      expect(canonical(modelToKeras3Json(build(example)))).toBe(canonical(JSON.parse(read(file))));
    });
  }

  for (const file of ROUND_TRIPS) {
    it(`${file}: read and written back unchanged`, () => {
      expect(canonical(modelToKeras3Json(load(file)))).toBe(canonical(JSON.parse(read(file))));
    });
  }

  it('the fixtures touch every layer class of the registry', () => {
    const seen = new Set<string>();
    const visit = (value: Json): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value !== null && typeof value === 'object') {
        if (typeof value.class_name === 'string' && value.module === 'keras.layers') seen.add(value.class_name);
        Object.values(value).forEach(visit);
      }
    };
    for (const file of [...Object.values(EXAMPLES), ...ROUND_TRIPS]) visit(JSON.parse(read(file)) as Json);
    expect(LAYER_CLASS_NAMES.filter((c) => !seen.has(c))).toEqual([]);
  });

  for (const [example, file] of [['seed-cnn', 'seed_cnn'], ['shared-two-heads', 'shared_two_heads']] as const) {
    it(`a .keras file's config.json (${file}) is the same config, less shared_object_id`, () => {
      const keras = withoutSharedIds(JSON.parse(read(`${file}.keras_config.json`)) as Json);
      expect(canonical(modelToKeras3Json(build(example)))).toBe(canonical(keras));
    });
  }

  it('all_layers.keras_config.json, less shared_object_id', () => {
    const keras = withoutSharedIds(JSON.parse(read('all_layers.keras_config.json')) as Json);
    expect(canonical(modelToKeras3Json(load('all_layers.json')))).toBe(canonical(keras));
  });

  it("pythonJson prints numbers and strings as Python's json.dumps does", () => {
    // Python 3.11: json.dumps({'a': 'é\x7f\n', 'b': 1e-7, 'c': 0.5, 'd': [1, 2], 'e': 1.5e-5, 'f': 1e16, 'g': -0.0001, 'h': 123456789.123, 'i': 0.00012345, 'j': -2.5e-10})
    const python = '{"a": "\\u00e9\\u007f\\n", "b": 1e-07, "c": 0.5, "d": [1, 2], "e": 1.5e-05, "f": 1e+16, "g": -0.0001, "h": 123456789.123, "i": 0.00012345, "j": -2.5e-10}';
    expect(pythonJson({ a: 'é\x7f\n', b: 1e-7, c: 0.5, d: [1, 2], e: 1.5e-5, f: 1e16, g: -0.0001, h: 123456789.123, i: 0.00012345, j: -2.5e-10 })).toBe(python);
    expect(() => pythonJson({ x: Number.NaN })).toThrow(/NaN cannot be written in JSON/);
  });

  it('keras3JsonString prints what to_json() prints (integral floats aside)', () => {
    for (const [example, file] of Object.entries(EXAMPLES)) expect(keras3JsonString(build(example))).toBe(integralFloatsAsInts(read(file)));
    for (const file of ROUND_TRIPS) expect(keras3JsonString(load(file))).toBe(integralFloatsAsInts(read(file)));
  });
});

/** compiled.json: Sequential Dense(4, relu) -> Dense(2, softmax) compiled with Adam(0.002). */
function compiledModel(): Model {
  resetNameScope();
  const m = sequential({ name: 'sequential' });
  m.add(input({ shape: [3], name: 'input_1' }));
  m.add(layers.dense({ units: 4, activation: 'relu' }));
  m.add(layers.dense({ units: 2, activation: 'softmax' }));
  return m;
}

const ADAM: CompileArgs = { optimizer: { kind: 'adam', learningRate: 0.002 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] };
const BRANCHED: CompileArgs = {
  optimizer: 'sgd',
  loss: { y1_output: 'mse', y2_output: { className: 'Huber', config: { delta: 2 } } },
  metrics: { y1_output: ['mae'], y2_output: ['mse'] },
  lossWeights: { y1_output: 1, y2_output: 0.5 },
};

describe('compile_config', () => {
  it('Adam with a sparse loss and accuracy, as Keras writes it', () => {
    expect(canonical(modelToKeras3Json(compiledModel(), ADAM))).toBe(canonical(JSON.parse(read('compiled.json'))));
    expect(keras3JsonString(compiledModel(), ADAM)).toBe(integralFloatsAsInts(read('compiled.json')));
  });

  it('per-output losses, metrics and loss weights; Huber keeps its delta, which Keras 3.15.1 drops', () => {
    const keras = JSON.parse(read('compiled_branched.json')) as JsonObject;
    const ours = modelToKeras3Json(build('branched'), BRANCHED);
    const huber = ((ours.compile_config as JsonObject).loss as JsonObject).y2_output as JsonObject;
    expect(huber.config).toEqual({ name: 'huber_loss', reduction: 'sum_over_batch_size', delta: 2 });
    delete (huber.config as JsonObject).delta;
    expect(canonical(ours)).toBe(canonical(keras));
  });

  it('compileFromKeras3 reads Keras compile_configs back', () => {
    const adam = compileFromKeras3(JSON.parse(read('compiled.json')) as JsonObject)!;
    expect(adam.loss).toBe('sparse_categorical_crossentropy');
    expect(adam.metrics).toEqual(['accuracy']);
    expect(adam.optimizer).toMatchObject({ kind: 'adam', learningRate: Math.fround(0.002), beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false });
    const sgd = compileFromKeras3(JSON.parse(read('compiled_branched.json')) as JsonObject)!;
    expect(sgd.optimizer).toMatchObject({ kind: 'sgd', learningRate: Math.fround(0.01), momentum: 0, nesterov: false });
    expect(sgd.loss).toEqual({ y1_output: 'mse', y2_output: { className: 'Huber', config: { name: 'huber_loss', reduction: 'sum_over_batch_size' } } });
    expect(sgd.lossWeights).toEqual({ y1_output: 1, y2_output: 0.5 });
    expect(sgd.metrics).toEqual({ y1_output: ['mae'], y2_output: ['mse'] });
  });

  it('compileFromKeras3: no compile() means undefined; a bad compile_config names the problem', () => {
    expect(compileFromKeras3(JSON.parse(read('seed_cnn.json')) as JsonObject)).toBeUndefined();
    expect(compileFromKeras3({ class_name: 'Sequential', config: {} })).toBeUndefined();
    expect(() => compileFromKeras3({ compile_config: 'adam' })).toThrow(/compile_config: must be an object/);
    expect(() => compileFromKeras3({ compile_config: { loss: 'nope', optimizer: 'adam' } })).toThrow(/unknown loss "nope"/);
    expect(() => compileFromKeras3({ compile_config: { loss: 'mse', optimizer: { class_name: 'Lion', config: {} } } })).toThrow(/unsupported Keras optimizer class "Lion"/);
  });

  it('what we write reads back into the same compile args', () => {
    const json = modelToKeras3Json(compiledModel(), ADAM);
    const back = compileFromKeras3(JSON.parse(keras3JsonString(compiledModel(), ADAM)) as JsonObject)!;
    expect(back.loss).toBe(ADAM.loss);
    expect(back.optimizer).toMatchObject({ kind: 'adam', learningRate: Math.fround(0.002) });
    expect(canonical(modelToKeras3Json(compiledModel(), back))).toBe(canonical(json));
  });
});

describe('what Keras 3 files we write read back', () => {
  for (const example of Object.keys(EXAMPLES)) {
    it(`${example}: modelFromJSON(modelToKeras3Json(m)) has the same layers, shapes and parameters`, () => {
      const m = build(example);
      resetNameScope();
      const back = modelFromJSON(keras3JsonString(m));
      expect(back.graphLayers.map((l) => [l.name, l.className])).toEqual(m.graphLayers.map((l) => [l.name, l.className]));
      expect(back.outputs.map((t) => t.shape)).toEqual(m.outputs.map((t) => t.shape));
      expect(back.countParams()).toBe(m.countParams());
    });
  }

  it('a Sequential without an input shape yet = unbuilt_sequential.json: its layers, no build shapes', () => {
    resetNameScope();
    const m = sequential({ name: 'later' });
    m.add(layers.dense({ units: 3 }));
    expect(canonical(modelToKeras3Json(m))).toBe(canonical(JSON.parse(read('unbuilt_sequential.json'))));
  });
});

describe('floats Keras type-checks on load', () => {
  it('writes SGD momentum 0 and an integral learning rate as Python floats (Keras 3.15.1 refuses momentum: 0)', () => {
    resetNameScope();
    const m = sequential();
    m.add(layers.dense({ units: 2, inputShape: [3] }));
    const text = keras3JsonString(m, { optimizer: { kind: 'sgd', learningRate: 1 }, loss: 'mse' });
    expect(text).toContain('"momentum": 0.0');
    expect(text).toContain('"learning_rate": 1.0');
    expect(text).toContain('"units": 2,');
  });
});
