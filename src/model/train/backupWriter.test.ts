// The backup writer never holds fit up: a snapshot taken while one is written waits (the newest
// only), and a sink that fails (a full disk, a storage quota) stops the backups, not the run.
import { expect, it } from 'vitest';
import { layers, sequential } from '../index';
import { decodeBackup } from './backupFile';
import { BackupWriter, type BackupStatus } from './backupWriter';
import { CpuEngine } from './cpuEngine';
import { Trainer } from './trainer';

function setup() {
  const m = sequential({ seed: 1 });
  m.add(layers.dense({ units: 3, activation: 'softmax', inputShape: [4] }));
  const n = 64;
  const x = { data: Float32Array.from({ length: n * 4 }, (_, i) => Math.sin(i)), shape: [n, 4] };
  const y = { data: Uint32Array.from({ length: n }, (_, i) => i % 3), shape: [n] };
  return { m, x, y };
}

it('writes the newest snapshot when a write is slow, and the last one is whole', async () => {
  const { m, x, y } = setup();
  const written: Uint8Array[] = [];
  const slow = { write: async (bytes: Uint8Array) => void (await new Promise((r) => setTimeout(r, 30)), written.push(bytes)) };
  const writer = new BackupWriter(slow, 'fp', () => ({ run: 'a' }), { everySteps: 1, everySeconds: 0 });
  const t = await Trainer.compile(m, new CpuEngine(), { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  await t.fit(x, y, { epochs: 2, batchSize: 8, backup: writer });
  await writer.flush();
  // 16 snapshots were taken (7 mid-epoch and one at the end of each epoch); far fewer were written.
  expect(written.length).toBeLessThan(16);
  const last = decodeBackup<{ run: string }>(written.at(-1)!, 'last', 'fp');
  expect([last.snapshot.epoch, last.snapshot.step, last.meta.run]).toEqual([2, 0, 'a']);
  expect(last.snapshot.engine.params).toEqual(await t.engine.readParams());
});

it('stops backing up when the sink fails and lets fit finish', async () => {
  const { m, x, y } = setup();
  let writes = 0;
  const full = {
    write: async () => {
      if (++writes > 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    },
  };
  const statuses: BackupStatus[] = [];
  const writer = new BackupWriter(full, 'fp', () => null, { everySteps: 2, everySeconds: 0 }, (s) => statuses.push(s));
  const t = await Trainer.compile(m, new CpuEngine(), { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  const history = await t.fit(x, y, { epochs: 3, batchSize: 8, backup: writer });
  await writer.flush();
  expect(history.epoch).toEqual([0, 1, 2]);
  expect(writes).toBe(3);
  expect(writer.status.written).toBe(2);
  expect(writer.status.stopped).toBe('The quota has been exceeded.');
  expect(statuses.at(-1)?.stopped).toBe('The quota has been exceeded.');
  expect(writer.due(2)).toBe(false);
});
