// The CPU section of `npm run bench` (alone: `npm run bench -- --cpu`): our CPU engine's training
// samples/s on the seed CNN at batch 32 and 128 (the JavaScript kernels, and the WebAssembly SIMD
// kernels on one thread and on every core once src/worker/cpuEngineOptions.ts passes the
// options), against real Keras 3 on JAX (bench/keras_contender.py) run as it comes and with the
// allocator tuned. Runs alternate (ours, Keras, ours, Keras tuned, ...) so drift in a shared
// machine hits both; each figure is the median over its runs. Prints a table with the ratios and
// writes bench-results/bench-cpu-<date>.json.
import './relaxedSimd';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { loadFashionMnist, type FashionMnist } from '../src/data/idx';
import { seedCnn } from '../src/model/examples';
import { resetNameScope } from '../src/model/index';
import { stepTimes } from '../src/worker/autoEngine';
import { fashionData } from '../src/worker/datasets';
import { createCpuEngine, type CpuEngineOptions } from '../src/worker/cpuEngineOptions';
import { DEFAULT_SETTINGS } from '../src/worker/settings';

export interface CpuBenchOptions {
  batches: number[];
  /** Timed steps per run (after `warmup` untimed ones). */
  steps: number;
  warmup: number;
  /** Rounds of alternating runs: ours, Keras, ours, Keras tuned. */
  rounds: number;
}

export const CPU_BENCH_DEFAULTS: CpuBenchOptions = { batches: [32, 128], steps: 30, warmup: 2, rounds: 2 };
export const CPU_BENCH_QUICK: CpuBenchOptions = { batches: [32, 128], steps: 3, warmup: 1, rounds: 1 };

const KERAS_SCRIPT = join('bench', 'keras_contender.py');
const DATA_DIR = join('public', 'fashion-mnist');
const KERAS_TIMEOUT_MS = 10 * 60_000;

/**
 * glibc's allocator, tuned for JAX's many short-lived buffers: one arena, no mmap for large
 * blocks, and no trimming, so freed buffers are reused instead of being returned to the OS and
 * faulted in again every step. (XLA_FLAGS and OMP_NUM_THREADS showed no clear gain here.)
 */
export const KERAS_TUNED_ENV: Record<string, string> = {
  MALLOC_ARENA_MAX: '1',
  MALLOC_MMAP_MAX_: '0',
  MALLOC_TRIM_THRESHOLD_: '1000000000',
  MALLOC_TOP_PAD_: '268435456',
};

interface Contender {
  name: string;
  /** samples/s of each run, per batch size. */
  runs: Map<number, number[]>;
  description: string;
  error?: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Fashion-MNIST from public/fashion-mnist, or seeded random bytes when it is missing. */
async function benchData(): Promise<{ data: FashionMnist; source: string }> {
  try {
    const data = await loadFashionMnist(async (name) => new Uint8Array(readFileSync(join(DATA_DIR, name))));
    return { data, source: 'fashion-mnist' };
  } catch {
    const count = 4096;
    let s = 1;
    const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24;
    const images = Uint8Array.from({ length: count * 784 }, next);
    const labels = Uint8Array.from({ length: count }, () => next() % 10);
    const split = { images, labels, count };
    return { data: { train: split, test: split }, source: 'random (run `npm run data` for Fashion-MNIST)' };
  }
}

/** Our CPU engine variants that this build can tell apart (the wasm ones once the adapter passes the options). */
function ourVariants(): { name: string; options: CpuEngineOptions; description: string }[] {
  const cores = availableParallelism();
  const wanted: { name: string; options: CpuEngineOptions }[] = [
    { name: 'ours js', options: { kernels: 'js', threads: 1 } },
    { name: 'ours wasm 1 thread', options: { kernels: 'wasm', threads: 1 } },
    { name: `ours wasm ${cores} threads`, options: { kernels: 'wasm', threads: cores } },
  ];
  const seen = new Set<string>();
  const variants = [];
  for (const v of wanted) {
    const engine = createCpuEngine(v.options);
    const description = engine.description;
    engine.dispose();
    // Until the options reach CpuEngine every variant is the same engine: time it once.
    if (seen.has(description)) continue;
    seen.add(description);
    variants.push({ ...v, description });
  }
  return variants;
}

/** samples/s of one run of ours: `steps` timed steps of one fit, as a whole (as Keras's side is timed). */
async function runOurs(options: CpuEngineOptions, batch: number, data: FashionMnist, opts: CpuBenchOptions): Promise<number> {
  resetNameScope();
  const model = seedCnn();
  model.initializeWeights(0);
  const engine = createCpuEngine(options);
  try {
    const settings = { ...DEFAULT_SETTINGS, batchSize: batch, trainSize: data.train.count, validationSplit: 0 };
    const times = await stepTimes(model, engine, settings, fashionData(data), { warmup: opts.warmup, steps: opts.steps, budgetMs: Infinity });
    return (batch * times.length) / (times.reduce((a, t) => a + t, 0) / 1000);
  } finally {
    engine.dispose();
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: KERAS_TIMEOUT_MS, maxBuffer: 16 * 2 ** 20 }, (err, stdout, stderr) => resolve({ ok: !err, stdout, stderr: err && !stderr ? err.message : stderr }));
  });
}

/** The first Python that imports keras and jax with KERAS_BACKEND=jax: $KERAS_PYTHON, python3, python. */
async function findKerasPython(): Promise<{ python: string | null; tried: string[] }> {
  const candidates = [process.env.KERAS_PYTHON, 'python3', 'python'].filter((c): c is string => Boolean(c));
  const tried: string[] = [];
  for (const python of candidates) {
    const r = await run(python, ['-c', 'import keras, jax'], { ...process.env, KERAS_BACKEND: 'jax' });
    if (r.ok) return { python, tried };
    tried.push(`${python}: ${r.stderr.trim().split('\n').at(-1) ?? 'failed'}`);
  }
  return { python: null, tried };
}

interface KerasRun {
  keras: string;
  jax: string;
  results: { batch: number; samples_per_sec: number }[];
}

async function runKeras(python: string, env: Record<string, string>, opts: CpuBenchOptions): Promise<KerasRun> {
  const args = [KERAS_SCRIPT, '--batches', opts.batches.join(','), '--steps', String(opts.steps), '--warmup', String(Math.max(opts.warmup, 2)), '--data-dir', DATA_DIR];
  const r = await run(python, args, { ...process.env, KERAS_BACKEND: 'jax', ...env });
  if (!r.ok) throw new Error(r.stderr.trim().split('\n').slice(-3).join(' '));
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as KerasRun;
}

function addRun(c: Contender, batch: number, samplesPerSec: number): void {
  const list = c.runs.get(batch) ?? [];
  list.push(samplesPerSec);
  c.runs.set(batch, list);
}

function printTable(contenders: Contender[], batches: number[], kerasNames: string[]): void {
  const rate = (c: Contender, b: number): number | undefined => (c.runs.get(b)?.length ? median(c.runs.get(b)!) : undefined);
  const header = ['contender', 'runs', ...batches.map((b) => `b${b} samples/s`), ...kerasNames.flatMap((k) => batches.map((b) => `ours/${k} b${b}`))];
  const rows = contenders.map((c) => [
    c.name,
    String(c.runs.get(batches[0]!)?.length ?? 0),
    ...batches.map((b) => rate(c, b)?.toFixed(1) ?? '-'),
    ...kerasNames.flatMap((k) => {
      const keras = contenders.find((x) => x.name === k);
      return batches.map((b) => {
        const mine = rate(c, b);
        const theirs = keras && rate(keras, b);
        return c.name.startsWith('ours') && mine && theirs ? `${(mine / theirs).toFixed(2)}x` : '';
      });
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  for (const c of contenders) console.log(`  ${c.name}: ${c.error ?? c.description}`);
}

/** The CPU options from the command line: --quick, --rounds N, --steps N, --warmup N, --batches 32,128. */
export function cpuBenchOptions(argv: string[]): CpuBenchOptions {
  const base = argv.includes('--quick') ? CPU_BENCH_QUICK : CPU_BENCH_DEFAULTS;
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const whole = (flag: string, fallback: number, max: number): number => {
    const raw = value(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${flag} ${raw}: give a whole number from 1 to ${max}`);
    return n;
  };
  const batches = value('--batches')?.split(',').map(Number) ?? base.batches;
  if (batches.some((b) => !Number.isInteger(b) || b < 1 || b > 4096)) throw new Error(`--batches ${value('--batches')}: whole numbers from 1 to 4096, e.g. 32,128`);
  return { batches, rounds: whole('--rounds', base.rounds, 100), steps: whole('--steps', base.steps, 10_000), warmup: whole('--warmup', base.warmup, 100) };
}

/** The CPU section; returns false when a contender failed. */
export async function benchCpu(opts: CpuBenchOptions): Promise<boolean> {
  const started = new Date();
  const { data, source } = await benchData();
  const variants = ourVariants();
  const ours: Contender[] = variants.map((v) => ({ name: v.name, runs: new Map(), description: v.description }));
  const { python, tried } = await findKerasPython();
  const keras: { contender: Contender; env: Record<string, string> }[] = python
    ? [
        { contender: { name: 'keras', runs: new Map(), description: `Keras (jax, CPU) via ${python}` }, env: {} },
        { contender: { name: 'keras tuned', runs: new Map(), description: `Keras (jax, CPU) via ${python}, ${Object.entries(KERAS_TUNED_ENV).map(([k, v]) => `${k}=${v}`).join(' ')}` }, env: KERAS_TUNED_ENV },
      ]
    : [];
  console.log(`\nCPU engine: seed CNN training on ${source}, batches ${opts.batches.join(', ')}, ${opts.steps} timed steps after ${opts.warmup} per run, ${opts.rounds} rounds`);
  if (!python) console.log(`Keras contender skipped: no Python with keras+jax (set KERAS_PYTHON)${tried.length ? ` [tried ${tried.join('; ')}]` : ''}`);

  const runOursOnce = async (): Promise<void> => {
    for (const [i, v] of variants.entries()) {
      for (const b of opts.batches) {
        try {
          addRun(ours[i]!, b, await runOurs(v.options, b, data, opts));
        } catch (e) {
          ours[i]!.error = e instanceof Error ? e.message : String(e);
        }
      }
    }
  };
  for (let round = 0; round < opts.rounds; round++) {
    for (const k of keras.length > 0 ? keras : [null]) {
      await runOursOnce();
      if (!k || k.contender.error) continue;
      try {
        const r = await runKeras(python!, k.env, opts);
        k.contender.description = `Keras ${r.keras} (jax ${r.jax}, CPU)${k.contender.description.slice(k.contender.description.indexOf(' via'))}`;
        for (const x of r.results) addRun(k.contender, x.batch, x.samples_per_sec);
      } catch (e) {
        k.contender.error = `failed: ${e instanceof Error ? e.message : String(e)}`;
      }
      const done = (c: Contender): string => opts.batches.map((b) => `${c.runs.get(b)?.at(-1)?.toFixed(0) ?? '-'}`).join('/');
      console.log(`round ${round + 1}: ${[...ours, k.contender].map((c) => `${c.name} ${done(c)}`).join(', ')} samples/s`);
    }
  }
  const all = [...ours, ...keras.map((k) => k.contender)];
  console.log('');
  printTable(all, opts.batches, keras.map((k) => k.contender.name));
  mkdirSync('bench-results', { recursive: true });
  const file = join('bench-results', `bench-cpu-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  const json = all.map((c) => ({ name: c.name, description: c.description, error: c.error, runs: Object.fromEntries(c.runs) }));
  writeFileSync(file, JSON.stringify({ started: started.toISOString(), data: source, options: opts, contenders: json }, null, 2));
  console.log(`wrote ${file}`);
  return all.every((c) => !c.error);
}
