// Per-weight trainable flags: a weight marked non-trainable (as BatchNormalization's moving
// statistics will be) counts as a non-trainable param in summary(), as in Keras.
import { beforeEach, describe, expect, it } from 'vitest';
import { Layer } from './layer.ts';
import { input, model, resetNameScope } from './index.ts';
import type { ActivationConfig } from './configs.ts';
import type { Shape } from '../ops/shapes.ts';

beforeEach(() => resetNameScope());

/** A test-only layer with a trained scale and an untrained moving mean per feature. */
class ScaleWithMean extends Layer {
  constructor(trainable = true) {
    super('Activation', { name: 'scale', trainable }, 'scale');
  }

  protected inferShape([input]: Shape[]): Shape {
    return [...input!];
  }

  protected override build([input]: Shape[]): void {
    const features = input![input!.length - 1] as number;
    this.addWeight('scale', [features], 'ones'); // [features]
    this.addWeight('moving_mean', [features], 'zeros', { trainable: false }); // [features]
  }

  getConfig(): ActivationConfig {
    return { className: 'Activation', ...this.baseConfig(), activation: 'linear' };
  }
}

describe('per-weight trainable flag', () => {
  it('summary counts a non-trainable weight as Non-trainable params', () => {
    const x = input({ shape: [4] });
    const layer = new ScaleWithMean();
    const m = model({ inputs: x, outputs: layer.apply(x) });
    expect(layer.weights.map((w) => w.trainable)).toEqual([true, false]);
    expect(layer.trainableWeights.map((w) => w.name)).toEqual(['scale']);
    expect(layer.nonTrainableWeights.map((w) => w.name)).toEqual(['moving_mean']);
    const text = m.summary();
    expect(text).toContain('Total params: 8\nTrainable params: 4\nNon-trainable params: 4\n');
    expect(m.summary({ layout: 'keras3' })).toMatch(/ Trainable params: 4 .*\n Non-trainable params: 4 /);
  });

  it('a frozen layer makes all its weights non-trainable', () => {
    const x = input({ shape: [3] });
    const layer = new ScaleWithMean(false);
    const m = model({ inputs: x, outputs: layer.apply(x) });
    expect(layer.trainableWeights).toEqual([]);
    expect(layer.nonTrainableWeights.map((w) => w.name)).toEqual(['scale', 'moving_mean']);
    expect(m.summary()).toContain('Total params: 6\nTrainable params: 0\nNon-trainable params: 6\n');
  });
});
