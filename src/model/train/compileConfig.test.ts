// compile() settings round trip: TS args -> Keras's compile config (equal to what Keras 3.15.1's
// get_compile_config() wrote for the same compile call) -> args; the model JSON's
// training_config; and the Python model.compile(...) line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layers, modelFromJSON, modelToJSON, resetNameScope, sequential, toKerasPython } from '../index';
import { compileArgsFromModelJson, compileFromKeras, compilePython, compileToKeras } from './compileConfig';
import type { CompileArgs } from './config';
import { lossToKeras, resolveLoss } from './lossConfig';

const FIXTURE = JSON.parse(readFileSync(new URL('../../../tests/fixtures/keras/losses/keras3.15.1_losses.json', import.meta.url), 'utf8'));

/** The compile calls of make_losses.py, in order, as TS args. */
const CALLS: CompileArgs[] = [
  { loss: 'mse', metrics: ['mae'] },
  { loss: 'huber', metrics: ['mse'] },
  { loss: { className: 'Huber', config: { delta: 2 } }, metrics: ['mae', 'mse'] },
  { loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] },
  { loss: { className: 'BinaryCrossentropy', config: { from_logits: true, label_smoothing: 0.1 } }, metrics: ['binary_accuracy'] },
  { loss: { className: 'CategoricalCrossentropy', config: { label_smoothing: 0.2 } }, metrics: ['categorical_accuracy', 'top_k_categorical_accuracy'] },
  { loss: 'kld', metrics: [] },
  { loss: 'log_cosh', metrics: [] },
  { loss: 'hinge', metrics: [] },
  { loss: 'mape', metrics: [] },
  { loss: 'msle', metrics: [] },
];

describe('compile settings in Keras configs and Python', () => {
  CALLS.forEach((args, i) => {
    it(`${JSON.stringify(args.loss)}: the compile config Keras 3.15.1 wrote, and back`, () => {
      const keras = FIXTURE.compile_configs[i];
      const ours = compileToKeras({ optimizer: 'adam', ...args });
      const want = JSON.parse(JSON.stringify(keras.loss));
      // Keras 3.15.1's Huber.get_config loses delta; ours keeps a delta that is not the default.
      if (args.loss && typeof args.loss === 'object' && 'className' in args.loss && args.loss.className === 'Huber') want.config.delta = 2;
      expect(ours.loss).toEqual(want);
      expect(ours.metrics).toEqual(keras.metrics);
      expect(resolveLoss(compileFromKeras(ours).loss as never)).toEqual(resolveLoss(args.loss as never));
      // Keras's own config reads back too (Huber as 1.0, as Keras itself would).
      expect(resolveLoss(compileFromKeras(keras).loss as never).kind).toBe(resolveLoss(args.loss as never).kind);
    });
  });

  it('every Keras spelling of a loss resolves, and default options write back as the name given', () => {
    for (const [name, kind] of [['MSE', 'mean_squared_error'], ['KLD', 'kl_divergence'], ['LogCosh', 'log_cosh'], ['mean_squared_logarithmic_error', 'mean_squared_logarithmic_error'], ['Hinge', 'hinge']]) {
      const spec = resolveLoss(name);
      expect(spec.kind).toBe(kind);
      expect(lossToKeras(spec)).toBe(name);
    }
  });

  it('bad losses name the option and the fix', () => {
    expect(() => resolveLoss('squared_hinge')).toThrow(/unknown loss "squared_hinge". Use one of: .*huber/);
    expect(() => resolveLoss({ className: 'Huber', config: { delta: -1 } })).toThrow(/Huber: delta must be a positive number, got -1/);
    expect(() => resolveLoss({ className: 'MeanSquaredError', config: { from_logits: true } })).toThrow(/option "from_logits" is not supported; it takes no options/);
    expect(() => resolveLoss({ className: 'BinaryCrossentropy', config: { reduction: 'sum' } })).toThrow(/"reduction" = "sum" is not supported \(only Keras's default\)/);
    expect(() => resolveLoss({ className: 'CategoricalCrossentropy', config: { label_smoothing: 2 } })).toThrow(/label_smoothing must be a number in \[0, 1\]/);
  });

  it('Python: model.compile with Keras classes for non-default options', () => {
    expect(compilePython({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] })).toBe('model.compile(optimizer="adam", loss="mse", metrics=["mae"])');
    expect(compilePython({ optimizer: { kind: 'sgd', learningRate: 0.05, momentum: 0.9 }, loss: { className: 'Huber', config: { delta: 2 } } })).toBe(
      'model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss=keras.losses.Huber(delta=2.0))',
    );
    expect(compilePython({ loss: { className: 'BinaryCrossentropy', config: { from_logits: true, label_smoothing: 0.1 } }, metrics: ['accuracy'] })).toBe(
      'model.compile(optimizer="rmsprop", loss=keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1), metrics=["accuracy"])',
    );
    expect(compilePython({ loss: ['mse', 'huber'], lossWeights: [1, 0.5] })).toBe('model.compile(optimizer="rmsprop", loss=["mse", "huber"], loss_weights=[1.0, 0.5])');
  });

  it('the model JSON carries training_config, and the model and its compile args load back', () => {
    resetNameScope();
    const m = sequential({ name: 'reg' });
    m.add(layers.dense({ units: 1, inputShape: [3] }));
    const args: CompileArgs = { optimizer: { kind: 'adam', learningRate: 0.01 }, loss: { className: 'Huber', config: { delta: 0.5 } }, metrics: ['mae'] };
    const json = JSON.parse(JSON.stringify(modelToJSON(m, args)));
    expect(json.training_config.optimizer).toEqual({ class_name: 'Adam', config: { learning_rate: 0.01 } });
    const back = compileArgsFromModelJson(json)!;
    expect(resolveLoss(back.loss as never)).toEqual(resolveLoss(args.loss as never));
    expect(back.metrics).toEqual(['mae']);
    expect(back.optimizer).toEqual({ kind: 'adam', learningRate: 0.01 });
    expect(modelFromJSON(json).countParams()).toBe(4);
    expect(compileArgsFromModelJson(modelToJSON(m))).toBeNull();
    expect(toKerasPython(m, args).trimEnd().split('\n').pop()).toBe(
      'model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss=keras.losses.Huber(delta=0.5), metrics=["mae"])',
    );
  });
});
