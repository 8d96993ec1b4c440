// The headless trainer's core on the branched model (synthetic regression: both output losses
// must fall), and keeping the best weights by a monitored metric (ModelCheckpoint's save_best_only).
import { describe, expect, it } from 'vitest';
import { branched } from '../examples';
import { resetNameScope } from '../naming';
import { BestWeights } from './callbacks';
import { CpuEngine } from './cpuEngine';
import { TRAIN_DEFAULTS, train } from './headless';
import { Trainer } from './trainer';
import { branchedRegression } from '../../data/synthetic';

const noData = () => Promise.reject(new Error('the branched model needs no Fashion-MNIST'));

describe('headless trainer', () => {
  it('trains the branched model on the synthetic regression set: both output losses fall', async () => {
    const lines: string[] = [];
    const r = await train({ ...TRAIN_DEFAULTS, model: 'branched', epochs: 4, limit: 2000, learningRate: 0.01 }, new CpuEngine(), noData, (l) => lines.push(l));
    const h = r.history.history;
    expect(Object.keys(h)).toEqual(['loss', 'y1_output_loss', 'y2_output_loss', 'val_loss', 'val_y1_output_loss', 'val_y2_output_loss']);
    for (const k of ['y1_output_loss', 'y2_output_loss']) expect(h[k][3]).toBeLessThan(0.5 * h[k][0]);
    expect(r.test.loss).toBeLessThan(h.loss[0]);
    expect(lines.some((l) => l.startsWith('Epoch 4/4 done'))).toBe(true);
  });

  it("trains the seed's small Sequential model (3 -> 4 -> 4 -> 1) on the set's first target", async () => {
    const r = await train({ ...TRAIN_DEFAULTS, model: 'small-sequential', epochs: 4, limit: 2000, learningRate: 0.01 }, new CpuEngine(), noData, () => undefined);
    const loss = r.history.history.loss;
    expect(loss[3]).toBeLessThan(0.5 * loss[0]);
    expect(r.test.loss).toBeLessThan(loss[0]);
  });
});

describe('BestWeights', () => {
  it('keeps the weights of the epoch with the best monitored value', async () => {
    resetNameScope();
    const m = branched();
    const t = await Trainer.compile(m, new CpuEngine(), { optimizer: { kind: 'adam', learningRate: 0.02 }, loss: 'mse' });
    const d = branchedRegression(400, 3);
    const best = new BestWeights({ monitor: 'val_loss' });
    const valLoss: number[] = [];
    const snapshots: Float32Array[] = [];
    await t.fit({ data: d.x, shape: [400, 3] }, [{ data: d.y1, shape: [400, 1] }, { data: d.y2, shape: [400, 1] }], {
      epochs: 5,
      batchSize: 40,
      validationSplit: 0.25,
      callbacks: [best, { onEpochEnd: async (_e, logs, c) => void (valLoss.push(logs.val_loss), snapshots.push(await c.readWeights())) }],
    });
    const at = valLoss.indexOf(Math.min(...valLoss));
    expect(best.bestEpoch).toBe(at);
    expect(best.weights).toEqual(snapshots[at]);
  });
});
