// `npm run bench`: our engine against the peers a user would pick (TensorFlow.js on WebGPU and
// on CPU, jax-js on WebGPU), in one headless Chromium on one WebGPU adapter, in one run. Each
// contender gets its own page; for every workload the driver sets all of them up, warms them
// up, then times steps round-robin (one step each per round) until each has spent its time
// budget, so drift in the machine hits every contender alike. A WebGPU contender's step starts
// after SETTLE_MS of idle: a WebGPU device keeps CPU threads busy for a while after its work
// (SwiftShader's workers; measured: ours 403 ms per step interleaved with TF.js WebGPU, 319 ms
// with the pause, 308 ms without TF.js), which otherwise lands on whoever steps next.
// Prints a table and writes JSON to bench-results/.
// Usage: tsx scripts/bench.ts [--seconds 20] [--warmup 2] [--min-samples 3] [--quick] [--filter TERM,TERM] [--tuning auto|off|exhaustive]
//   --filter keeps the workloads (e.g. 'seed-cnn/train', 'b32') and contenders (e.g. 'tfjs-cpu')
//   whose id contains a term; a kind no term matches is kept whole. --tuning: how ours picks its kernel variants (printed).
// After them (without --filter), the CPU section (scripts/benchCpu.ts): our CPU engine against
// Keras on JAX. Only that section: tsx scripts/bench.ts --cpu [--quick] [--rounds 2] [--steps 10].
// Then the backup section (scripts/benchBackup.ts): the step-time cost of training backups; alone: --backup.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, startVite } from './browser';
import { benchBackup } from './benchBackup';
import { kernelFigures } from './benchKernels';
import { benchCpu, cpuBenchOptions } from './benchCpu';
import { CONTENDERS, OURS } from '../bench/contenders';
import { WORKLOADS, type Workload } from '../bench/workloads';
import type {} from '../bench/main'; // window.__bench

interface Options {
  seconds: number;
  warmup: number;
  minSamples: number;
  maxSamples: number;
  quick: boolean;
  filter: string[];
  tuning: string;
}

interface Result {
  workload: string;
  contender: string;
  backend: string;
  batch: number;
  setupMs?: number;
  samplesMs: number[];
  medianMs?: number;
  minMs?: number;
  maxMs?: number;
  samplesPerSec?: number;
  /** Throughput of ours divided by this contender's, on this workload (> 1: ours is faster). */
  oursOverTheirs?: number;
  gpuBytes?: number | null;
  variants?: { label: string; variant: string; ms?: number }[]; // ours: each heavy instruction's kernel variant
  /** Loss read back after the first warm-up step and after the last timed step (training only). */
  firstLoss?: number | null;
  lastLoss?: number | null;
  error?: string;
}

const QUICK_WORKLOADS = ['seed-cnn/train/b32', 'seed-cnn/predict/b128', 'branched/train/b256'];
const STEP_TIMEOUT_MS = 10 * 60_000;
/** Idle before each timed or warm-up step of a WebGPU contender (not counted in its time). */
const SETTLE_MS = 300;

function parseArgs(argv: string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  return {
    quick,
    seconds: Number(value('--seconds') ?? (quick ? 2 : 20)),
    warmup: Number(value('--warmup') ?? (quick ? 1 : 2)),
    minSamples: Number(value('--min-samples') ?? (quick ? 2 : 3)),
    maxSamples: Number(value('--max-samples') ?? 200),
    filter: (value('--filter') ?? '').split(',').filter(Boolean),
    tuning: value('--tuning') ?? 'auto',
  };
}

/** Keeps the ids some term matches, or all of them when no term matches any. */
function select(ids: string[], terms: string[]): string[] {
  const matched = ids.filter((id) => terms.some((t) => id.includes(t)));
  return matched.length > 0 ? matched : ids;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** page.evaluate has no timeout of its own; a hung step must not hang the whole run. */
function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${STEP_TIMEOUT_MS / 60_000} min`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

async function openContender(url: string, page: Page, name: string, tuning: string): Promise<void> {
  let loaded = false;
  page.on('framenavigated', (frame) => {
    if (loaded && frame === page.mainFrame()) console.error(`[${name}] the page reloaded: this workload's state is gone`);
  });
  page.on('pageerror', (err) => console.error(`[${name}] page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') console.error(`[${name}] ${msg.text()}`);
  });
  await page.goto(`${url}/bench/index.html?contender=${encodeURIComponent(name)}&tuning=${tuning}`);
  await page.waitForFunction(() => window.__bench !== undefined && window.__bench.status !== 'loading', null, { timeout: 120_000, polling: 200 });
  loaded = true;
}

async function runWorkload(workload: Workload, pages: Map<string, Page>, opts: Options): Promise<Result[]> {
  const results = new Map<string, Result>();
  for (const [name, page] of pages) {
    const result: Result = { workload: workload.id, contender: name, backend: '', batch: workload.batch, samplesMs: [] };
    results.set(name, result);
    try {
      await page.waitForFunction(() => window.__bench?.status === 'ready', null, { timeout: 120_000, polling: 200 });
      result.backend = await page.evaluate(() => window.__bench.backend ?? '');
      const setup = page.evaluate((w) => window.__bench.setup({ batch: w.batch, model: w.model, mode: w.mode }), workload);
      result.setupMs = await withTimeout(setup, 'setup');
    } catch (e) {
      result.error = `setup: ${errorText(e)}`;
    }
  }
  const live = (): string[] => [...pages.keys()].filter((n) => !results.get(n)!.error);
  const stepOnce = async (name: string): Promise<number | null> => {
    try {
      if (results.get(name)!.backend === 'webgpu') await new Promise((r) => setTimeout(r, SETTLE_MS));
      const [ms] = await withTimeout(pages.get(name)!.evaluate(() => window.__bench.run(1)), 'one step');
      return ms;
    } catch (e) {
      results.get(name)!.error = `step: ${errorText(e)}`;
      return null;
    }
  };
  for (let i = 0; i < opts.warmup; i++) {
    for (const name of live()) {
      await stepOnce(name);
      if (i === 0) results.get(name)!.firstLoss = await pages.get(name)!.evaluate(() => window.__bench.lastLoss());
    }
  }
  const budgetMs = opts.seconds * 1000;
  const done = (r: Result): boolean => {
    const spent = r.samplesMs.reduce((a, b) => a + b, 0);
    return r.samplesMs.length >= opts.maxSamples || (spent >= budgetMs && r.samplesMs.length >= opts.minSamples);
  };
  let active = live();
  while (active.length > 0) {
    for (const name of active) {
      const ms = await stepOnce(name);
      if (ms !== null) results.get(name)!.samplesMs.push(ms);
    }
    active = live().filter((n) => !done(results.get(n)!));
  }
  for (const [name, page] of pages) {
    const r = results.get(name)!;
    if (r.samplesMs.length > 0) {
      r.medianMs = median(r.samplesMs);
      r.minMs = Math.min(...r.samplesMs);
      r.maxMs = Math.max(...r.samplesMs);
      r.samplesPerSec = workload.batch / (r.medianMs / 1000);
    }
    try {
      Object.assign(r, await page.evaluate(() => ({ gpuBytes: window.__bench.memory(), variants: window.__bench.variants() })));
      r.lastLoss = await page.evaluate(() => window.__bench.lastLoss());
      await page.evaluate(() => window.__bench.dispose());
    } catch (e) {
      r.error ??= `dispose: ${errorText(e)}`;
    }
  }
  const ours = results.get(OURS)?.samplesPerSec;
  if (ours) {
    for (const r of results.values()) {
      if (r.contender !== OURS && r.samplesPerSec) r.oursOverTheirs = ours / r.samplesPerSec;
    }
  }
  return [...results.values()];
}

function printTable(results: Result[]): void {
  const header = ['workload', 'contender', 'n', 'median ms', 'min ms', 'max ms', 'samples/s', 'ours/theirs', 'GPU MB', 'loss first -> last'];
  const rows = results.map((r) => [
    r.workload,
    r.contender,
    String(r.samplesMs.length),
    r.medianMs?.toFixed(1) ?? '-',
    r.minMs?.toFixed(1) ?? '-',
    r.maxMs?.toFixed(1) ?? '-',
    r.samplesPerSec?.toFixed(1) ?? '-',
    r.oursOverTheirs ? `${r.oursOverTheirs.toFixed(2)}x` : '',
    r.gpuBytes ? (r.gpuBytes / 2 ** 20).toFixed(1) : '',
    r.firstLoss != null && r.lastLoss != null ? `${r.firstLoss.toFixed(3)} -> ${r.lastLoss.toFixed(3)}` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  for (const r of results.filter((x) => x.error)) console.log(`  ${r.workload} ${r.contender}: ${r.error}`);
}

async function main(): Promise<number> {
  if (process.argv.includes('--cpu')) return (await benchCpu(cpuBenchOptions(process.argv.slice(2)))) ? 0 : 1;
  if (process.argv.includes('--backup')) return (await benchBackup()) ? 0 : 1;
  const opts = parseArgs(process.argv.slice(2));
  const pool = opts.quick ? WORKLOADS.filter((w) => QUICK_WORKLOADS.includes(w.id)) : WORKLOADS;
  const workloadIds = select(pool.map((w) => w.id), opts.filter);
  const workloads = pool.filter((w) => workloadIds.includes(w.id));
  const names = select(Object.keys(CONTENDERS), opts.filter);
  if (opts.filter.length === 1 && opts.filter[0] === 'kernels') {
    // Only the per-kernel figures.
    const k = await kernelFigures();
    return k?.error ? 1 : 0;
  }
  console.log(`bench: ${workloads.length} workloads x ${names.length} contenders (${names.join(', ')}), ${opts.seconds} s each, ${opts.warmup} warm-up steps`);

  const { server, url } = await startVite();
  // Others edit this tree while a run can last an hour; a changed config or lockfile would make
  // Vite reload every page and wipe the contenders' state mid-workload. Serve, don't watch.
  await server.watcher.close();
  const browser = await launchChromium();
  const started = new Date();
  const results: Result[] = [];
  let adapter = '';
  try {
    const pages = new Map<string, Page>();
    for (const name of names) {
      const page = await browser.context.newPage();
      await openContender(url, page, name, opts.tuning);
      const state = await page.evaluate(() => ({ status: window.__bench.status, error: window.__bench.error, adapter: window.__bench.adapter }));
      if (state.status !== 'ready') {
        console.error(`${name}: could not start (${state.error}); left out`);
        results.push({ workload: '*', contender: name, backend: '', batch: 0, samplesMs: [], error: state.error });
        continue;
      }
      adapter ||= state.adapter ?? '';
      pages.set(name, page);
    }
    console.log(`adapter: ${adapter}\n`);
    for (const workload of workloads) {
      const rows = await runWorkload(workload, pages, opts);
      results.push(...rows);
      for (const r of rows) {
        const perf = r.medianMs ? `${r.medianMs.toFixed(1)} ms median, ${r.samplesPerSec!.toFixed(1)} samples/s (${r.samplesMs.length} steps)` : r.error;
        console.log(`${workload.id.padEnd(22)} ${r.contender.padEnd(13)} ${perf}`);
      }
      for (const v of rows.find((r) => r.variants?.length)?.variants ?? []) console.log(`${''.padEnd(22)} ${OURS} ${opts.tuning}: ${v.label} -> ${v.variant}${v.ms !== undefined ? ` (${v.ms.toFixed(2)} ms)` : ''}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }

  console.log('');
  printTable(results.filter((r) => r.workload !== '*'));
  const kernels = opts.filter.length === 0 || opts.filter.includes('kernels') ? await kernelFigures() : null;
  mkdirSync('bench-results', { recursive: true });
  const file = join('bench-results', `bench-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ started: started.toISOString(), adapter, options: opts, results, kernels }, null, 2));
  console.log(`\nwrote ${file}`);
  const cpuOk = opts.filter.length === 0 ? await benchCpu(cpuBenchOptions(process.argv.slice(2))) : true;
  const backupOk = opts.filter.length === 0 ? await benchBackup() : true;
  return !backupOk || results.some((r) => r.error) || !cpuOk ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
