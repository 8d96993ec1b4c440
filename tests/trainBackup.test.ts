// `npm run train -- --backup-dir DIR` survives SIGKILL: a run killed mid-epoch at a random step
// (or halfway through writing a backup), run again with the same command, resumes from its newest
// whole backup and saves exactly the weights of an uninterrupted run, byte for byte (CPU engine).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const RUN = ['--model', 'seed-cnn', '--epochs', '2', '--limit', '4000', '--batch-size', '32', '--seed', '5'];
// 3,200 training samples: 100 steps an epoch (a few seconds), a backup every 3.
const BACKUP = ['--backup-every', '3'];
const root = mkdtempSync(join(tmpdir(), 'train-backup-'));

const args = (extra: string[]): string[] => ['--import', 'tsx', 'scripts/train.ts', ...RUN, ...extra];

/** Runs the CLI to the end; returns its output. */
function train(extra: string[]): string {
  const r = spawnSync(process.execPath, args(extra), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`train exited with ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Starts the CLI and SIGKILLs it when `when(stdout, backups)` says so; resolves with its output. */
function trainUntilKilled(extra: string[], env: Record<string, string>, when: (out: string, backups: string[]) => boolean, dir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args(extra), { env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const poll = setInterval(() => {
      const backups = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.kbak')) : [];
      if (when(out, backups)) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 10);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      if (signal === 'SIGKILL') resolve(out);
      else reject(new Error(`the run ended (${code}) before it was killed:\n${out}`));
    });
  });
}

const weights = (dir: string): Buffer => readFileSync(join(dir, 'group1-shard1of1.bin'));

describe('npm run train --backup-dir', () => {
  let reference: Buffer;
  beforeAll(() => {
    train(['--save', join(root, 'whole') + '/']);
    reference = weights(join(root, 'whole'));
  }, 120_000);

  it('resumes a run killed mid-epoch at a random step and ends with the uninterrupted weights', async () => {
    const dir = join(root, 'killed');
    const save = ['--save', join(root, 'killed-model') + '/'];
    // Killed a random time (up to about an epoch) after the first backup mid-epoch.
    const delay = Math.random() * 2000;
    let firstSeen = 0;
    const when = (_: string, backups: string[]): boolean => {
      if (!firstSeen && backups.some((n) => !n.endsWith('-step0.kbak'))) firstSeen = performance.now();
      return firstSeen > 0 && performance.now() - firstSeen >= delay;
    };
    const killed = await trainUntilKilled([...BACKUP, '--backup-dir', dir, ...save], {}, when, dir);
    expect(killed).not.toContain('Saved the trained model');
    const out = train([...BACKUP, '--backup-dir', dir, ...save]);
    expect(out).toMatch(/Resuming from the backup of epoch \d, step \d+/);
    expect(weights(join(root, 'killed-model')).equals(reference)).toBe(true);
    // A run that ended needs its backups no more.
    expect(readdirSync(dir)).toEqual([]);
  }, 240_000);

  it('resumes from the previous backup when killed while writing one', async () => {
    const dir = join(root, 'torn');
    const save = ['--save', join(root, 'torn-model') + '/'];
    const nth = 2 + Math.floor(Math.random() * 3);
    const writes = (out: string): number => out.split('backup: writing').length - 1;
    await trainUntilKilled([...BACKUP, '--backup-dir', dir, ...save], { TRAIN_BACKUP_WRITE_PAUSE_MS: '400' }, (out) => writes(out) >= nth, dir);
    const left = readdirSync(dir);
    expect(left.filter((n) => n.endsWith('.tmp'))).toHaveLength(1);
    const whole = left.filter((n) => n.endsWith('.kbak')).sort();
    expect(whole.length).toBeGreaterThan(0);
    const out = train([...BACKUP, '--backup-dir', dir, ...save]);
    const newest = /-epoch(\d+)-step(\d+)\.kbak$/.exec(whole.at(-1)!)!;
    expect(out).toContain(`Resuming from the backup of epoch ${newest[1]}, step ${newest[2]}`);
    expect(weights(join(root, 'torn-model')).equals(reference)).toBe(true);
  }, 240_000);
});
