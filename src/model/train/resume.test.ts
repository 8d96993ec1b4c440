// Pause and Resume: a fit stopped mid-epoch, then fit again from the step it reached with the
// same seed, or from the snapshot it took where it stopped, ends with exactly the weights of an
// uninterrupted fit.
import { expect, it } from 'vitest';
import { layers, sequential } from '../index';
import { rng } from '../../../tests/util/check';
import { CpuEngine } from './cpuEngine';
import type { FitSnapshot } from './fitSnapshot';
import { Trainer } from './trainer';

function net() {
  const m = sequential({ seed: 3 });
  m.add(layers.dense({ units: 8, activation: 'relu', inputShape: [5] }));
  m.add(layers.dropout({ rate: 0.3 }));
  m.add(layers.dense({ units: 3, activation: 'softmax' }));
  return m;
}

it('a stopped fit resumed with initialStep ends with the weights of an uninterrupted fit', async () => {
  const r = rng(4);
  const n = 100;
  const x = { data: Float32Array.from({ length: n * 5 }, () => r() * 2 - 1), shape: [n, 5] };
  const y = { data: Uint32Array.from({ length: n }, () => Math.floor(r() * 3)), shape: [n] };
  const args = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' } as const;

  const whole = await Trainer.compile(net(), new CpuEngine(), args);
  await whole.fit(x, y, { epochs: 1, batchSize: 10, seed: 7 });

  const parts = await Trainer.compile(net(), new CpuEngine(), args);
  await parts.fit(x, y, { epochs: 1, batchSize: 10, seed: 7, logEvery: 1, callbacks: [{ onBatchEnd: (b) => void (b === 3 && parts.stop()) }] });
  expect(parts.stepsDone).toBe(4);
  await parts.fit(x, y, { epochs: 1, batchSize: 10, seed: 7, initialStep: parts.stepsDone });

  expect(await parts.engine.readParams()).toEqual(await whole.engine.readParams());
  await expect(parts.fit(x, y, { epochs: 1, batchSize: 10, initialStep: 10 })).rejects.toThrow(/initialStep must be an integer in \[0, 10\)/);
});

it('a fit resumed from any backup snapshot ends with the weights and history of an uninterrupted fit', async () => {
  const r = rng(5);
  const n = 90;
  const x = { data: Float32Array.from({ length: n * 5 }, () => r() * 2 - 1), shape: [n, 5] };
  const y = { data: Uint32Array.from({ length: n }, () => Math.floor(r() * 3)), shape: [n] };
  const args = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] } as const;
  const fitArgs = { epochs: 3, batchSize: 8, seed: 11, validationSplit: 0.2, logEvery: 2 };

  const snapshots: FitSnapshot[] = [];
  const whole = await Trainer.compile(net(), new CpuEngine(), args);
  const history = await whole.fit(x, y, { ...fitArgs, backup: { due: (step) => step % 4 === 0, save: (s) => void snapshots.push(s) } });
  const final = await whole.engine.readParams();
  // 72 training samples in 9 steps: snapshots after steps 4 and 8 of each epoch and at each epoch end.
  expect(snapshots.map((s) => `${s.epoch}:${s.step}`)).toEqual(['0:4', '0:8', '1:0', '1:4', '1:8', '2:0', '2:4', '2:8', '3:0']);

  // Resumed on one or three threads where the whole run had the default: the wasm kernels split work bit-identically.
  for (const [i, snapshot] of snapshots.filter((s) => s.epoch < 3).entries()) {
    const resumed = await Trainer.compile(net(), new CpuEngine({ kernels: 'wasm', threads: i % 2 === 0 ? 1 : 3 }), args);
    const h = await resumed.fit(x, y, { ...fitArgs, resumeFrom: snapshot });
    expect(await resumed.engine.readParams(), `from ${snapshot.epoch}:${snapshot.step}`).toEqual(final);
    expect(h).toEqual(history);
  }
});

it('refuses a snapshot that does not fit the data or batch size', async () => {
  const x = { data: new Float32Array(40 * 5), shape: [40, 5] };
  const y = { data: new Uint32Array(40), shape: [40] };
  const args = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' } as const;
  let snapshot: FitSnapshot | null = null;
  const t = await Trainer.compile(net(), new CpuEngine(), args);
  await t.fit(x, y, { epochs: 1, batchSize: 8, backup: { due: (step) => step === 2, save: (s) => void (snapshot ??= s) } });
  await expect(t.fit(x, y, { epochs: 1, batchSize: 8, validationSplit: 0.2, resumeFrom: snapshot! })).rejects.toThrow(/order of 40 samples but this fit trains on 32/);
  await expect(t.fit(x, y, { epochs: 1, batchSize: 20, resumeFrom: snapshot! })).rejects.toThrow(/resume with the same batch size/);
});

it('a fit stopped mid-epoch (Pause) snapshots where it stopped; resumed from it, it ends as the uninterrupted fit', async () => {
  const r = rng(6);
  const n = 80;
  const x = { data: Float32Array.from({ length: n * 5 }, () => r() * 2 - 1), shape: [n, 5] };
  const y = { data: Uint32Array.from({ length: n }, () => Math.floor(r() * 3)), shape: [n] };
  const args = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] } as const;
  const fitArgs = { epochs: 2, batchSize: 8, seed: 2, logEvery: 1 };
  const whole = await Trainer.compile(net(), new CpuEngine(), args);
  const history = await whole.fit(x, y, fitArgs);

  const snapshots: FitSnapshot[] = [];
  const backup = { due: () => false, save: (s: FitSnapshot) => void snapshots.push(s) };
  const parts = await Trainer.compile(net(), new CpuEngine(), args);
  // Stopped during step 4 of epoch 2 (batch index 3): 4 steps of it done.
  let epoch = 0;
  await parts.fit(x, y, { ...fitArgs, backup, callbacks: [{ onEpochBegin: (e) => void (epoch = e), onBatchEnd: (b) => void (epoch === 1 && b === 3 && parts.stop()) }] });
  expect(snapshots.map((s) => `${s.epoch}:${s.step}`)).toEqual(['1:0', '1:4']);
  const resumed = await Trainer.compile(net(), new CpuEngine(), args);
  const h = await resumed.fit(x, y, { ...fitArgs, resumeFrom: snapshots[1]! });
  expect(await resumed.engine.readParams()).toEqual(await whole.engine.readParams());
  expect(h).toEqual(history);
});
