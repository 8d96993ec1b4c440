// SimpleRNN, LSTM, GRU, Bidirectional and TimeDistributed against Keras 3.15.1 itself: its
// to_json() of six models (tests/fixtures/keras/recurrent, made by make_recurrent.py) loads, prints
// Keras's summary character for character, declares Keras's weights (paths and shapes) and
// writes JSON that loads again to the same model; Python export; and what is refused.

import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { CpuEngine, fromJSON, input, layers, model, modelToJSON, resetNameScope, sequential, toKerasPython } from '../index.ts';
import type { Model } from '../index.ts';

const DIR = new URL('../../../tests/fixtures/keras/recurrent/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, DIR), 'utf8');
const load = (name: string): Model => {
  resetNameScope();
  return fromJSON(read(`keras3.15.1_${name}.json`));
};

beforeEach(() => resetNameScope());

// Parameter counts from the formulas, independent of both Keras and the layers (u units, f features).
const rnn = (u: number, f: number): number => u * (f + u + 1);
const lstm = (u: number, f: number): number => 4 * u * (f + u + 1);
const gru = (u: number, f: number, resetAfter = true): number => 3 * u * (f + u + (resetAfter ? 2 : 1));
const dense = (u: number, f: number): number => u * (f + 1);

/** Total parameters of each fixture (Keras's summary says the same). */
const PARAMS: Record<string, number> = {
  simple_rnn: rnn(8, 3) + rnn(4, 8) + dense(2, 4),
  lstm: lstm(16, 5) + lstm(8, 16) + dense(3, 8),
  gru: gru(6, 4) + gru(5, 6, false) + dense(1, 5),
  bidirectional: 2 * lstm(8, 4) + 2 * lstm(4, 16) + dense(2, 4),
  time_distributed: (3 * 3 * 1 * 4 + 4) + dense(6, 144) + gru(5, 6) + dense(10, 5),
  fashion_lstm: lstm(32, 28) + dense(10, 32),
};

describe('recurrent layers against Keras 3.15.1', () => {
  for (const [name, params] of Object.entries(PARAMS)) {
    it(`${name}: loads, prints Keras's summary character for character, declares Keras's weights, round-trips`, () => {
      const m = load(name);
      const expected = read(`keras3.15.1_${name}.summary.txt`).replace(/\n$/, '');
      expect(m.summary({ layout: 'keras3', lineLength: expected.split('\n')[1]!.length })).toBe(expected);
      expect(m.countParams()).toBe(params);
      // Keras's weight paths, with the model name first for a Sequential (Keras 3.15 writes them so).
      const prefix = m.kind === 'sequential' ? `${m.name}/` : '';
      const ours = m.graphLayers.flatMap((l) => l.weights.map((w) => `${prefix}${l.name}/${w.name} [${w.shape.join(', ')}]`));
      expect(ours.join('\n') + '\n').toBe(read(`keras3.15.1_${name}.weights.txt`));
      const json = JSON.stringify(modelToJSON(m));
      resetNameScope();
      const again = fromJSON(json);
      expect(JSON.stringify(modelToJSON(again))).toBe(json);
      expect(again.summary()).toBe(m.summary());
      expect(toKerasPython(again)).toBe(toKerasPython(m));
    });
  }

  it('reads every Keras option: unit_forget_bias, recurrent_initializer, reset_after, dropouts, go_backwards, merge_mode', () => {
    const lstm = load('lstm').layers.find((l) => l.name === 'lstm_1')!.getConfig();
    expect(lstm).toMatchObject({ className: 'LSTM', units: 8, unitForgetBias: false, recurrentInitializer: 'glorotUniform', returnSequences: false });
    const gru = load('gru').layers[1]!.getConfig();
    expect(gru).toMatchObject({ className: 'GRU', units: 5, resetAfter: false, dropout: 0.25, recurrentDropout: 0.1 });
    expect(load('simple_rnn').layers[1]!.getConfig()).toMatchObject({ goBackwards: true, activation: 'relu' });
    const bi = load('bidirectional').layers[1]!.getConfig();
    expect(bi).toMatchObject({ mergeMode: 'sum', layer: { name: 'forward_lstm_1', goBackwards: false }, backwardLayer: { name: 'backward_lstm_1', goBackwards: true } });
  });

  it("LSTM's bias starts at zero but for ones in the forget gate's slice (unit_forget_bias)", () => {
    const m = sequential({ name: 's' });
    m.add(layers.lstm({ units: 3, inputShape: [5, 2] }));
    expect([...m.layers[0]!.weights[2]!.values]).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    m.initializeWeights(7);
    expect([...m.layers[0]!.weights[2]!.values]).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('Bidirectional and TimeDistributed share the held layers\' values under Keras\'s paths', () => {
    const x = input({ shape: [6, 4] });
    const bi = layers.bidirectional({ layer: layers.gru({ units: 3, returnSequences: true }), mergeMode: 'ave' });
    const y = layers.timeDistributed({ layer: layers.dense({ units: 2 }) }).apply(bi.apply(x));
    expect(y.shape).toEqual([null, 6, 2]);
    expect(bi.output.shape).toEqual([null, 6, 3]);
    expect(bi.weights.map((w) => w.name)).toEqual([
      'forward_gru/gru_cell/kernel', 'forward_gru/gru_cell/recurrent_kernel', 'forward_gru/gru_cell/bias',
      'backward_gru/gru_cell/kernel', 'backward_gru/gru_cell/recurrent_kernel', 'backward_gru/gru_cell/bias',
    ]);
    expect(bi.weights[2]!.shape).toEqual([2, 9]);
    expect(bi.weights[0]!.values).toBe(bi.forwardLayer.weights[0]!.values);
    expect(bi.countParams()).toBe(2 * 3 * 3 * (4 + 3 + 2));
    // A frozen held layer's weights are not trained (Keras's trainable_weights of the wrapper).
    const frozen = layers.timeDistributed({ layer: layers.dense({ units: 2, trainable: false }) });
    frozen.apply(input({ shape: [3, 4] }));
    expect([frozen.trainableWeights.length, frozen.nonTrainableWeights.length]).toEqual([0, 2]);
  });

});

describe('recurrent layers: code export and refusals', () => {
  it('exports Python that names the held layer as Keras copies it', () => {
    const m = load('bidirectional');
    const python = toKerasPython(m);
    expect(python).toContain('layers.Bidirectional(layers.LSTM(8, return_sequences=True, name="lstm"), name="bidirectional")');
    expect(python).toContain('layers.Bidirectional(layers.LSTM(4, name="lstm_1"), merge_mode="sum", name="bidirectional_1")');
    const td = toKerasPython(load('time_distributed'));
    expect(td).toContain('layers.TimeDistributed(layers.Conv2D(4, (3, 3), activation="relu", name="conv2d"), name="time_distributed")(input_layer)');
    expect(td).toContain('layers.GRU(5, name="gru")');
    // A backward layer Keras would not derive is written out.
    const x = input({ shape: [5, 2] });
    const custom = model({ inputs: x, outputs: layers.bidirectional({ layer: layers.lstm({ units: 2 }), backwardLayer: layers.lstm({ units: 2, goBackwards: true, name: 'back' }) }).apply(x) });
    expect(toKerasPython(custom)).toContain('backward_layer=layers.LSTM(2, go_backwards=True, name="back")');
  });

  it('refuses what it cannot describe, naming the layer, the option and the fix', () => {
    expect(() => layers.lstm({ units: 4, returnState: true as never })).toThrow('LSTM "lstm": returnState true is not supported: a layer here has one output; leave it false.');
    expect(() => layers.gru({ units: 4, stateful: true as never })).toThrow(/GRU "gru": stateful true is not supported/);
    expect(() => layers.simpleRnn({ units: 4, resetAfter: true })).toThrow(/SimpleRNN "simple_rnn": unknown option "resetAfter"/);
    expect(() => layers.lstm({ units: 4, dropout: 1 })).toThrow(/dropout must be a number in \[0, 1\)/);
    expect(() => layers.bidirectional({ layer: layers.dense({ units: 2 }) as never })).toThrow(/Bidirectional "bidirectional": layer must be a SimpleRNN, LSTM or GRU, got Dense "dense"/);
    expect(() => layers.bidirectional({ layer: layers.lstm({ units: 2 }), mergeMode: null as never })).toThrow(/mergeMode null .* not supported: a layer here has one output/);
    expect(() => layers.lstm({ units: 3, name: "l" }).apply(input({ shape: [28, 28, 1] }))).toThrow(/LSTM "l": needs a 3-D input \(batch, timesteps, features\), got \(None, 28, 28, 1\)/);
    expect(() => layers.timeDistributed({ layer: layers.dense({ units: 2 }) }).apply(input({ shape: [4] }))).toThrow(/TimeDistributed "time_distributed": needs an input of rank >= 3/);
    const keras = JSON.parse(read('keras3.15.1_fashion_lstm.json')) as { config: { layers: { config: Record<string, unknown> }[] } };
    keras.config.layers[1]!.config.return_state = true;
    expect(() => fromJSON(keras)).toThrow('LSTM "lstm": return_state = true is not supported; only false.');
  });

  it('a model holding one compiles on neither engine, before any work, and says what does work', async () => {
    const m = load('fashion_lstm');
    await expect(m.compile({ loss: 'sparse_categorical_crossentropy', engine: new CpuEngine() }))
      .rejects.toThrow('LSTM "lstm" has no training kernels yet: a model holding it cannot be trained, evaluated or run for predictions here; its summary, JSON and Python export work.');
  });
});
