// The positional-parameter table against Keras 3.15.1's inspect.signature (the fixture written by
// make_python.py), and Keras 3's automatic names (one session's Inputs, functional models and
// Sequentials, from the same script) against the naming scope's Keras 3 layout.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { input, layers, model, resetNameScope, sequential } from '../../index';
import { defaultNameScope } from '../../naming';
import { LAYER_CLASS_NAMES } from '../../layers/registry';
import { KERAS_POSITIONAL } from './signatures';
import { readPython } from './index';

const DIR = new URL('../../../../tests/fixtures/keras/io/python/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, DIR), 'utf8');

describe("Keras 3's signatures", () => {
  it('matches the fixture and covers every registry layer class', () => {
    expect(KERAS_POSITIONAL).toEqual(JSON.parse(read('keras3.15.1_signatures.json')));
    for (const className of LAYER_CLASS_NAMES) expect(KERAS_POSITIONAL[`layers.${className}`]).toBeDefined();
  });
});

describe("Keras 3's automatic names", () => {
  afterEach(() => {
    defaultNameScope.layout = 'classic';
    resetNameScope();
  });

  it('names one session like Keras 3.15.1: input_layer_N shared by Inputs and Sequential inputs, functional_N', () => {
    const expected = JSON.parse(read('keras3.15.1_session_names.json')) as Record<string, string[] | string>;
    defaultNameScope.layout = 'keras3';
    resetNameScope();
    const a = input({ shape: [3] });
    const b = input({ shape: [3] });
    const m1 = model({ inputs: a, outputs: layers.dense({ units: 1 }).apply(a) });
    const m2 = model({ inputs: b, outputs: layers.dense({ units: 1 }).apply(b) });
    const s1 = sequential({ layers: [layers.dense({ units: 2, inputShape: [4] })] });
    const s2 = sequential();
    s2.add(layers.dense({ units: 2, inputShape: [4] }));
    const s3 = sequential({ layers: [input({ shape: [4] }), layers.dense({ units: 2 })] });
    const c = input({ shape: [3] });
    expect({
      inputs: [a.layer.name, b.layer.name],
      models: [m1.name, m2.name],
      sequentials: [s1.name, s2.name, s3.name],
      sequential_inputs: [s1, s2, s3].map((s) => s.inputs[0]!.layer.name),
      input_after: c.layer.name,
    }).toEqual(expected);
  });

  it('gives the same names through readPython with the keras3 layout, and tf.keras 2.x names with the classic one', () => {
    const code = `import keras
a = keras.Input(shape=(3,))
b = keras.Input(shape=(3,))
m1 = keras.Model(a, keras.layers.Dense(1)(a))
model = keras.Model(b, keras.layers.Dense(1)(b))`;
    const k3 = readPython(code, { layout: 'keras3' });
    expect(k3.model.name).toBe('functional_1');
    expect(k3.model.inputs[0]!.layer.name).toBe('input_layer_1');
    expect(k3.notes.join('\n')).toContain('"functional", "functional_1"');
    const classic = readPython(code);
    expect(classic.model.name).toBe('model_1');
    expect(classic.model.inputs[0]!.layer.name).toBe('input_2');
    expect(defaultNameScope.layout).toBe('classic');
  });
});
