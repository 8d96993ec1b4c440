// Optimizer configs round-trip through Keras 3's serialized JSON (compared with what Keras
// 3.15.1 wrote for the fixture's optimizers) and print as Keras Python.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveOptimizer, type OptimizerArg } from './optimizerConfig';
import { optimizerFromKeras, optimizerToKeras, optimizerToPython } from './optimizerKeras';

interface Fixture {
  optimizers: { name: string; options: OptimizerArg; keras_config: { config: Record<string, unknown> } }[];
  schedules: { options: unknown; keras_config: unknown }[];
}
const fixture = JSON.parse(readFileSync(new URL('../../../tests/fixtures/keras/optimizers/keras3.15.1_optimizers.json', import.meta.url), 'utf8')) as Fixture;

/** Keras numbers its optimizers' names (adam_1); the rest must be equal. */
const unnamed = (j: { config: Record<string, unknown> }) => ({ ...j, config: { ...j.config, name: undefined } });

describe('optimizer configs in Keras 3 JSON', () => {
  for (const c of fixture.optimizers) {
    it(`${c.name}: ours serializes as Keras did, and Keras's reads back as ours`, () => {
      const ours = resolveOptimizer(c.options);
      expect(unnamed(optimizerToKeras(ours) as never)).toEqual(unnamed(c.keras_config));
      const back = optimizerFromKeras(c.keras_config);
      expect({ ...back, learningRate: Math.fround(back.learningRate) }).toEqual({ ...ours, learningRate: Math.fround(ours.learningRate) });
    });
  }

  it('refuses what we cannot train with, naming it', () => {
    expect(() => optimizerFromKeras({ class_name: 'Lion', config: {} })).toThrow(/unsupported Keras optimizer class "Lion"/);
    expect(() => optimizerFromKeras({ class_name: 'Adam', config: { use_ema: true } })).toThrow(/Adam: use_ema=true is not supported/);
  });
});

describe('optimizer configs as Keras Python', () => {
  it('writes the rate and what differs from the defaults', () => {
    expect(optimizerToPython(resolveOptimizer('adamw'))).toBe('keras.optimizers.AdamW(learning_rate=0.001, weight_decay=0.004)');
    expect(optimizerToPython(resolveOptimizer({ kind: 'adamw', learningRate: 0.01, weightDecay: 0.1, amsgrad: true }))).toBe(
      'keras.optimizers.AdamW(learning_rate=0.01, weight_decay=0.1, amsgrad=True)',
    );
    expect(optimizerToPython(resolveOptimizer({ kind: 'sgd', momentum: 0.9, clipnorm: 1 }))).toBe('keras.optimizers.SGD(learning_rate=0.01, clipnorm=1, momentum=0.9)');
    expect(optimizerToPython(resolveOptimizer({ kind: 'adam', learningRate: { className: 'ExponentialDecay', initialLearningRate: 0.1, decaySteps: 100, decayRate: 0.9 } }))).toBe(
      'keras.optimizers.Adam(learning_rate=keras.optimizers.schedules.ExponentialDecay(initial_learning_rate=0.1, decay_steps=100, decay_rate=0.9))',
    );
    expect(optimizerToPython(resolveOptimizer({ kind: 'adagrad', globalClipnorm: 5 }))).toBe('keras.optimizers.Adagrad(learning_rate=0.001, global_clipnorm=5)');
  });
});
