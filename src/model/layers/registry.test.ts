// The registry's promises for every class it lists: a config built from the option
// descriptions is valid, layerFromConfig is the inverse of getConfig, Keras JSON round-trips
// it, automatic names use the entry's name base, and untrusted configs are refused clearly.
import { beforeEach, describe, expect, it } from 'vitest';
import { resetNameScope } from '../naming.ts';
import { layerFromKeras, layerToKeras } from '../kerasConfig.ts';
import { LAYERS, LAYER_CLASS_NAMES, defaultConfig, layerFromConfig, layerOptions } from './registry.ts';

beforeEach(() => resetNameScope());

describe('layer registry', () => {
  it('lists the classes in the editor and error-message order, new ones after these', () => {
    expect(LAYER_CLASS_NAMES.slice(0, 10)).toEqual(['InputLayer', 'Dense', 'Conv2D', 'MaxPooling2D', 'AveragePooling2D', 'Flatten', 'Dropout', 'Activation', 'Concatenate', 'Add']);
  });

  for (const className of LAYER_CLASS_NAMES) {
    it(`${className}: getConfig -> layerFromConfig -> getConfig is the identity, and Keras JSON round-trips`, () => {
      const config = defaultConfig(className, 'x');
      const layer = layerFromConfig(config);
      expect(layer.className).toBe(className);
      expect(layer.getConfig()).toEqual(config);
      expect(layerFromConfig(layer.getConfig()).getConfig()).toEqual(config);
      expect(layerFromKeras(className, layerToKeras(config)).getConfig()).toEqual(config);
      // Every described option is a config field, and every config field is described.
      const keys = Object.keys(config).filter((k) => !['className', 'name', 'trainable'].includes(k));
      expect(layerOptions(className).map((o) => o.key).sort()).toEqual(keys.sort());
    });

    it(`${className}: an unnamed layer takes its entry's name base`, () => {
      const { name: _name, ...config } = defaultConfig(className, 'x');
      const base = LAYERS[className].nameBase;
      expect(layerFromConfig(config).name).toBe(className === 'InputLayer' ? `${base}_1` : base);
    });
  }

  it('refuses unknown classes, unknown options and bad values with the layer named', () => {
    expect(() => layerFromConfig({ className: 'ConvLSTM2D', name: 'l' })).toThrow(/ConvLSTM2D "l": unknown layer class "ConvLSTM2D". Supported: InputLayer, Dense/);
    expect(() => layerFromConfig({ ...defaultConfig('Dense', 'd'), kernel_size: 3 })).toThrow(/Dense "d": unknown option "kernel_size"/);
    expect(() => layerFromConfig({ ...defaultConfig('Conv2D', 'c'), filters: 0 })).toThrow(/Conv2D "c": filters must be an integer from 1/);
    expect(() => layerFromConfig({ ...defaultConfig('Dense', 'd'), batchInputShape: 'x' })).toThrow(/Dense "d": batchInputShape must be a list/);
    expect(() => layerFromConfig({ ...defaultConfig('InputLayer', 'i'), batchInputShape: [null, -1] })).toThrow(/InputLayer "i": shape\[0\] must be an integer from 1/);
    expect(() => layerFromConfig(null as never)).toThrow(/options must be an object/);
  });

  it('fills missing options with the layer defaults (Keras from_config)', () => {
    const pool = layerFromConfig({ className: 'MaxPooling2D', name: 'p', poolSize: [3, 3] }).getConfig();
    expect(pool).toEqual({ className: 'MaxPooling2D', name: 'p', trainable: true, poolSize: [3, 3], strides: [3, 3], padding: 'valid' });
    const dropout = layerFromConfig({ className: 'Dropout', name: 'd', rate: 0.5, seed: null }).getConfig();
    expect(dropout).toEqual({ className: 'Dropout', name: 'd', trainable: true, rate: 0.5, seed: null });
  });
});
