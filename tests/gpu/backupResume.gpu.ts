// Backups on the WebGPU engine: a fit resumed from a backup (written and read back through the
// backup file format) on a new device ends with the weights and history of the uninterrupted
// fit, within the GPU-vs-CPU tolerance; the GPU engine restores its metric sums, so the resumed
// epoch's logs are those of the whole epoch.
import { layers, sequential } from '../../src/model/index';
import { decodeBackup, encodeBackup } from '../../src/model/train/backupFile';
import type { FitSnapshot } from '../../src/model/train/fitSnapshot';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { Trainer } from '../../src/model/train/trainer';
import { assertClose, rng } from '../util/check';
import { gpuTest } from './harness';

const COMPILE = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] } as const;
const TOL = { atol: 1e-5, rtol: 1e-4 };

function net() {
  const m = sequential({ seed: 2 });
  m.add(layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }));
  m.add(layers.flatten());
  m.add(layers.dropout({ rate: 0.3 }));
  m.add(layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

gpuTest('backups: a fit resumed on a new device from a mid-epoch or epoch-end backup ends with the uninterrupted weights and history', async () => {
  const r = rng(9);
  const n = 96;
  const x = { data: Uint8Array.from({ length: n * 64 }, () => Math.floor(r() * 256)), shape: [n, 8, 8, 1], scale: 1 / 255 };
  const y = { data: Uint8Array.from({ length: n }, () => Math.floor(r() * 10)), shape: [n] };
  const fitArgs = { epochs: 3, batchSize: 8, seed: 4, validationSplit: 0.25, logEvery: 3 };

  const snapshots: FitSnapshot[] = [];
  const whole = await Trainer.compile(net(), await GpuEngine.create(), COMPILE);
  const history = await whole.fit(x, y, { ...fitArgs, backup: { due: (step) => step % 4 === 0, save: (s) => void snapshots.push(s) } });
  const final = await whole.engine.readParams();
  whole.dispose();
  whole.engine.dispose();

  // 72 training samples in 9 steps: one mid-epoch backup of epoch 2 and the one at its end.
  for (const at of ['1:4', '2:0']) {
    const snapshot = snapshots.find((s) => `${s.epoch}:${s.step}` === at);
    if (!snapshot) throw new Error(`no backup at ${at}: ${snapshots.map((s) => `${s.epoch}:${s.step}`).join(' ')}`);
    const read = decodeBackup(encodeBackup({ fingerprint: 'gpu', savedAt: 0, meta: null, snapshot }), at, 'gpu').snapshot;
    const resumed = await Trainer.compile(net(), await GpuEngine.create(), COMPILE);
    const h = await resumed.fit(x, y, { ...fitArgs, resumeFrom: read });
    assertClose(await resumed.engine.readParams(), final, TOL, `weights resumed from ${at}`);
    for (const [k, v] of Object.entries(history.history)) assertClose(h.history[k]!, v, TOL, `${k} resumed from ${at}`);
    resumed.dispose();
    resumed.engine.dispose();
  }
});
