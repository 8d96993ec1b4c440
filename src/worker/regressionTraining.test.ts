// Models that are not 10-class image classifiers train on the page too: the seed's branched model
// and its small Sequential model on the synthetic regression set (three features, targets y1 and
// y2), through the worker's own message handling; other shapes are told why nothing fits.
import { describe, expect, it } from 'vitest';
import { exampleSpec } from './examples';
import { buildModel } from './modelSpec';
import { datasetFor } from './datasets';
import { Playground } from './playground';
import type { EpochPoint, FromWorker, RegressionResults } from './protocol';
import { DEFAULT_SETTINGS, type TrainSettings } from './settings';

const SETTINGS: TrainSettings = { ...DEFAULT_SETTINGS, epochs: 3, trainSize: 2000, testSize: 200, validationSplit: 0.1, learningRate: 0.01, engine: 'cpu' };

async function train(key: 'branched' | 'small-sequential'): Promise<FromWorker[]> {
  const messages: FromWorker[] = [];
  const playground = new Playground((m) => void messages.push(m));
  await playground.handle({ type: 'train', spec: exampleSpec(key), settings: SETTINGS });
  return messages;
}

const epochs = (ms: FromWorker[]): EpochPoint[] => ms.flatMap((m) => (m.type === 'epoch' ? [m.point] : []));
const results = (ms: FromWorker[]): RegressionResults => {
  const r = ms.find((m) => m.type === 'results');
  if (r?.type !== 'results' || !('kind' in r.results)) throw new Error('no regression results');
  return r.results;
};

describe('regression on the page', () => {
  it('the branched model trains on the synthetic set: both output losses fall, and each output is scored against its target', async () => {
    const ms = await train('branched');
    expect(ms.filter((m) => m.type === 'error')).toEqual([]);
    expect(ms.at(-1)).toEqual({ type: 'phase', phase: 'done' });
    const e = epochs(ms);
    expect(e).toHaveLength(3);
    for (const k of ['y1_output_loss', 'y2_output_loss', 'val_y1_output_loss', 'val_y2_output_loss']) {
      expect(e[2]!.logs[k]).toBeLessThan(e[0]!.logs[k]!);
    }
    const r = results(ms);
    expect(r.outputs.map((o) => o.name)).toEqual(['y1_output', 'y2_output']);
    expect(r.count).toBe(200);
    for (const o of r.outputs) {
      // The reported error is the mean over the test set; the scatter's pairs agree with it.
      const mse = o.truth.reduce((s, t, i) => s + (o.predicted[i]! - t) ** 2, 0) / o.truth.length;
      expect(o.mse).toBeCloseTo(mse, 5);
      expect(o.mse).toBeLessThan(e[0]!.logs[`${o.name}_loss`]!);
    }
  });

  it("the seed's small Sequential model (3 -> 4 -> 4 -> 1) trains on y1", async () => {
    const ms = await train('small-sequential');
    expect(ms.at(-1)).toEqual({ type: 'phase', phase: 'done' });
    const e = epochs(ms);
    expect(e[2]!.logs.loss).toBeLessThan(e[0]!.logs.loss!);
    expect(results(ms).outputs).toHaveLength(1);
  });

  it('a model that fits neither data set is told exactly why', () => {
    const spec = exampleSpec('small-sequential');
    (spec.layers.at(-1)!.config as { units: number }).units = 2;
    expect(datasetFor(buildModel(spec))).toEqual({
      error: 'The synthetic regression set (3 features, targets y1 and y2) does not fit this model: output "dense_2" has shape (None, 2), not (None, 1). Give it one or two Dense(1) outputs.',
    });
    expect(datasetFor(buildModel(exampleSpec('multi-input-concat')))).toEqual({
      error: 'Training uses Fashion-MNIST, which needs one image input; this model has 2 inputs. (Models with one input of shape (3,) and one or two outputs of shape (None, 1) train on a synthetic regression set instead.)',
    });
    expect(datasetFor(buildModel(exampleSpec('seed-cnn')))).toEqual({ kind: 'fashion-mnist' });
  });
});
