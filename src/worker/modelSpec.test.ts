// The page's model spec: layer configs plus inbound names. Untrusted specs keep known fields
// only and must build; links in the earlier flat format still load; new layers start from the
// option descriptions' editor values.
import { beforeEach, describe, expect, it } from 'vitest';
import { LAYER_CLASS_NAMES, resetNameScope, takesInputList } from '../model/index.ts';
import { exampleSpec, EXAMPLE_KEYS } from './examples.ts';
import { buildModel, defaultLayer, parseSpec, specLayer, type ModelSpec } from './modelSpec.ts';

beforeEach(() => resetNameScope());

/** The seed CNN and the two-headed CNN as links wrote them before specs held configs. */
const LEGACY_SEED_CNN = {
  api: 'sequential', name: 'sequential', inputShape: [28, 28, 1],
  layers: [
    { name: 'conv2d', className: 'Conv2D', filters: 32, kernelSize: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' },
    { name: 'max_pooling2d', className: 'MaxPooling2D', poolSize: [2, 2], strides: [2, 2], padding: 'valid' },
    { name: 'conv2d_1', className: 'Conv2D', filters: 64, kernelSize: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' },
    { name: 'max_pooling2d_1', className: 'MaxPooling2D', poolSize: [2, 2], strides: [2, 2], padding: 'valid' },
    { name: 'flatten', className: 'Flatten' },
    { name: 'dense', className: 'Dense', units: 100, activation: 'relu' },
    { name: 'dropout', className: 'Dropout', rate: 0.4 },
    { name: 'dense_1', className: 'Dense', units: 10, activation: 'softmax' },
  ],
};

const LEGACY_TWO_HEADS = {
  api: 'functional', name: 'two_heads',
  layers: [
    { name: 'image', className: 'InputLayer', shape: [28, 28, 1] },
    { name: 'conv2d', className: 'Conv2D', inputs: ['image'], filters: 16, kernelSize: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' },
    { name: 'max_pooling2d', className: 'MaxPooling2D', inputs: ['conv2d'], poolSize: [2, 2], strides: [2, 2], padding: 'valid' },
    { name: 'flatten', className: 'Flatten', inputs: ['max_pooling2d'] },
    { name: 'head_a', className: 'Dense', inputs: ['flatten'], units: 10, activation: 'softmax' },
    { name: 'hidden', className: 'Dense', inputs: ['flatten'], units: 32, activation: 'relu' },
    { name: 'head_b', className: 'Dense', inputs: ['hidden'], units: 10, activation: 'softmax' },
  ],
  outputs: ['head_a', 'head_b'],
};

describe('model specs', () => {
  it('every example spec survives the trip through a link (JSON, then parseSpec)', () => {
    for (const key of EXAMPLE_KEYS) {
      const spec = exampleSpec(key);
      expect(parseSpec(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
    }
  });

  it('loads links in the earlier flat format into the same spec', () => {
    expect(parseSpec(LEGACY_SEED_CNN)).toEqual(exampleSpec('seed-cnn'));
    expect(parseSpec(LEGACY_TWO_HEADS)).toEqual(exampleSpec('two-heads'));
  });

  it('keeps known fields only, and refuses values the layer refuses', () => {
    const spec = exampleSpec('seed-cnn');
    const hostile = JSON.parse(JSON.stringify(spec)) as { layers: { config: Record<string, unknown> }[] };
    hostile.layers[0]!.config.onclick = 'alert(1)';
    hostile.layers[0]!.config.batchInputShape = [null, 3];
    expect(parseSpec(hostile)).toEqual(spec);
    hostile.layers[5]!.config.units = 0;
    expect(() => parseSpec(hostile)).toThrow(/Dense "dense": units must be an integer from 1/);
    expect(() => parseSpec({ api: 'sequential', name: 'm', layers: [{ config: { className: 'Lambda', name: 'l' } }] })).toThrow(/layer 1 must be/);
  });

  it('a new layer starts from the editor values and builds', () => {
    const taken = ['input_1', 'dense'];
    expect(defaultLayer('Dense', taken).config).toEqual({
      className: 'Dense', name: 'dense_1', trainable: true, units: 32, activation: 'relu', useBias: true, kernelInitializer: 'glorotUniform', biasInitializer: 'zeros',
      kernelRegularizer: null, biasRegularizer: null, activityRegularizer: null, kernelConstraint: null, biasConstraint: null,
    });
    expect(defaultLayer('Conv2D', taken).config).toMatchObject({ filters: 16, kernelSize: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu' });
    expect(defaultLayer('MaxPooling2D', taken).config).toMatchObject({ poolSize: [2, 2], strides: [2, 2], padding: 'valid' });
    expect(defaultLayer('Dropout', taken).config).toMatchObject({ rate: 0.25, seed: null });
    expect(defaultLayer('InputLayer', taken).config).toMatchObject({ name: 'input_2', batchInputShape: [null, 28, 28, 1] });
    for (const className of LAYER_CLASS_NAMES.filter((c) => c !== 'InputLayer')) {
      const twoInputs = takesInputList(className);
      // Recurrent layers read (timesteps, features).
      const sequence = ['SimpleRNN', 'LSTM', 'GRU', 'Bidirectional'].includes(className);
      const layer = defaultLayer(className, []);
      // 1-D layers (MaxPooling1D, GlobalAveragePooling1D, ...) take sequences [steps, channels].
      const batchInputShape = className.endsWith('1D') || sequence ? [null, 8, 2] : [null, 8, 8, 2];
      const spec: ModelSpec = {
        api: 'functional', name: 'm', outputs: [layer.config.name],
        layers: [specLayer('InputLayer', 'x', null, { batchInputShape }), { ...layer, inputs: twoInputs ? ['x', 'x'] : ['x'] }],
      };
      expect(() => buildModel(spec), className).not.toThrow();
    }
  });
});
