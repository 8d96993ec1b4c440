// Keras JSON round trips, loading Keras-written and TF.js files, hostile
// inputs, weight blobs and the Python export.

import { beforeEach, describe, expect, it } from 'vitest';
import { fromJSON, input, layers, model, modelToJSONString, resetNameScope, setSeed } from './index.ts';
import { branched, examples, seedCnn } from './examples.ts';

beforeEach(() => {
  resetNameScope();
  setSeed(0);
});

describe('toJSON / fromJSON', () => {
  for (const [key, example] of Object.entries(examples)) {
    it(`round-trips ${key} exactly`, () => {
      resetNameScope();
      const m = example.build();
      const text = JSON.stringify(m);
      const back = fromJSON(text);
      expect(JSON.stringify(back)).toBe(text);
      expect(back.summary()).toBe(m.summary());
      expect(back.kind).toBe(m.kind);
    });
  }

  it('writes the tf.keras 2.6 layout', () => {
    const json = branched().toJSON();
    expect(json.class_name).toBe('Functional');
    expect(json.config.input_layers).toEqual([['input_layer', 0, 0]]);
    expect(json.config.output_layers).toEqual([['y1_output', 0, 0], ['y2_output', 0, 0]]);
    const layer = (json.config.layers as { name: string; inbound_nodes: unknown }[]).find((l) => l.name === 'y2_output')!;
    expect(layer.inbound_nodes).toEqual([[['Branched_layer', 0, 0, {}]]]);
    resetNameScope();
    const seq = seedCnn().toJSON();
    const first = (seq.config.layers as { class_name: string; config: Record<string, unknown> }[])[0]!;
    expect(first).toEqual({ class_name: 'InputLayer', config: { batch_input_shape: [null, 28, 28, 1], dtype: 'float32', sparse: false, ragged: false, name: 'conv2d_input' } });
    expect(modelToJSONString(branched()).startsWith('{"class_name": "Functional", "config": {"name": "model", "layers": [{')).toBe(true);
  });

  it('loads a TF <= 2.3 Sequential config (no InputLayer entry, string initializers)', () => {
    const m = fromJSON({
      class_name: 'Sequential',
      config: {
        name: 'sequential_7',
        layers: [
          { class_name: 'Dense', config: { name: 'hidden', batch_input_shape: [null, 4], units: 3, activation: 'relu', kernel_initializer: 'glorot_uniform' } },
          { class_name: 'Dense', config: { name: 'out', units: 2, activation: 'softmax' } },
        ],
      },
    });
    expect(m.name).toBe('sequential_7');
    expect(m.countParams()).toBe(15 + 8);
    expect(m.layers.map((l) => l.name)).toEqual(['hidden', 'out']);
  });

  it('loads a TF.js model.json (modelTopology.model_config) and Keras 3 nodes', () => {
    const keras3Node = (name: string) => ({ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 3], dtype: 'float32', keras_history: [name, 0, 0] } }], kwargs: {} });
    const topology = {
      class_name: 'Functional',
      config: {
        name: 'k3',
        layers: [
          { class_name: 'InputLayer', config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'x' }, name: 'x', inbound_nodes: [] },
          { class_name: 'Dense', config: { name: 'd', units: 2, activation: 'linear' }, name: 'd', inbound_nodes: [keras3Node('x')] },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['d', 0, 0]],
      },
    };
    expect(fromJSON({ format: 'layers-model', modelTopology: { keras_version: '2.6.0', model_config: topology } }).countParams()).toBe(8);
    expect(fromJSON(JSON.stringify({ modelTopology: topology })).name).toBe('k3');
  });
});

describe('fromJSON refuses what it cannot run', () => {
  const bad: [string, unknown, RegExp][] = [
    ['malformed JSON', '{"class_name": ', /malformed JSON/],
    ['unknown layer class', { class_name: 'Sequential', config: { layers: [{ class_name: 'ConvLSTM2D', config: { name: 'c' } }] } }, /unknown layer class "ConvLSTM2D".*Supported: InputLayer, Dense/],
    ['unknown model class', { class_name: 'Pipeline', config: {} }, /unknown model class "Pipeline"/],
    ['prototype keys', JSON.parse('{"class_name": "Sequential", "config": {"__proto__": {"x": 1}, "layers": []}}'), /"__proto__" is not allowed/],
    ['absurd units', { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd', units: 1e12, batch_input_shape: [null, 3] } }] } }, /units must be an integer from 1 to/],
    ['a million layers', { class_name: 'Sequential', config: { layers: { length: 1 } } }, /config.layers must be a list/],
    ['a Sequential with no input shape', { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd', units: 4 } }] } }, /names no input shape: give its first layer a batch_input_shape/],
    ['unsupported option', { class_name: 'Sequential', config: { layers: [{ class_name: 'Conv2DTranspose', config: { name: 'c', filters: 1, kernel_size: [3, 3], dilation_rate: [2, 2] } }] } }, /dilation_rate = \[2, 2\] is not supported/],
    ['a cycle', {
      class_name: 'Functional',
      config: {
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 2], name: 'i' }, name: 'i', inbound_nodes: [] },
          { class_name: 'Add', config: { name: 'a' }, name: 'a', inbound_nodes: [[['i', 0, 0, {}], ['b', 0, 0, {}]]] },
          { class_name: 'Dense', config: { name: 'b', units: 2 }, name: 'b', inbound_nodes: [[['a', 0, 0, {}]]] },
        ],
        input_layers: [['i', 0, 0]],
        output_layers: [['b', 0, 0]],
      },
    }, /cannot connect layers a, b: their inputs form a cycle/],
  ];
  for (const [name, json, message] of bad) {
    it(`rejects ${name}`, () => expect(() => fromJSON(json)).toThrow(message));
  }

  it('rejects deep nesting, code-like classes and wrong types with short messages', () => {
    const dense = (config: object) => ({ class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd', batch_input_shape: [null, 3], units: 2, ...config } }] } });
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    const cases: [unknown, RegExp][] = [
      [dense({ units: deep }), /nested more than 64 levels/],
      [`{"class_name": "Sequential", "config": ${'['.repeat(100_000)}`, /malformed JSON/],
      [{ class_name: 'Sequential', config: { layers: [{ class_name: 'Lambda', config: { name: 'l', function: 'lambda x: __import__("os")' } }] } }, /unknown layer class "Lambda"/],
      [dense({ units: '2' }), /units must be an integer from 1 to 16777216, got "2"/],
      [dense({ activation: ['relu'] }), /activation \["relu"\] is not supported/],
      [{ class_name: 'Sequential', config: { layers: 'dense' } }, /config.layers must be a list/],
      [{ class_name: 7, config: {} }, /class_name must be a string/],
      [dense({ units: Array.from({ length: 100_000 }, () => 1) }), /got \[1, 1, 1, 1, 1, 1, 1, 1, … \(100000 items\)\]/],
    ];
    for (const [json, message] of cases) {
      const t0 = performance.now();
      let error: Error | null = null;
      try {
        fromJSON(json);
      } catch (e) {
        error = e as Error;
      }
      expect(error?.constructor).toBe(Error);
      expect(error!.message).toMatch(message);
      expect(error!.message.length).toBeLessThan(1000);
      expect(performance.now() - t0).toBeLessThan(5000);
    }
  });

  it('rejects a million layers without building any', () => {
    const layers = new Array(1_000_000).fill({ class_name: 'Dense', config: { name: 'd', units: 1 } });
    expect(() => fromJSON({ class_name: 'Sequential', config: { layers } })).toThrow(/1000000 layers is more than the limit of 10000/);
  });
});

describe('weights blob', () => {
  it('round-trips through one buffer and a manifest', () => {
    const a = seedCnn();
    const { manifest, data } = a.saveWeights();
    expect(manifest[0]).toEqual({ name: 'conv2d/kernel', shape: [3, 3, 1, 32], offset: 0, byteLength: 1152 });
    expect(data.byteLength).toBe(333_526 * 4);
    resetNameScope();
    setSeed(99);
    const b = seedCnn();
    b.loadWeights(JSON.parse(JSON.stringify(manifest)), new Uint8Array(data));
    expect(Buffer.from(b.saveWeights().data).equals(Buffer.from(data))).toBe(true);
  });

  it('leaves weights unchanged on a bad manifest or blob', () => {
    const m = seedCnn();
    const { manifest, data } = m.saveWeights();
    const snapshot = Buffer.from(data);
    const wrongShape = manifest.map((e, i) => (i === 0 ? { ...e, shape: [3, 3, 1, 16] } : e));
    expect(() => m.loadWeights(wrongShape, new ArrayBuffer(data.byteLength))).toThrow(/"conv2d\/kernel" has shape \[3, 3, 1, 32\] in the model but \[3, 3, 1, 16\]/);
    expect(() => m.loadWeights(manifest, new ArrayBuffer(100))).toThrow(/lies outside the 100-byte blob/);
    const wrongBytes = manifest.map((e, i) => (i === 1 ? { ...e, byteLength: 4 } : e));
    expect(() => m.loadWeights(wrongBytes, data)).toThrow(/"conv2d\/bias" needs 128 bytes/);
    expect(Buffer.from(m.saveWeights().data).equals(snapshot)).toBe(true);
  });

  it('rejects hostile manifests with short messages and the weights unchanged', () => {
    const m = seedCnn();
    const { manifest, data } = m.saveWeights();
    const snapshot = Buffer.from(data);
    const huge = Array.from({ length: 200_000 }, (_, i) => ({ name: `w${i}`, shape: [1], offset: 0, byteLength: 4 }));
    const cases: [unknown, ArrayBuffer, RegExp][] = [
      [{ length: 8 }, data, /the manifest must be a list/],
      [huge, data, /has no weight "conv2d\/kernel" \(it has "w0", .* and 199990 more\)/],
      [[...manifest, ...manifest.slice(0, 1)], data, /lists "conv2d\/kernel" twice/],
      [manifest.map((e, i) => (i === 0 ? { ...e, shape: [1e12, 1e12, 1, 1] } : e)), data, /has shape \[3, 3, 1, 32\] in the model but \[1000000000000, 1000000000000, 1, 1\]/],
      [manifest.map((e, i) => (i === 0 ? { ...e, offset: -4 } : e)), data, /at offset -4/],
      [manifest.map((e, i) => (i === 0 ? { ...e, byteLength: 2 ** 40 } : e)), data, /needs 1152 bytes, the manifest says 1099511627776/],
      [[...manifest, JSON.parse('{"name": "__proto__", "shape": [1], "offset": 0, "byteLength": 4}')], data, /weights the model lacks: "__proto__"/],
    ];
    for (const [bad, blob, message] of cases) {
      expect(() => m.loadWeights(bad as never, blob)).toThrow(message);
      try {
        m.loadWeights(bad as never, blob);
      } catch (e) {
        expect((e as Error).message.length).toBeLessThan(1000);
      }
    }
    expect(Buffer.from(m.saveWeights().data).equals(snapshot)).toBe(true);
  });
});

describe('toKerasPython', () => {
  it('writes Sequential style for a Sequential', () => {
    const code = seedCnn().toKerasPython();
    expect(code).toContain('model = keras.Sequential(');
    expect(code).toContain('        keras.Input(shape=(28, 28, 1)),\n        layers.Conv2D(32, (3, 3), padding="same", activation="relu", name="conv2d"),');
    expect(code).toContain('layers.Dropout(0.4, name="dropout"),');
  });

  it('writes functional style, reusing shared layers', () => {
    expect(branched().toKerasPython()).toBe(`import keras
from keras import layers

input_layer = keras.Input(shape=(3,), name="input_layer")
Layer_1 = layers.Dense(10, activation="relu", name="Layer_1")(input_layer)
Layer_2 = layers.Dense(10, activation="relu", name="Layer_2")(Layer_1)
y1_output = layers.Dense(1, name="y1_output")(Layer_2)
Branched_layer = layers.Dense(10, activation="relu", name="Branched_layer")(Layer_2)
y2_output = layers.Dense(1, name="y2_output")(Branched_layer)
model = keras.Model(inputs=input_layer, outputs=[y1_output, y2_output], name="model")
model.summary()
`);
    const x = input({ shape: [4] });
    const shared = layers.dense({ units: 4, name: 'shared' });
    const code = model({ inputs: x, outputs: shared.apply(shared.apply(x)) }).toKerasPython();
    expect(code).toContain('shared = layers.Dense(4, name="shared")\n');
    expect(code).toContain('shared_1 = shared(shared_0)');
  });
});
