// scripts/summary.ts end to end: an example by name, a config file, and a
// one-line error with a non-zero exit for a file it cannot read.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resetNameScope } from './index.ts';
import { branched } from './examples.ts';

const run = (...args: string[]) => spawnSync('npx', ['tsx', 'scripts/summary.ts', ...args], { encoding: 'utf8' });

describe('npm run summary', () => {
  it('prints an example and a config file the same way', () => {
    const byName = execFileSync('npx', ['tsx', 'scripts/summary.ts', 'branched'], { encoding: 'utf8' });
    resetNameScope();
    const file = join(mkdtempSync(join(tmpdir(), 'summary-')), 'model.json');
    writeFileSync(file, JSON.stringify({ modelTopology: { model_config: branched().toJSON() } }));
    expect(run(file).stdout).toBe(byName);
    expect(byName).toContain('Branched_layer (Dense)          (None, 10)           110         Layer_2[0][0]');
  }, 30_000);

  it('fails with one line for a file it cannot read', () => {
    const result = run('does-not-exist.json', '--layout', 'keras3');
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^summary: cannot read does-not-exist.json \(ENOENT\)/);
  }, 30_000);
});
