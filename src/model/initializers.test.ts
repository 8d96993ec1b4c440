// Every Keras initializer against Keras's own definitions (keras/src/initializers, Keras 3.15.1):
// the bounds and moments of large draws, orthogonality, seeds, and the config round trips.

import { describe, expect, it } from 'vitest';
import { initialize, initializerArg, type Initializer } from './initializers.ts';
import { Random } from './random.ts';
import { fromJSON, layers, modelToJSON, resetNameScope, sequential, toKerasPython } from './index.ts';

function draw(init: Initializer, shape: number[], seed = 1): Float32Array {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  initialize(init, shape, out, new Random(seed));
  return out;
}

function moments(values: Float32Array): { mean: number; std: number; maxAbs: number } {
  let sum = 0;
  let maxAbs = 0;
  for (const v of values) {
    sum += v;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const mean = sum / values.length;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length), maxAbs };
}

// A conv kernel [3, 3, 32, 64]: fan_in = 288, fan_out = 576 (Keras's compute_fans).
const CONV = [3, 3, 32, 64];
const FAN_IN = 288;
const FAN_OUT = 576;
const FAN_AVG = (FAN_IN + FAN_OUT) / 2;
// The standard deviation of a unit normal truncated at two, as Keras divides by it.
const TRUNCATED_STD = 0.87962566103423978;

describe('variance-scaling initializers', () => {
  const cases: [Initializer, variance: number, distribution: 'uniform' | 'truncated' | 'normal'][] = [
    ['glorotUniform', 1 / FAN_AVG, 'uniform'],
    ['glorotNormal', 1 / FAN_AVG, 'truncated'],
    ['heUniform', 2 / FAN_IN, 'uniform'],
    ['heNormal', 2 / FAN_IN, 'truncated'],
    ['lecunUniform', 1 / FAN_IN, 'uniform'],
    ['lecunNormal', 1 / FAN_IN, 'truncated'],
    ['varianceScaling', 1 / FAN_IN, 'truncated'],
    [{ className: 'VarianceScaling', config: { scale: 3, mode: 'fan_out', distribution: 'uniform' } }, 3 / FAN_OUT, 'uniform'],
    [{ className: 'VarianceScaling', config: { scale: 0.5, mode: 'fan_avg', distribution: 'untruncated_normal' } }, 0.5 / FAN_AVG, 'normal'],
  ];
  for (const [init, variance, distribution] of cases) {
    it(`${JSON.stringify(init)}: variance ${variance.toPrecision(3)}, ${distribution}`, () => {
      const { mean, std, maxAbs } = moments(draw(init, CONV));
      const target = Math.sqrt(variance);
      expect(Math.abs(mean)).toBeLessThan(0.02 * target);
      expect(std).toBeGreaterThan(0.97 * target);
      expect(std).toBeLessThan(1.03 * target);
      if (distribution === 'uniform') expect(maxAbs).toBeLessThanOrEqual(Math.sqrt(3 * variance));
      if (distribution === 'truncated') expect(maxAbs).toBeLessThanOrEqual((2 * target) / TRUNCATED_STD + 1e-6);
      if (distribution === 'normal') expect(maxAbs).toBeGreaterThan(3 * target); // 184k draws: tails past 3 sigma appear
    });
  }
});

describe('the other initializers', () => {
  it('RandomNormal, RandomUniform and TruncatedNormal use their arguments (defaults 0.05)', () => {
    const n = moments(draw({ className: 'RandomNormal', config: { mean: 1, stddev: 0.2 } }, [400, 250]));
    expect(n.mean).toBeCloseTo(1, 2);
    expect(n.std).toBeCloseTo(0.2, 2);
    const u = draw({ className: 'RandomUniform', config: { minval: 2, maxval: 3 } }, [400, 250]);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...u)).toBeLessThan(3);
    expect(moments(u).mean).toBeCloseTo(2.5, 2);
    const d = moments(draw('randomUniform', [400, 250]));
    expect(d.maxAbs).toBeLessThanOrEqual(0.05);
    const t = draw('truncatedNormal', [400, 250]);
    const tm = moments(t);
    expect(tm.maxAbs).toBeLessThanOrEqual(0.1);
    expect(tm.std).toBeCloseTo(0.05 * TRUNCATED_STD, 3);
  });

  for (const shape of [[6, 4], [4, 6], [3, 3, 2, 5]]) {
    it(`Orthogonal ${JSON.stringify(shape)}: orthonormal rows or columns, times gain`, () => {
      const gain = 1.5;
      const w = draw({ className: 'Orthogonal', config: { gain } }, shape);
      const cols = shape[shape.length - 1]!;
      const rows = w.length / cols;
      // Gram matrix of the shorter side: gain^2 * I.
      const k = Math.min(rows, cols);
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let dot = 0;
          for (let i = 0; i < Math.max(rows, cols); i++) {
            dot += rows >= cols ? w[i * cols + a]! * w[i * cols + b]! : w[a * cols + i]! * w[b * cols + i]!;
          }
          expect(dot).toBeCloseTo(a === b ? gain * gain : 0, 4);
        }
      }
    });
  }

  it('Constant, Zeros, Ones and Identity', () => {
    expect([...draw({ className: 'Constant', config: { value: 0.25 } }, [3])]).toEqual([0.25, 0.25, 0.25]);
    expect([...draw('zeros', [2])]).toEqual([0, 0]);
    expect([...draw('ones', [2])]).toEqual([1, 1]);
    expect([...draw({ className: 'Identity', config: { gain: 2 } }, [2, 3])]).toEqual([2, 0, 0, 0, 2, 0]);
    expect(() => draw('identity', [2, 2, 2])).toThrow('Identity can only initialize 2D weights, got shape [2, 2, 2]');
    expect(() => draw('orthogonal', [5])).toThrow('Orthogonal needs a weight of at least two dimensions');
  });

  it('a seeded initializer draws the same values every time, whatever the model seed', () => {
    const seeded: Initializer = { className: 'HeNormal', config: { seed: 42 } };
    expect(draw(seeded, [5, 7], 1)).toEqual(draw(seeded, [5, 7], 2));
    expect(draw(seeded, [5, 7])).not.toEqual(draw({ className: 'HeNormal', config: { seed: 43 } }, [5, 7]));
    expect(draw('heNormal', [5, 7], 1)).not.toEqual(draw('heNormal', [5, 7], 2));
  });
});

describe('initializer options', () => {
  it('names in any Keras spelling; a class at its defaults is its name', () => {
    expect(initializerArg('Dense', 'kernelInitializer', 'he_normal', 'zeros')).toBe('heNormal');
    expect(initializerArg('Dense', 'kernelInitializer', 'GlorotNormal', 'zeros')).toBe('glorotNormal');
    expect(initializerArg('Dense', 'kernelInitializer', undefined, 'glorotUniform')).toBe('glorotUniform');
    expect(initializerArg('Dense', 'kernelInitializer', { className: 'RandomNormal', config: { stddev: 0.05, seed: null } }, 'zeros')).toBe('randomNormal');
    expect(initializerArg('Dense', 'kernelInitializer', { className: 'RandomNormal', config: { stddev: 0.01 } }, 'zeros')).toEqual({
      className: 'RandomNormal',
      config: { mean: 0, stddev: 0.01, seed: null },
    });
  });

  it('refuses what Keras would, naming the option and the fix', () => {
    const arg = (value: unknown) => () => initializerArg('Dense "d"', 'kernelInitializer', value, 'zeros');
    expect(arg('glorot')).toThrow('Dense "d": kernelInitializer: unknown initializer "glorot"; use one of glorotUniform, glorotNormal,');
    expect(arg({ className: 'RandomNormal', config: { std: 1 } })).toThrow('RandomNormal has no argument "std"; its arguments are mean, stddev, seed.');
    expect(arg({ className: 'VarianceScaling', config: { mode: 'fan' } })).toThrow('mode must be one of fan_in, fan_out, fan_avg, got "fan".');
    expect(arg({ className: 'HeNormal', config: { seed: -1 } })).toThrow('seed must be a non-negative integer or null, got -1.');
    expect(arg(3)).toThrow('kernelInitializer must be an initializer name');
  });

  it('round-trips through Keras JSON and Python with its arguments', () => {
    resetNameScope();
    const m = sequential({ name: 'm' });
    m.add(layers.dense({ units: 4, inputShape: [3], kernelInitializer: { className: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 3 } }, biasInitializer: 'ones' }));
    m.add(layers.dense({ units: 2, kernelInitializer: 'orthogonal' }));
    const json = modelToJSON(m);
    const dense = (json.config.layers as { class_name: string; config: Record<string, unknown> }[]).find((l) => l.class_name === 'Dense')!.config;
    // tf.keras 2.x's get_config of the initializer: every argument.
    expect(dense.kernel_initializer).toEqual({ class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 3 } });
    expect(dense.bias_initializer).toEqual({ class_name: 'Ones', config: {} });
    resetNameScope();
    const again = fromJSON(JSON.stringify(json));
    expect(modelToJSON(again)).toEqual(json);
    // The seeded kernel draws the same values in both models.
    expect(again.layers[0]!.weights[0]!.values).toEqual(m.layers[0]!.weights[0]!.values);
    const python = toKerasPython(m);
    expect(python).toContain('kernel_initializer=keras.initializers.VarianceScaling(scale=2, mode="fan_out", distribution="uniform", seed=3)');
    expect(python).toContain('bias_initializer="ones"');
    expect(python).toContain('kernel_initializer="orthogonal"');
  });

  it("reads Keras 3's initializer configs (module, registered_name, null input_axes)", () => {
    resetNameScope();
    const keras3 = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { class_name: 'InputLayer', config: { batch_shape: [null, 3], name: 'in' } },
          {
            class_name: 'Dense',
            config: {
              name: 'd', units: 2,
              kernel_initializer: { module: 'keras.initializers', class_name: 'TruncatedNormal', config: { seed: null, mean: 0.0, stddev: 0.02 }, registered_name: null },
              bias_initializer: { module: 'keras.initializers', class_name: 'HeUniform', config: { seed: 5, input_axes: null, output_axes: null }, registered_name: null },
            },
          },
        ],
      },
    };
    const dense = fromJSON(JSON.stringify(keras3)).layers[0]!.getConfig();
    expect(dense).toMatchObject({
      kernelInitializer: { className: 'TruncatedNormal', config: { mean: 0, stddev: 0.02, seed: null } },
      biasInitializer: { className: 'HeUniform', config: { seed: 5 } },
    });
  });
});
