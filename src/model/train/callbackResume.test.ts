// Callbacks' state goes into training backups: a fit resumed from any snapshot (through the
// backup file format) stops at the epoch an uninterrupted fit stops at, with the same
// EarlyStopping best weights restored and the same ReduceLROnPlateau reductions; without the
// state, as in Keras, EarlyStopping's patience would start over and the run would stop later.
import { expect, it } from 'vitest';
import { rng } from '../../../tests/util/check';
import { layers, sequential } from '../index';
import { decodeBackup, encodeBackup } from './backupFile';
import { EarlyStopping } from './callbacks';
import { CpuEngine } from './cpuEngine';
import type { FitSnapshot } from './fitSnapshot';
import { ReduceLROnPlateau } from './lrCallbacks';
import { Trainer } from './trainer';

function net() {
  const m = sequential({ seed: 8 });
  m.add(layers.dense({ units: 6, activation: 'relu', inputShape: [4] }));
  m.add(layers.dense({ units: 3, activation: 'softmax' }));
  return m;
}

// A minDelta no change can beat: the first epoch improves (on Infinity), no later one does, so
// the stopping and reducing epochs follow from the counters alone, whatever the data.
const callbacks = () => ({
  stop: new EarlyStopping({ monitor: 'loss', patience: 5, minDelta: 1e9, restoreBestWeights: true }),
  lr: new ReduceLROnPlateau({ monitor: 'loss', patience: 2, minDelta: 1e9, factor: 0.5, cooldown: 1 }),
});

it('a fit resumed from any snapshot stops at the same epoch with the same best weights and learning-rate reductions', async () => {
  const r = rng(3);
  const n = 40;
  const x = { data: Float32Array.from({ length: n * 4 }, () => r() * 2 - 1), shape: [n, 4] };
  const y = { data: Uint32Array.from({ length: n }, () => Math.floor(r() * 3)), shape: [n] };
  const args = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' } as const;
  const fitArgs = { epochs: 12, batchSize: 8, seed: 5 };

  const snapshots: FitSnapshot[] = [];
  const whole = callbacks();
  const t = await Trainer.compile(net(), new CpuEngine(), args);
  const history = await t.fit(x, y, { ...fitArgs, callbacks: [whole.stop, whole.lr], backup: { due: (step) => step === 3, save: (s) => void snapshots.push(s) } });
  const final = await t.engine.readParams();
  // Epoch 0 improves; 1-5 do not: stopped after epoch 5 (6 epochs), the rate halved after epochs 2 and 4.
  expect(history.epoch).toEqual([0, 1, 2, 3, 4, 5]);
  expect(whole.stop.stoppedEpoch).toBe(5);
  expect(whole.lr.reductions.map((d) => d.epoch)).toEqual([2, 4]);

  const points = snapshots.filter((s) => s.epoch < 6);
  expect(points.map((s) => `${s.epoch}:${s.step}`)).toEqual(['0:3', '1:0', '1:3', '2:0', '2:3', '3:0', '3:3', '4:0', '4:3', '5:0', '5:3']);
  for (const snapshot of points) {
    const read = decodeBackup(encodeBackup({ fingerprint: 'f', savedAt: 0, meta: null, snapshot }), 'backup', 'f').snapshot;
    const again = callbacks();
    const resumed = await Trainer.compile(net(), new CpuEngine(), args);
    const h = await resumed.fit(x, y, { ...fitArgs, callbacks: [again.stop, again.lr], resumeFrom: read });
    const at = `from ${snapshot.epoch}:${snapshot.step}`;
    expect(h.epoch, at).toEqual(history.epoch);
    expect(again.stop.stoppedEpoch, at).toBe(5);
    expect(again.lr.reductions, at).toEqual(whole.lr.reductions);
    expect(resumed.engine.getLearningRate(), at).toBe(t.engine.getLearningRate());
    // The best weights restored at the end are epoch 0's, kept in the backup.
    expect(await resumed.engine.readParams(), at).toEqual(final);
  }

  // Without the callbacks' state EarlyStopping starts counting again: resumed after epoch 3, it trains on.
  const bare: FitSnapshot = { ...snapshots.find((s) => s.epoch === 4 && s.step === 0)!, callbacks: [] };
  const fresh = callbacks();
  const later = await Trainer.compile(net(), new CpuEngine(), args);
  const h = await later.fit(x, y, { ...fitArgs, callbacks: [fresh.stop, fresh.lr], resumeFrom: bare });
  expect(h.epoch.length).toBeGreaterThan(history.epoch.length);
});
