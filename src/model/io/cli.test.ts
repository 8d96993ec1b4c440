// The model file tools end to end (spawned as `npm run` runs them): predict on a TF.js model we
// wrote gives what real TF.js predicts from the same files; convert Keras JSON -> TF.js -> Keras
// JSON gives the same JSON back; summary reads a TF.js folder; train --save writes a model TF.js
// loads; every failure is one line on stderr with a non-zero exit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_FILES, gunzip, parseIdx } from '../../data/idx.ts';
import { DEFAULT_DATA_DIR } from '../../data/nodeFiles.ts';
import { examples } from '../examples.ts';
import { resetNameScope } from '../index.ts';
import { assertClose } from '../../../tests/util/check.ts';
import { randomInputs, randomizeWeights, tfjsLoad, tfjsPredict } from '../../../tests/util/tfjs.ts';
import type { HostTensor } from '../train/engine.ts';
import { writeTfjs } from './tfjs.ts';

const tsx = (script: string, ...args: string[]) => spawnSync('npx', ['tsx', `scripts/${script}.ts`, ...args], { encoding: 'utf8' });
const TOL = { atol: 1e-4, rtol: 1e-4 };

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'io-cli-'));
}

/** A TF.js folder (model.json + shards) of an example with seeded weights. */
function writeFolder(name: string): string {
  resetNameScope();
  const model = examples[name]!.build();
  randomizeWeights(model, 6);
  const dir = tmp();
  const { modelJson, shards } = writeTfjs(model);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
  for (const s of shards) writeFileSync(join(dir, s.name), s.data);
  return dir;
}

function readFolder(dir: string) {
  const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const shards = readdirSync(dir).filter((f) => f.endsWith('.bin')).map((f) => ({ name: f, data: new Uint8Array(readFileSync(join(dir, f))) }));
  return { modelJson, shards };
}

function flatOutput(stdout: string, index = 0): Float32Array {
  const parsed = JSON.parse(stdout) as { outputs: unknown[] };
  return Float32Array.from((parsed.outputs[index] as number[]).flat(Infinity as 1) as number[]);
}

describe('npm run predict', () => {
  it('on a TF.js model we wrote, with --input FILE.json, prints exactly what TF.js predicts', async () => {
    const dir = writeFolder('residual');
    const [x] = randomInputs([[null, 28, 28, 1]], 3, 5) as [HostTensor];
    const nested = Array.from({ length: 3 }, (_, n) => Array.from({ length: 28 }, (_, i) => Array.from({ length: 28 }, (_, j) => [x.data[n * 784 + i * 28 + j]!])));
    const input = join(dir, 'input.json');
    writeFileSync(input, JSON.stringify(nested));
    const run = tsx('predict', dir, '--input', input, '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const outputs = (JSON.parse(run.stdout) as { outputs: number[][][] }).outputs;
    expect(outputs.length).toBe(1);
    expect([outputs[0]!.length, outputs[0]![0]!.length]).toEqual([3, 10]);
    const expected = await tfjsPredict(await tfjsLoad(readFolder(dir)), [x]);
    assertClose(flatOutput(run.stdout), expected[0]!, TOL, 'predict --json');
  }, 60_000);

  it.skipIf(!existsSync(join(DEFAULT_DATA_DIR, FASHION_MNIST_FILES.testImages)))('on Fashion-MNIST test images: the table\'s classes are TF.js\'s argmax', async () => {
    const dir = writeFolder('seed-cnn');
    const images = parseIdx(await gunzip(readFileSync(join(DEFAULT_DATA_DIR, FASHION_MNIST_FILES.testImages))));
    const x = { data: Float32Array.from(images.data.subarray(0, 4 * 784), (v) => v / 255), shape: [4, 28, 28, 1] };
    const expected = (await tfjsPredict(await tfjsLoad(readFolder(dir)), [x]))[0]!;
    const json = tsx('predict', join(dir, 'model.json'), '--count', '4', '--json');
    assertClose(flatOutput(json.stdout), expected, TOL, 'fashion-mnist-test');
    const table = tsx('predict', dir, '--count', '4');
    const rows = table.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/#\s+class\s+prob\s+true label/);
    expect(rows.length).toBe(5);
    rows.slice(1).forEach((row, i) => {
      const probs = expected.subarray(i * 10, i * 10 + 10);
      const best = probs.indexOf(Math.max(...probs));
      expect(row).toMatch(new RegExp(`^\\s+${i}\\s+${best} \\S.*\\s${probs[best]!.toFixed(4)}\\s`));
    });
  }, 60_000);

  it('fails with one line: a missing model, an input of the wrong shape', () => {
    const dir = writeFolder('branched');
    const missing = tsx('predict', 'nowhere/model.json');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^predict: cannot read nowhere\/model.json \(ENOENT\)[^\n]*\n$/);
    writeFileSync(join(dir, 'in.json'), JSON.stringify([[1, 2]]));
    const shape = tsx('predict', dir, '--input', join(dir, 'in.json'));
    expect(shape.status).toBe(1);
    expect(shape.stderr).toMatch(/^predict: --input \S+ has shape \[1, 2\] but the model's input is \(None, 3\)\n$/);
    expect(tsx('predict', '--help').stdout).toMatch(/^usage: npm run predict/);
  }, 60_000);
});

describe('npm run convert and summary', () => {
  it('Keras JSON -> TF.js -> Keras JSON gives the same JSON; TF.js -> TF.js keeps the weights byte for byte', () => {
    const dir = tmp();
    const first = join(dir, 'first.json');
    expect(tsx('convert', 'small-xception', first).status).toBe(0);
    const toTfjs = tsx('convert', first, join(dir, 'tfjs') + '/');
    expect(toTfjs.stdout).toMatch(/^Wrote \S+tfjs\/model.json, \S+tfjs\/group1-shard1of1.bin: model "small_xception" from Keras model JSON/);
    expect(tsx('convert', join(dir, 'tfjs', 'model.json'), join(dir, 'second.json')).status).toBe(0);
    expect(readFileSync(join(dir, 'second.json'), 'utf8')).toBe(readFileSync(first, 'utf8'));
    const source = writeFolder('shared-two-heads');
    const again = tsx('convert', source, join(dir, 'copy', 'model.json'));
    expect(again.stdout).toMatch(/with its weights\.\n$/);
    expect(readFileSync(join(dir, 'copy', 'group1-shard1of1.bin'))).toEqual(readFileSync(join(source, 'group1-shard1of1.bin')));
  }, 60_000);

  it('summary of Python code has the rows of Keras 3.15.1\'s summary of it; convert .py -> TF.js writes a model TF.js loads', async () => {
    const py = 'tests/fixtures/keras/io/python/seed_sequential.py';
    const cells = (text: string) => text.split('\n').filter((l) => l.startsWith('│') || l.startsWith(' Total')).map((l) => l.split('│').map((c) => c.trim()).join('|'));
    const summary = tsx('summary', py, '--layout', 'keras3');
    expect(summary.status, summary.stderr).toBe(0);
    expect(cells(summary.stdout)).toEqual(cells(readFileSync('tests/fixtures/keras/io/python/seed_sequential.summary.txt', 'utf8')));
    const dir = join(tmp(), 'from-py') + '/';
    const convert = tsx('convert', py, dir);
    expect(convert.stdout).toMatch(/from Python code.*with fresh weights/);
    expect((await tfjsLoad(readFolder(dir))).countParams()).toBe(333_526);
  }, 60_000);

  it('summary reads a TF.js folder as it prints the example', () => {
    const dir = writeFolder('branched');
    expect(tsx('summary', dir).stdout).toBe(tsx('summary', 'branched').stdout);
  }, 60_000);

  it('fails with one line for an output it cannot tell, or a shard without its model.json', () => {
    const dir = writeFolder('branched');
    const unknown = tsx('convert', dir, join(dir, 'out.txt'));
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^convert: cannot tell the format of \S+out.txt by its name; use \.keras[^\n]*\n$/);
    const shard = tsx('convert', join(dir, 'group1-shard1of1.bin'), join(dir, 'out.json'));
    expect(shard.stderr).toMatch(/^convert: \S+group1-shard1of1.bin: is a TF.js weight shard; give their model.json with them\.\n$/);
  }, 60_000);
});

describe('npm run train --save', () => {
  it('saves the trained model as TF.js files that TF.js loads and predicts as predict does', async () => {
    const dir = join(tmp(), 'trained');
    mkdirSync(dir);
    const run = tsx('train', '--model', 'branched', '--epochs', '1', '--limit', '200', '--save', `${dir}/`);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Saved the trained model to \S+model.json, \S+group1-shard1of1.bin/);
    const [x] = randomInputs([[null, 3]], 4, 2) as [HostTensor];
    const input = join(dir, 'in.json');
    writeFileSync(input, JSON.stringify(Array.from({ length: 4 }, (_, i) => Array.from(x.data.subarray(i * 3, i * 3 + 3)))));
    const predicted = tsx('predict', dir, '--input', input, '--json');
    const expected = await tfjsPredict(await tfjsLoad(readFolder(dir)), [x]);
    assertClose(flatOutput(predicted.stdout, 0), expected[0]!, TOL, 'y1');
    assertClose(flatOutput(predicted.stdout, 1), expected[1]!, TOL, 'y2');
  }, 120_000);
});
