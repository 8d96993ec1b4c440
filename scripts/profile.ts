// `npm run profile -- [--model seed-cnn] [--batch 32] [--predict] [--tuning auto|off|exhaustive]`:
// where one WebGPU training (or inference) step's time goes, instruction by instruction, in
// headless Chromium (SwiftShader here; a real GPU elsewhere), with the kernel variant each heavy
// instruction runs (the tuner's choice, gpu/tuner.ts) and the tuned time of every variant it timed.
// `npm run profile -- --cpu [--batch 32] [--threads N] [--steps 30]`: the same for the CPU engine
// (WebAssembly SIMD) in Node, training the seed CNN on seeded random images.
import './relaxedSimd';
import { seedCnn } from '../src/model/examples';
import { CpuEngine } from '../src/model/train/cpuEngine';
import type { VariantRow } from '../src/model/train/engine';
import { Trainer } from '../src/model/train/trainer';
import { launchChromium, startVite } from './browser';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/** A heavy instruction's variant, and every timed variant's ms per run: '8x8 (8x8 1.20, vec4 2.31)'. */
function variantText(v: VariantRow | undefined): string {
  if (!v) return '';
  const times = Object.entries(v.times ?? {}).map(([name, ms]) => `${name} ${ms.toFixed(2)}`);
  return `  [${v.variant}${times.length > 0 ? `; tuned ms: ${times.join(', ')}` : ''}]`;
}

function printRows(rows: { label: string; ms: number }[], variants: VariantRow[] = []): void {
  const total = rows.reduce((s, r) => s + r.ms, 0);
  for (const r of [...rows].sort((a, b) => b.ms - a.ms)) {
    const v = variants.find((x) => x.label === r.label);
    console.log(`${r.ms.toFixed(2).padStart(9)} ms ${((100 * r.ms) / total).toFixed(1).padStart(5)}%  ${r.label}${variantText(v)}`);
  }
}

async function profileCpu(): Promise<void> {
  const batch = Number(arg('--batch', '32'));
  const steps = Number(arg('--steps', '30'));
  const threads = process.argv.includes('--threads') ? Number(arg('--threads', '1')) : undefined;
  const n = steps * batch;
  let seed = 1;
  const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
  const x = { data: Uint8Array.from({ length: n * 784 }, random), shape: [n, 28, 28, 1], scale: 1 / 255 };
  const y = { data: Uint8Array.from({ length: n }, () => random() % 10), shape: [n] };
  const engine = new CpuEngine({ threads });
  const model = seedCnn();
  const trainer = await Trainer.compile(model, engine, { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const warm = { data: x.data.subarray(0, 3 * batch * 784), shape: [3 * batch, 28, 28, 1], scale: 1 / 255 };
  await trainer.fit(warm, { data: y.data.subarray(0, 3 * batch), shape: [3 * batch] }, { epochs: 1, batchSize: batch });
  engine.startProfile();
  const start = performance.now();
  await trainer.fit(x, y, { epochs: 1, batchSize: batch });
  const wall = performance.now() - start;
  const rows = [...engine.stopProfile()].map(([label, ms]) => ({ label, ms: ms / steps }));
  console.log(`${engine.description}, seed CNN at batch ${batch}: ${(wall / steps).toFixed(2)} ms per step, fit() included (${((batch * steps) / (wall / 1000)).toFixed(0)} samples/s over ${steps} steps); instructions:`);
  printRows(rows);
  engine.dispose();
}

async function main(): Promise<void> {
  if (process.argv.includes('--cpu')) return profileCpu();

  const { server, url } = await startVite();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error(e.message));
    const mode = process.argv.includes('--predict') ? 'predict' : 'train';
    await page.goto(`${url}/scripts/profile-page/index.html?model=${arg('--model', 'seed-cnn')}&batch=${arg('--batch', '32')}&mode=${mode}&tuning=${arg('--tuning', 'auto')}`);
    await page.waitForFunction(() => window.__profile?.done === true, null, { timeout: 0, polling: 500 });
    const p = await page.evaluate(() => window.__profile);
    if (p.error || !p.rows) throw new Error(p.error ?? 'no profile');
    const total = p.rows.reduce((s, r) => s + r.ms, 0);
    console.log(`step (one submit): ${p.stepMs!.toFixed(1)} ms; per-instruction submits: ${total.toFixed(1)} ms; compile with tuning '${arg('--tuning', 'auto')}': ${p.tuneMs!.toFixed(0)} ms`);
    printRows(p.rows, p.variants);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
