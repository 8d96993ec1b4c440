// compile()/fit() settings onto the page's training settings: what fits is taken, the rest named.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../worker/settings.ts';
import { settingsNote, trainingFromCode } from './trainingFromCode.ts';

describe('trainingFromCode', () => {
  it('takes the optimizer, its learning rate, the loss and fit()’s epochs, batch size and split', () => {
    const a = trainingFromCode(
      DEFAULT_SETTINGS,
      { optimizer: { kind: 'sgd', learningRate: 0.01, momentum: 0.9 }, loss: { className: 'SparseCategoricalCrossentropy', config: { from_logits: true } }, metrics: ['accuracy'] },
      { epochs: 7, batchSize: 64, validationSplit: 0.2, callbacks: [{ className: 'EarlyStopping', config: { patience: 2 } }] },
    );
    expect(a.settings).toEqual({ ...DEFAULT_SETTINGS, optimizer: 'sgd', learningRate: 0.01, loss: 'sparse_categorical_crossentropy_from_logits', epochs: 7, batchSize: 64, validationSplit: 0.2 });
    expect(a.notApplied).toEqual(["momentum 0.9 (the page uses Keras's default, 0)", 'the EarlyStopping callback']);
    expect(settingsNote(a)).toContain('Training settings applied: optimizer sgd, learning rate 0.01');
  });

  it("keeps the page's value where the model's would be refused, and names losses that do not fit", () => {
    const a = trainingFromCode(DEFAULT_SETTINGS, { optimizer: 'adam', loss: 'mse' }, { batchSize: 100_000, epochs: 2 });
    expect(a.settings.batchSize).toBe(DEFAULT_SETTINGS.batchSize);
    expect(a.settings.epochs).toBe(2);
    expect(a.notApplied.join('\n')).toMatch(/loss mse .*\n.*batchSize 100000 \(Batch size must be/);
    expect(a.applied).toEqual(['optimizer adam', 'epochs 2']);
  });

  it("names only what differs from Keras's defaults, reading float32 values from files as their short decimals", () => {
    const f32 = (v: number) => Math.fround(v);
    const a = trainingFromCode(DEFAULT_SETTINGS, {
      optimizer: { kind: 'adam', learningRate: f32(0.002), beta1: f32(0.9), beta2: f32(0.999), epsilon: f32(1e-7), amsgrad: false, weightDecay: null, clipnorm: null, globalClipnorm: f32(1) },
      loss: 'sparse_categorical_crossentropy',
    });
    expect(a.settings.learningRate).toBe(0.002);
    expect(a.notApplied).toEqual(["globalClipnorm 1 (the page uses Keras's default, 0)"]);
  });

  it('says nothing when the code has no settings', () => {
    expect(settingsNote(trainingFromCode(DEFAULT_SETTINGS))).toBeNull();
  });
});
