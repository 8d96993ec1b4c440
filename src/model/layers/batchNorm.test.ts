// BatchNormalization against Keras 3.15.1 (tests/fixtures/keras/make_bn.py, fixtures in keras/bn/): its config and
// summary, and with fixed gamma/beta/moving statistics the inference output, the training output
// and the moving statistics after one training call (reference ops and the CPU engine); a frozen
// layer runs in inference mode; bad options are refused with the fix.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromJSON, input, layers, model, modelToJSONString, resetNameScope, summaryRows } from '../index.ts';
import { moments, normalize } from '../../ops/reference/batchNorm.ts';
import { movingAverage } from '../../ops/reference/movingAverage.ts';
import { CpuEngine } from '../train/cpuEngine.ts';
import { referenceOps } from '../train/cpuOps.ts';
import { buildProgram } from '../train/plan.ts';
import { assertClose } from '../../../tests/util/check.ts';
import { packedWeights } from '../../../tests/util/layerContract.ts';

const DIR = new URL('../../../tests/fixtures/keras/bn/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, DIR), 'utf8');

interface Numbers {
  config: { momentum: number; epsilon: number };
  x_shape: number[];
  x: number[];
  gamma: number[];
  beta: number[];
  moving_mean: number[];
  moving_variance: number[];
  inference: number[];
  training: number[];
  moving_mean_after: number[];
  moving_variance_after: number[];
}
const K = JSON.parse(read('keras3.15.1_bn_numbers.json')) as Numbers;
const f32 = (v: number[]) => Float32Array.from(v);
const TOL = { atol: 1e-5, rtol: 1e-5 };

describe('BatchNormalization as Keras 3.15.1', () => {
  it("loads Keras's CNN and prints its summary character for character (moving statistics non-trainable)", () => {
    resetNameScope();
    const m = fromJSON(read('keras3.15.1_bn_cnn.json'));
    const expected = read('keras3.15.1_bn_cnn.summary.txt').replace(/\n$/, '');
    expect(m.summary({ layout: 'keras3', lineLength: expected.split('\n')[1]!.length })).toBe(expected);
    const rows = summaryRows(m);
    expect([rows.totalParams, rows.trainableParams]).toEqual([393, 373]);
    const bn1 = m.graphLayers.find((l) => l.name === 'batch_normalization_1')!;
    expect(bn1.weights.map((w) => `${w.name}:${w.trainable}`)).toEqual(['gamma:true', 'moving_mean:false', 'moving_variance:false']);
    expect(bn1.getConfig()).toMatchObject({ momentum: 0.9, epsilon: 1e-5, center: false, gammaInitializer: 'heNormal' });
    resetNameScope();
    expect(modelToJSONString(fromJSON(modelToJSONString(m)))).toBe(modelToJSONString(m));
  });

  it("the reference ops give Keras's inference and training outputs and moving statistics", () => {
    const x = f32(K.x);
    const { epsilon, momentum } = K.config;
    const inference = normalize(x, { mean: f32(K.moving_mean), variance: f32(K.moving_variance), epsilon, floor: false }, f32(K.gamma), f32(K.beta));
    assertClose(inference, K.inference, TOL, 'inference');
    const batch = moments(x, 3);
    assertClose(normalize(x, { ...batch, epsilon, floor: false }, f32(K.gamma), f32(K.beta)), K.training, TOL, 'training');
    assertClose(movingAverage(f32(K.moving_mean), batch.mean, momentum), K.moving_mean_after, TOL, 'moving_mean');
    assertClose(movingAverage(f32(K.moving_variance), batch.variance, momentum), K.moving_variance_after, TOL, 'moving_variance');
  });

  for (const trainable of [true, false]) {
    it(`the CPU engine gives Keras's numbers in ${trainable ? 'training' : 'a frozen layer (inference mode, statistics kept)'}`, async () => {
      const x = input({ shape: K.x_shape.slice(1) });
      const bn = layers.batchNormalization({ ...K.config, trainable });
      const m = model({ inputs: x, outputs: bn.apply(x) });
      bn.setWeights([f32(K.gamma), f32(K.beta), f32(K.moving_mean), f32(K.moving_variance)]);
      const { layout, packed } = packedWeights(m);
      const engine = new CpuEngine(referenceOps);
      await engine.init(layout, packed, { kind: 'sgd', learningRate: 0.1, momentum: 0, nesterov: false });
      await engine.attach({ inputs: [{ data: f32(K.x), shape: K.x_shape }], targets: [{ data: new Float32Array(K.x.length), shape: K.x_shape }] });
      const losses = [{ kind: 'mean_squared_error' as const, weight: 1, accuracy: false }];
      const step = await engine.compile(buildProgram(m, layout, { batch: 2, training: true, losses, update: false }));
      step.run(Uint32Array.of(0, 1));
      const [y] = await step.readOutputs();
      assertClose(y, trainable ? K.training : K.inference, TOL, 'output');
      const params = await engine.readParams();
      const at = (name: string) => layout.entries.find((e) => e.weight === name)!.offset;
      const after = trainable ? [K.moving_mean_after, K.moving_variance_after] : [K.moving_mean, K.moving_variance];
      assertClose(params.subarray(at('moving_mean'), at('moving_mean') + 3), after[0], TOL, 'moving_mean');
      assertClose(params.subarray(at('moving_variance'), at('moving_variance') + 3), after[1], TOL, 'moving_variance');
    });
  }

  it('refuses another axis and bad numbers, naming the fix', () => {
    const x = input({ shape: [4, 4, 3] });
    expect(() => layers.batchNormalization({ axis: 1, name: 'bn' }).apply(x)).toThrow(
      'BatchNormalization "bn": axis 1 is not supported for inputs (None, 4, 4, 3): only the last axis (-1, channels last) is normalized here. Use axis: -1 with channels-last data.',
    );
    expect(layers.batchNormalization({ axis: 3 }).apply(x).shape).toEqual([null, 4, 4, 3]);
    expect(() => layers.batchNormalization({ momentum: 2, name: 'bn' })).toThrow('BatchNormalization "bn": momentum must be a number from 0 to 1 (Keras: 0.99), got 2.');
    expect(() => layers.batchNormalization({ epsilon: 0, name: 'bn' })).toThrow('epsilon must be a number above 0');
  });
});
