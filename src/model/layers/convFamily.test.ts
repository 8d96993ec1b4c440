// The conv family beyond the registry samples: Conv2D with dilation, groups and no bias, and
// Embedding on real integer ids, against finite differences; the errors a bad config gets; and
// Keras's spellings (Conv1D's 1-lists, an int32 Input) read back.
import { describe, expect, it } from 'vitest';
import { checkGradients } from '../../../tests/util/gradcheck';
import { CONTRACT_LOSSES } from '../../../tests/util/layerContract';
import { randomArray } from '../../../tests/util/check';
import { fromJSON, input, layers, model, resetNameScope, type DataSet } from '../index.ts';

const targets = (batch: number) => [{ data: Uint32Array.from({ length: batch }, (_, i) => i % 3), shape: [batch] }];

describe('conv family', () => {
  it('Conv2D with dilation, groups and no bias backpropagates as finite differences say', async () => {
    resetNameScope();
    const x = input({ shape: [7, 6, 4] });
    let y = layers.conv2d({ filters: 6, kernelSize: [3, 2], dilationRate: [2, 1], groups: 2, padding: 'same', activation: 'tanh' }).apply(x);
    y = layers.conv2d({ filters: 4, kernelSize: 2, strides: 2, groups: 2, useBias: false }).apply(y);
    const m = model({ inputs: x, outputs: layers.dense({ units: 3, activation: 'softmax' }).apply(layers.flatten().apply(y)), seed: 3 });
    expect(m.layers[1]!.weights.map((w) => w.shape)).toEqual([[3, 2, 2, 6], [6]]);
    expect(m.layers[2]!.weights.map((w) => w.shape)).toEqual([[2, 2, 3, 4]]);
    const data: DataSet = { inputs: [{ data: randomArray(2 * 7 * 6 * 4, 1), shape: [2, 7, 6, 4] }], targets: targets(2) };
    const { checked } = await checkGradients(m, data, CONTRACT_LOSSES, 40);
    expect(checked).toBeGreaterThanOrEqual(40);
  });

  it('Embedding on integer ids (repeated, and outside the table) backpropagates into the rows it read', async () => {
    resetNameScope();
    const ids = input({ shape: [5] });
    const e = layers.embedding({ inputDim: 6, outputDim: 3 });
    const y = layers.dense({ units: 3, activation: 'softmax' }).apply(layers.flatten().apply(e.apply(ids)));
    const m = model({ inputs: ids, outputs: y, seed: 2 });
    const data: DataSet = { inputs: [{ data: Float32Array.of(0, 5, 2, 2, 9, 1, 1, 1, 4, 3), shape: [2, 5] }], targets: targets(2) };
    await checkGradients(m, data, CONTRACT_LOSSES, 20);
    // Keras's default: RandomUniform(-0.05, 0.05).
    expect(Math.max(...e.weights[0]!.values.map(Math.abs))).toBeLessThanOrEqual(0.05);
  });

  it('refuses bad configs naming the layer, the option and the fix', () => {
    resetNameScope();
    expect(() => layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/Conv2D "conv2d": strides \[2, 2\] and dilationRate \[2, 2\] are both above 1/);
    expect(() => layers.conv2d({ filters: 4, kernelSize: 3, groups: 3 })).toThrow(/groups 3 must divide filters 4/);
    expect(() => layers.conv2d({ filters: 4, kernelSize: 3, groups: 2 }).apply(input({ shape: [5, 5, 3] }))).toThrow(/groups 2 must divide the input channels, got 3/);
    expect(() => layers.conv2dTranspose({ filters: 2, kernelSize: 3, outputPadding: [1, 1] as unknown as null })).toThrow(/Conv2DTranspose "conv2d_transpose": outputPadding \[1, 1\] is not supported; only null/);
    expect(() => layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true as unknown as false })).toThrow(/Embedding "embedding": maskZero true is not supported/);
    expect(() => layers.conv1d({ filters: 2, kernelSize: 3 }).apply(input({ shape: [5, 5, 3] }))).toThrow(/Conv1D "conv1d": needs a 3-D input/);
    expect(() => layers.depthwiseConv2d({ kernelSize: 4 }).apply(input({ shape: [3, 3, 2] }))).toThrow(/kernelSize \[4, 4\] is larger than its input image \[3, 3\]/);
  });

  it('computes output sizes as Keras: dilated windows, causal padding, transposed convolutions', () => {
    resetNameScope();
    const img = input({ shape: [9, 8, 3] });
    expect(layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: [2, 3] }).apply(img).shape).toEqual([null, 5, 2, 2]);
    expect(layers.separableConv2d({ filters: 5, kernelSize: 2, strides: 2, depthMultiplier: 2 }).apply(img).shape).toEqual([null, 4, 4, 5]);
    expect(layers.conv2dTranspose({ filters: 2, kernelSize: [3, 2], strides: [2, 3] }).apply(img).shape).toEqual([null, 19, 24, 2]);
    expect(layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }).apply(img).shape).toEqual([null, 18, 16, 2]);
    const seq = input({ shape: [11, 3] });
    expect(layers.conv1d({ filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 2 }).apply(seq).shape).toEqual([null, 11, 4]);
    expect(layers.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' }).apply(seq).shape).toEqual([null, 6, 4]);
  });

  it("reads Keras's Conv1D 1-lists and an int32 Input", () => {
    resetNameScope();
    const json = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { class_name: 'InputLayer', config: { batch_shape: [null, 10, 2], dtype: 'int32', name: 'in' } },
          { class_name: 'Conv1D', config: { name: 'c', filters: 3, kernel_size: [3], strides: [1], dilation_rate: [2], padding: 'causal', groups: 1 } },
        ],
      },
    };
    const m = fromJSON(json);
    expect(m.outputs[0]!.shape).toEqual([null, 10, 3]);
    expect(m.layers.at(-1)!.weights[0]!.shape).toEqual([3, 2, 3]);
  });
});
