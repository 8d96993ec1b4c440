import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTuningFile, writeTuningFile } from '../scripts/tuningFile';

const entries = {
  'google|swiftshader|||#conv2d.forward#[32,14,14,32] k3x3': { variant: '8x8', ms: 4.5, times: { '8x8': 4.5, vec4: 9.25 } },
  'nvidia|ada|||#matmul.tA#32x3136x128': { variant: 'tiled', ms: 0.02, times: { blocked: 0.05, tiled: 0.02 } },
};

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'tuning-'));
}

describe('tuning file', () => {
  it('round-trips its entries, creating the folder', () => {
    const path = join(dir(), 'sub', 'tuning.json');
    writeTuningFile(path, entries);
    expect(readTuningFile(path)).toEqual(entries);
  });

  it('a missing file is empty without a warning', () => {
    const warnings: string[] = [];
    expect(readTuningFile(join(dir(), 'none.json'), (w) => warnings.push(w))).toEqual({});
    expect(warnings).toEqual([]);
  });

  it('ignores a corrupt file, a foreign version and malformed records, with warnings', () => {
    const path = join(dir(), 'tuning.json');
    const warnings: string[] = [];
    writeFileSync(path, '{"version": 1, "entries": {"a": ');
    expect(readTuningFile(path, (w) => warnings.push(w))).toEqual({});
    writeFileSync(path, JSON.stringify({ version: 99, entries }));
    expect(readTuningFile(path, (w) => warnings.push(w))).toEqual({});
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/ignored: not JSON/);
    expect(warnings[1]).toMatch(/ignored: version 99/);
    writeFileSync(path, JSON.stringify({ version: 1, entries: { ...entries, bad: { variant: 3 }, worse: null } }));
    expect(readTuningFile(path)).toEqual(entries);
  });
});
