// The model file tools on Keras's own files (made by real Keras 3.15.1, tests/fixtures/keras/io):
// predict on a .keras and an .h5 prints Keras's predictions on the first 16 Fashion-MNIST test
// images; summary prints Keras's summary of them; convert .keras -> .h5 -> .py (+ .weights.h5)
// keeps the predictions; train --model FILE.keras --save OUT.h5 starts from the file's weights.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR } from '../../data/nodeFiles.ts';
import { IO_DIR, ioExpected, ioText, kerasArchive, maxAbsDiff } from '../../../tests/util/kerasIo.ts';
import type { JsonObject } from '../kerasConfig.ts';
import { packKerasArchive } from './kerasArchive.ts';

const tsx = (script: string, ...args: string[]) => spawnSync('npx', ['tsx', `scripts/${script}.ts`, ...args], { encoding: 'utf8' });
const hasData = existsSync(join(DEFAULT_DATA_DIR, 't10k-images-idx3-ubyte.gz'));

function predictions(file: string): number[][] {
  const run = tsx('predict', file, '--input', 'fashion-mnist-test', '--count', '16', '--json');
  expect(run.stderr).not.toMatch(/^predict: (?!note:)/m); // notes (the optimizer state left out) are fine
  expect(run.status).toBe(0);
  return (JSON.parse(run.stdout) as { outputs: number[][][] }).outputs[0]!;
}

describe('the CLI on Keras files', () => {
  it.skipIf(!hasData)('predict on seed_cnn.keras and seed_cnn.h5 prints Keras\'s predictions (max abs diff <= 1e-4)', () => {
    const keras = ioExpected('seed_cnn').predictions[0]!;
    for (const file of ['seed_cnn.keras', 'seed_cnn.h5']) {
      const ours = predictions(join(IO_DIR, file));
      expect(ours.length).toBe(16);
      expect(maxAbsDiff(ours.flat(), keras)).toBeLessThanOrEqual(1e-4);
    }
  });

  it('summary of a .keras file is Keras 3\'s summary text of it (printed in an 80-column terminal)', () => {
    const run = tsx('summary', join(IO_DIR, 'branched.keras'), '--layout', 'keras3', '--line-length', '76');
    expect(run.stderr).toBe('');
    expect(run.stdout.trimEnd()).toBe(ioText('branched.summary.txt').trimEnd());
  });

  it.skipIf(!hasData)('convert .keras -> .h5 -> .py with its .weights.h5 keeps Keras\'s predictions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keras-cli-'));
    const h5 = join(dir, 'cnn.h5');
    const py = join(dir, 'cnn.py');
    expect(tsx('convert', join(IO_DIR, 'seed_cnn_functional.keras'), h5).status).toBe(0);
    const convert = tsx('convert', h5, py, '--weights');
    expect(convert.stderr).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['cnn.h5', 'cnn.py', 'cnn.weights.h5']);
    const keras = ioExpected('seed_cnn_functional').predictions[0]!;
    expect(maxAbsDiff(predictions(h5).flat(), keras)).toBeLessThanOrEqual(1e-4);
    // The .py reads back with its .weights.h5 beside it (load_weights names it).
    const fromCode = spawnSync('npx', ['tsx', 'scripts/predict.ts', py, join(dir, 'cnn.weights.h5'), '--count', '16', '--json'], { encoding: 'utf8' });
    expect(fromCode.status).toBe(0);
    expect(maxAbsDiff((JSON.parse(fromCode.stdout) as { outputs: number[][][] }).outputs[0]!.flat(), keras)).toBeLessThanOrEqual(1e-4);
  });

  it('a .keras file whose weights do not match its config is refused in one line naming the layer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keras-cli-'));
    const file = join(dir, 'mixed.keras');
    writeFileSync(file, packKerasArchive({ config: kerasArchive('branched.keras').config as JsonObject, weights: kerasArchive('modern.keras').weights }));
    const run = tsx('summary', file);
    expect(run.status).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/mixed\.keras/);
  });
});
