// The backup section of `npm run bench` (alone: `npm run bench -- --backup`): what writing
// training backups costs the seed CNN's steps on the CPU engine. The same fit runs without
// backups and with a backup every 10 steps into a temporary directory (the CLI's --backup-dir
// sink), alternating so drift in a shared machine hits both; each figure is the median over the
// rounds. From the measured cost of one backup it also gives the cost at the default policy
// (one backup about every 30 s of training), the figure the target (< 5%) is about.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFashionMnistFromDir } from '../src/data/nodeFiles';
import { seedCnn } from '../src/model/examples';
import { resetNameScope } from '../src/model/index';
import { encodeBackup } from '../src/model/train/backupFile';
import { BackupWriter, DEFAULT_BACKUP_POLICY } from '../src/model/train/backupWriter';
import { takeSnapshot } from '../src/model/train/fitSnapshot';
import { Random } from '../src/model/random';
import { CpuEngine } from '../src/model/train/cpuEngine';
import type { HostTensor } from '../src/model/train/engine';
import { Trainer } from '../src/model/train/trainer';
import { BackupDir } from './backupDir';

const STEPS = 80;
const BATCH = 32;
const EVERY = 10;
const ROUNDS = 3;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** Milliseconds per step of one fit of STEPS steps, with backups every `every` steps (0: none); and the backups written. */
async function timedFit(x: HostTensor, y: HostTensor, every: number): Promise<{ msPerStep: number; backups: number; snapshotMs: number; bytes: number }> {
  resetNameScope();
  const model = seedCnn();
  model.initializeWeights(0);
  const trainer = await Trainer.compile(model, new CpuEngine(), { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const dir = mkdtempSync(join(tmpdir(), 'bench-backup-'));
  const writer = new BackupWriter(new BackupDir(dir), 'bench', () => null, { ...DEFAULT_BACKUP_POLICY, everySteps: every });
  try {
    // One warm-up step compiles the program and touches the memory.
    await trainer.trainOnBatch({ ...x, data: x.data.subarray(0, BATCH * 784), shape: [BATCH, 28, 28, 1] }, { data: y.data.subarray(0, BATCH), shape: [BATCH] });
    const t0 = performance.now();
    await trainer.fit(x, y, { epochs: 1, batchSize: BATCH, logEvery: 10, ...(every > 0 ? { backup: writer } : {}) });
    const ms = performance.now() - t0;
    await writer.flush();
    // What one backup costs the training thread by itself: reading the state out and encoding it.
    const s0 = performance.now();
    const bytes = encodeBackup({ fingerprint: 'bench', savedAt: 0, meta: null, snapshot: { ...(await takeSnapshot(trainer.engine, { epoch: 1, step: 0 }, new Uint32Array(STEPS * BATCH), new Random(0), { epoch: [], history: {} })), logs: {} } });
    return { msPerStep: ms / STEPS, backups: writer.status.written, snapshotMs: performance.now() - s0, bytes: bytes.length };
  } finally {
    trainer.dispose();
    trainer.engine.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the section; returns false when it could not run. */
export async function benchBackup(): Promise<boolean> {
  const data = await loadFashionMnistFromDir();
  const n = STEPS * BATCH;
  const x: HostTensor = { data: data.train.images.subarray(0, n * 784), shape: [n, 28, 28, 1], scale: 1 / 255 };
  const y: HostTensor = { data: data.train.labels.subarray(0, n), shape: [n] };
  const plain: number[] = [];
  const backed: number[] = [];
  let written = 0;
  const snapshotMs: number[] = [];
  let bytes = 0;
  for (let r = 0; r < ROUNDS; r++) {
    plain.push((await timedFit(x, y, 0)).msPerStep);
    const b = await timedFit(x, y, EVERY);
    backed.push(b.msPerStep);
    written = b.backups;
    snapshotMs.push(b.snapshotMs);
    bytes = b.bytes;
  }
  const a = median(plain);
  const b = median(backed);
  // Snapshots taken: every EVERY steps within the epoch, and one at its end.
  const taken = Math.floor((STEPS - 1) / EVERY) + 1;
  const one = median(snapshotMs);
  const pct = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(2)}%`;
  console.log(`\nBackups (seed CNN, CPU engine, batch ${BATCH}, ${STEPS} steps, median of ${ROUNDS}; ${written} of ${taken} snapshots written, the others replaced while a write was in flight):`);
  console.log(`  step time without backups        ${a.toFixed(1)} ms`);
  console.log(`  step time, a backup every ${EVERY} steps ${b.toFixed(1)} ms  (${pct((100 * (b - a)) / a)})`);
  console.log(`  one backup (${(bytes / 2 ** 20).toFixed(1)} MiB) read out and encoded on the training thread: ${one.toFixed(1)} ms; at the default (every ${DEFAULT_BACKUP_POLICY.everySeconds} s): ${pct((100 * one) / (DEFAULT_BACKUP_POLICY.everySeconds * 1000))} step time (target < 5%)`);
  return true;
}
