// The CLI's backup directory: the newest whole backup is read, a torn newest one is skipped for
// the one before it, only the newest two are kept, and another model's is refused.
import { mkdtempSync, readdirSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { BackupDir } from '../scripts/backupDir';
import { encodeBackup } from '../src/model/train/backupFile';
import type { FitSnapshot } from '../src/model/train/fitSnapshot';

const snapshot = (epoch: number, step: number): FitSnapshot => ({
  epoch,
  step,
  order: Uint32Array.of(1, 0),
  rng: Uint32Array.of(1, 2, 3, 4),
  engine: { params: Float32Array.of(epoch, step), slots: new Float32Array(4), counters: Float64Array.of(step, 0, 0, 0) },
  sums: new Float64Array(3),
  logs: {},
  learningRate: 0.01,
  history: { epoch: [], history: {} },
});

async function put(dir: BackupDir, epoch: number, step: number, fp = 'fp'): Promise<void> {
  await dir.write(encodeBackup({ fingerprint: fp, savedAt: 0, meta: null, snapshot: snapshot(epoch, step) }), { epoch, step });
}

it('keeps the newest two, reads the newest whole one and refuses another model', async () => {
  const path = mkdtempSync(join(tmpdir(), 'backup-dir-'));
  const dir = new BackupDir(path);
  expect(dir.load('fp', () => undefined)).toBeNull();
  await put(dir, 0, 3);
  await put(dir, 0, 6);
  await put(dir, 1, 0);
  expect(readdirSync(path).sort()).toEqual(['backup-000002-epoch1-step6.kbak', 'backup-000003-epoch2-step0.kbak']);
  expect(dir.load('fp', () => undefined)?.snapshot.epoch).toBe(1);

  truncateSync(join(path, 'backup-000003-epoch2-step0.kbak'), 100);
  const log: string[] = [];
  const found = new BackupDir(path).load('fp', (l) => log.push(l));
  expect([found?.snapshot.epoch, found?.snapshot.step]).toEqual([0, 6]);
  expect(log[0]).toMatch(/^Skipping .*backup-000003-epoch2-step0.kbak is torn or truncated/);

  expect(() => dir.load('another', () => undefined)).toThrow(/is a backup of another model or other training settings/);
  dir.clear();
  expect(readdirSync(path)).toEqual([]);
});
