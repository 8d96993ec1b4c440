// Per-instruction time of one WebGPU training step of a built-in model, on the page's adapter.
import { examples } from '../../src/model/examples';
import { resetNameScope } from '../../src/model/naming';
import type { TuningMode } from '../../src/gpu/tuning';
import type { VariantRow } from '../../src/model/train/engine';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { buildProgram, paramLayout } from '../../src/model/train/plan';
import { Trainer } from '../../src/model/train/trainer';

declare global {
  interface Window {
    __profile: { done: boolean; rows?: { label: string; ms: number }[]; variants?: VariantRow[]; tuneMs?: number; stepMs?: number; error?: string };
  }
}

window.__profile = { done: false };
const params = new URLSearchParams(location.search);
const batch = Number(params.get('batch') ?? 32);
const name = params.get('model') ?? 'seed-cnn';
/** 'predict': the inference program (no loss, no backward, no update). */
const training = params.get('mode') !== 'predict';

async function main(): Promise<void> {
  resetNameScope();
  const model = examples[name].build();
  const engine = await GpuEngine.create(undefined, { tuning: (params.get('tuning') ?? 'auto') as TuningMode });
  const trainer = await Trainer.compile(model, engine, { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const n = batch * 4;
  await engine.attach({
    inputs: [{ data: Uint8Array.from({ length: n * 784 }, (_, i) => (i * 7919) % 256), shape: [n, 28, 28, 1], scale: 1 / 255 }],
    targets: [{ data: Uint8Array.from({ length: n }, (_, i) => i % 10), shape: [n] }],
  });
  const compileStart = performance.now();
  const step = await engine.compile(buildProgram(model, paramLayout(model), { batch, training, losses: training ? trainer.config.losses : undefined }));
  window.__profile.tuneMs = performance.now() - compileStart;
  window.__profile.variants = step.variants?.() ?? [];
  const indices = Uint32Array.from({ length: batch }, (_, i) => i);
  for (let k = 0; k < 2; k++) step.run(indices);
  await engine.rt.finish();
  const t0 = performance.now();
  for (let k = 0; k < 3; k++) step.run(indices);
  await engine.readMetrics();
  window.__profile.stepMs = (performance.now() - t0) / 3;
  window.__profile.rows = await step.profile!(indices);
}

main()
  .catch((e) => (window.__profile.error = e instanceof Error ? e.message : String(e)))
  .finally(() => (window.__profile.done = true));
