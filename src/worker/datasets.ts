// The data sets a model on the page trains on, and which one fits a model: Fashion-MNIST for an
// image input with 10-class outputs; the seed's synthetic regression set (three features, two
// targets y1 and y2 from a seeded rule) for one input of shape (3,) and one or two outputs of
// shape (None, 1). Anything else is told exactly why neither fits.

import type { FashionMnist } from '../data/idx.ts';
import { branchedRegression, type RegressionSet } from '../data/synthetic.ts';
import type { Model } from '../model/index.ts';
import type { HostTensor } from '../model/train/engine.ts';
import { fashionMnistMismatch } from './examples.ts';

export type DatasetKind = 'fashion-mnist' | 'regression';

export const DATASET_TITLES: Record<DatasetKind, string> = {
  'fashion-mnist': 'Fashion-MNIST',
  regression: 'synthetic regression (3 features → y1, y2)',
};

/** The regression set's rule is fixed by these seeds, so every run sees the same samples. */
const REGRESSION_SEEDS = { train: 1, test: 2 };
const PIXELS = 28 * 28;

export type TrainingData =
  | { kind: 'fashion-mnist'; mnist: FashionMnist }
  | { kind: 'regression'; train: RegressionSet; test: RegressionSet };

export type Split = 'train' | 'test';

function regressionMismatch(m: Model): string | null {
  if (m.inputs.length !== 1) return `it has ${m.inputs.length} inputs, not one`;
  const shape = m.inputs[0]!.shape.slice(1).join(',');
  if (shape !== '3') return `its input has shape (${shape}), not (3,)`;
  if (m.outputs.length > 2) return `it has ${m.outputs.length} outputs, and the set has two targets`;
  const wide = m.outputs.find((t) => t.shape.slice(1).join(',') !== '1');
  if (wide) return `output "${wide.layer.name}" has shape (None, ${wide.shape.slice(1).join(', ')}), not (None, 1)`;
  return null;
}

/** The data set `m` trains on, or a message saying why neither fits and how to make one fit. */
export function datasetFor(m: Model): { kind: DatasetKind } | { error: string } {
  const regression = regressionMismatch(m);
  if (!regression) return { kind: 'regression' };
  const fashion = fashionMnistMismatch(m);
  if (!fashion) return { kind: 'fashion-mnist' };
  if (m.inputs.length === 1 && m.inputs[0]!.shape.slice(1).join(',') === '3') {
    return { error: `The synthetic regression set (3 features, targets y1 and y2) does not fit this model: ${regression}. Give it one or two Dense(1) outputs.` };
  }
  return { error: `${fashion} (Models with one input of shape (3,) and one or two outputs of shape (None, 1) train on a synthetic regression set instead.)` };
}

/** The synthetic regression set at the settings' sizes (train and test drawn from their own seeds). */
export function regressionData(trainSize: number, testSize: number): TrainingData {
  return { kind: 'regression', train: branchedRegression(trainSize, REGRESSION_SEEDS.train), test: branchedRegression(testSize, REGRESSION_SEEDS.test) };
}

/** The first `count` samples of a split: x shaped for `model`'s input, and one target per output. */
export function samples(data: TrainingData, split: Split, count: number, model: Model): { x: HostTensor; y: HostTensor[] } {
  if (data.kind === 'fashion-mnist') {
    const images = data.mnist[split];
    const shape = [count, ...(model.inputs[0]!.shape.slice(1) as number[])];
    const y: HostTensor = { data: images.labels.subarray(0, count), shape: [count] };
    return { x: { data: images.images.subarray(0, count * PIXELS), shape, scale: 1 / 255 }, y: model.outputs.map(() => y) };
  }
  const set = data[split];
  const targets = [set.y1, set.y2];
  return {
    x: { data: set.x.subarray(0, count * 3), shape: [count, 3] },
    y: model.outputs.map((_, i) => ({ data: targets[i]!.subarray(0, count), shape: [count, 1] })),
  };
}

/** How many samples a split holds. */
export function sampleCount(data: TrainingData, split: Split): number {
  return data.kind === 'fashion-mnist' ? data.mnist[split].count : data[split].count;
}

/** Fashion-MNIST as a data set the page trains on. */
export const fashionData = (mnist: FashionMnist): TrainingData => ({ kind: 'fashion-mnist', mnist });
