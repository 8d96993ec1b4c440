// `npm run train -- --engine webgpu --backup-dir DIR` survives SIGKILL: the page in headless
// Chromium sends each backup to Node, which writes it into DIR (temp file, fsync, rename); a run
// killed at a random backup mid-epoch, run again with the same command, gets the newest whole
// backup handed to its page, resumes from it, and saves the weights of an uninterrupted run
// within the GPU-vs-CPU tolerance. The seed's small 3-4-4-1 model keeps it to seconds of training.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH } from '../scripts/browser';

// 3,200 training samples: 100 steps an epoch, a backup every 3.
const RUN = ['--model', 'small-sequential', '--engine', 'webgpu', '--epochs', '4', '--limit', '4000', '--batch-size', '32', '--seed', '5'];
const BACKUP = ['--backup-every', '3'];
const root = mkdtempSync(join(tmpdir(), 'train-backup-webgpu-'));
const args = (extra: string[]): string[] => ['--import', 'tsx', 'scripts/train.ts', ...RUN, ...extra];
const TOL = { atol: 1e-5, rtol: 1e-4 };

function train(extra: string[]): string {
  const r = spawnSync(process.execPath, args(extra), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`train exited with ${r.status}: ${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** Starts the CLI and SIGKILLs it once DIR holds a mid-epoch backup numbered `nth` or later; resolves with the backups left. */
function trainUntilKilled(extra: string[], dir: string, nth: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args(extra));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const poll = setInterval(() => {
      const backups = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.kbak')) : [];
      const seqs = backups.filter((n) => !n.endsWith('-step0.kbak')).map((n) => Number(/^backup-(\d+)/.exec(n)![1]));
      if (seqs.some((s) => s >= nth)) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 10);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      if (signal === 'SIGKILL') resolve(readdirSync(dir).filter((n) => n.endsWith('.kbak')).sort());
      else reject(new Error(`the run ended (${code}) before it was killed:\n${out}`));
    });
  });
}

const weights = (dir: string): Float32Array => {
  const b = readFileSync(join(dir, 'group1-shard1of1.bin'));
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

describe.skipIf(!existsSync(CHROMIUM_PATH))('npm run train --engine webgpu --backup-dir', () => {
  it('resumes a run killed at a random mid-epoch backup and ends with the uninterrupted weights', async () => {
    const whole = train(['--save', join(root, 'whole') + '/']);
    expect(whole).toContain('on google swiftshader');
    const reference = weights(join(root, 'whole'));

    const dir = join(root, 'killed');
    const save = ['--save', join(root, 'killed-model') + '/'];
    // Snapshots taken while one is being written replace each other: about 20 are written in all.
    const nth = 2 + Math.floor(Math.random() * 8);
    const left = await trainUntilKilled([...BACKUP, '--backup-dir', dir, ...save], dir, nth);
    expect(left.length).toBeGreaterThan(0);
    expect(existsSync(join(root, 'killed-model'))).toBe(false);
    const newest = /-epoch(\d+)-step(\d+)\.kbak$/.exec(left.at(-1)!)!;
    const out = train([...BACKUP, '--backup-dir', dir, ...save]);
    expect(out).toContain(`Resuming from the backup of epoch ${newest[1]}, step ${newest[2]}`);
    const resumed = weights(join(root, 'killed-model'));
    expect(resumed.length).toBe(reference.length);
    const worst = Math.max(...reference.map((r, i) => Math.abs(resumed[i]! - r) - TOL.rtol * Math.abs(r)));
    expect(worst, `killed at backup ${nth}`).toBeLessThanOrEqual(TOL.atol);
    // A run that ended needs its backups no more.
    expect(readdirSync(dir)).toEqual([]);
  }, 420_000);
});
