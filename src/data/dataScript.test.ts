// scripts/data.mjs, run as a child process from a temp copy of scripts/, so it fills that copy's
// public/fashion-mnist. Sources: temp folders, and a local HTTP server standing in for the download.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FASHION_MNIST_FILES } from './idx';

const scriptsDir = fileURLToPath(new URL('../../scripts', import.meta.url));
const repoData = fileURLToPath(new URL('../../public/fashion-mnist', import.meta.url));
const FILES = Object.values(FASHION_MNIST_FILES);
const NOWHERE = 'http://127.0.0.1:9'; // the discard port: connection refused at once

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

let root: string;
let sandbox: string; // a temp project: scripts/ copied in, public/fashion-mnist filled by the script
let target: string;

function runScript(env: Record<string, string>): Promise<RunResult> {
  const script = join(sandbox, 'scripts', 'data.mjs');
  const fullEnv = { ...process.env, FASHION_MNIST_DIR: '', FASHION_MNIST_SYSTEM_DIR: join(root, 'no-such-dir'), FASHION_MNIST_URL: NOWHERE, ...env };
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { env: fullEnv, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A folder holding copies of the real files, minus `except`. */
function sourceDir(name: string, except: string[] = []): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const file of FILES) if (!except.includes(file)) cpSync(join(repoData, file), join(dir, file));
  return dir;
}

function expectCompleteAndClean(): void {
  expect(readdirSync(target).sort()).toEqual(['.verified.json', ...FILES].sort());
  for (const file of FILES) expect(readFileSync(join(target, file)).equals(readFileSync(join(repoData, file)))).toBe(true);
}

beforeAll(() => {
  execFileSync(process.execPath, [join(scriptsDir, 'data.mjs')], { stdio: 'pipe', timeout: 120_000 });
  root = mkdtempSync(join(tmpdir(), 'fashion-mnist-'));
}, 180_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
function freshSandbox(): void {
  sandbox = join(root, `project-${count++}`);
  mkdirSync(join(sandbox, 'scripts'), { recursive: true });
  for (const file of ['data.mjs', 'dataLib.mjs']) cpSync(join(scriptsDir, file), join(sandbox, 'scripts', file));
  target = join(sandbox, 'public', 'fashion-mnist');
}

describe('scripts/data.mjs', () => {

  it('copies verified files from FASHION_MNIST_DIR, then trusts its stamp', async () => {
    freshSandbox();
    const source = sourceDir('source-all');
    const first = await runScript({ FASHION_MNIST_DIR: source });
    expect(first.code).toBe(0);
    for (const file of FILES) expect(first.stdout).toContain(`${file}: ok (from ${join(source, file)})`);
    expectCompleteAndClean();

    const second = await runScript({});
    expect(second.code).toBe(0);
    expect(second.stdout.match(/ok \(verified before\)/g)).toHaveLength(4);
  });

  it('replaces a corrupt file in place, even one stamped as verified before', async () => {
    freshSandbox();
    const source = sourceDir('source-replace');
    expect((await runScript({ FASHION_MNIST_DIR: source })).code).toBe(0);
    writeFileSync(join(target, FASHION_MNIST_FILES.trainLabels), 'not gzip');
    const labels = readFileSync(join(source, FASHION_MNIST_FILES.testLabels));
    writeFileSync(join(target, FASHION_MNIST_FILES.testLabels), labels.subarray(0, labels.length - 100));

    const run = await runScript({ FASHION_MNIST_DIR: source });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${FASHION_MNIST_FILES.trainLabels}: ok (from ${join(source, FASHION_MNIST_FILES.trainLabels)}, replacing a bad copy)`);
    expect(run.stdout).toContain(`${FASHION_MNIST_FILES.testLabels}: ok (from ${join(source, FASHION_MNIST_FILES.testLabels)}, replacing a bad copy)`);
    expect(run.stdout).toContain(`${FASHION_MNIST_FILES.trainImages}: ok (verified before)`);
    expectCompleteAndClean();
  });

  it('fails clearly, naming each place it looked and how to get the file', async () => {
    freshSandbox();
    const source = sourceDir('source-partial', [FASHION_MNIST_FILES.testImages]);
    writeFileSync(join(source, FASHION_MNIST_FILES.trainImages), 'corrupt');

    const run = await runScript({ FASHION_MNIST_DIR: source });
    expect(run.code).not.toBe(0);
    const trainImages = join(source, FASHION_MNIST_FILES.trainImages);
    expect(run.stderr).toContain(`${FASHION_MNIST_FILES.trainImages}: MISSING OR CORRUPT`);
    expect(run.stderr).toContain(`${trainImages}: not a valid gzip file`);
    expect(run.stderr).toContain(`${FASHION_MNIST_FILES.testImages}: MISSING OR CORRUPT`);
    expect(run.stderr).toContain(`${join(source, FASHION_MNIST_FILES.testImages)}: missing`);
    expect(run.stderr).toContain(`${join(root, 'no-such-dir', FASHION_MNIST_FILES.testImages)}: missing`);
    expect(run.stderr).toContain(`${NOWHERE}/${FASHION_MNIST_FILES.trainImages}: fetch failed`);
    expect(run.stderr).toContain('Could not get 2 of 4 Fashion-MNIST files');
    expect(run.stderr).toContain('sudo apt-get install dataset-fashion-mnist');
    expect(run.stderr).toContain('FASHION_MNIST_DIR=');
    expect(run.stderr).toContain('http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/');
    // The two good files were installed; nothing half-written was left behind.
    expect(readdirSync(target).sort()).toEqual(['.verified.json', FASHION_MNIST_FILES.testLabels, FASHION_MNIST_FILES.trainLabels].sort());
  });
});

describe('scripts/data.mjs: download', () => {
  let server: Server;
  let url: string;
  let hang = false;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (hang) return; // never answers: the script's timeout must fire
      const name = (req.url ?? '').slice(1);
      if (!FILES.includes(name as (typeof FILES)[number])) return void res.writeHead(404).end();
      res.writeHead(200).end(readFileSync(join(repoData, name)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('downloads what no folder has', async () => {
    freshSandbox();
    const source = sourceDir('source-download', [FASHION_MNIST_FILES.testImages]);
    const run = await runScript({ FASHION_MNIST_DIR: source, FASHION_MNIST_URL: url });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${FASHION_MNIST_FILES.testImages}: ok (from ${url}/${FASHION_MNIST_FILES.testImages})`);
    expectCompleteAndClean();
  });

  it('gives up on a server that does not answer, quickly', async () => {
    freshSandbox();
    hang = true;
    const source = sourceDir('source-timeout', [FASHION_MNIST_FILES.trainLabels, FASHION_MNIST_FILES.testLabels]);
    const started = Date.now();
    const run = await runScript({ FASHION_MNIST_DIR: source, FASHION_MNIST_URL: url, FASHION_MNIST_TIMEOUT_MS: '300' });
    hang = false;
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`${url}/${FASHION_MNIST_FILES.trainLabels}: timed out after 0.3 s`);
    expect(run.stderr).toContain(`${url}/${FASHION_MNIST_FILES.testLabels}: not tried (the previous download failed: timed out`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
