// The Auto engine: times a few training steps of the real model, at the real batch size, on the
// real data's first batches, on each engine that exists here, and keeps the faster engine for
// the run. The timing trains a separate copy of the model, and the run re-initializes the kept
// engine (weights, optimizer state, step counter), so an Auto run equals one on that engine
// chosen by hand with the same seed.

import type { Model } from '../model/index.ts';
import type { Engine, HostTensor } from '../model/train/engine.ts';
import { Trainer } from '../model/train/trainer.ts';
import { chooseEngine, engineLabel, type AutoChoice, type EngineTiming } from './engineChoice.ts';
import { createEngine, type WebGpuProbe } from './engines.ts';
import { compileArgs } from './run.ts';
import { sampleCount, samples, type TrainingData } from './datasets.ts';
import type { EngineKind, TrainSettings } from './settings.ts';

export interface TimingPlan {
  /** Untimed steps first (at least one: the timing starts at its end): shader compiles, first allocations, JIT. */
  warmup: number;
  steps: number;
  /** Stop timing after this long (at least one timed step), so a slow engine costs seconds, not minutes. */
  budgetMs: number;
}

export const AUTO_TIMING: TimingPlan = { warmup: 1, steps: 3, budgetMs: 6000 };

/** `t`'s samples repeated up to `count` (the first dimension is the sample). */
function repeated(t: HostTensor, count: number): HostTensor {
  const available = t.shape[0]!;
  const size = t.data.length / available;
  const data = new (t.data.constructor as new (n: number) => HostTensor['data'])(count * size);
  for (let i = 0; i < count; i++) data.set(t.data.subarray((i % available) * size, (i % available + 1) * size), i * size);
  return { ...t, data, shape: [count, ...t.shape.slice(1)] };
}

/** The first `count` training samples as the run reads them, repeated when the subset is smaller. */
function timingData(model: Model, data: TrainingData, available: number, count: number): { x: HostTensor; y: HostTensor[] } {
  const { x, y } = samples(data, 'train', available, model);
  return { x: repeated(x, count), y: y.map((t) => repeated(t, count)) };
}

/**
 * Milliseconds of each timed training step of `model` on `engine` (after plan.warmup untimed
 * ones), on the first training images at the settings' batch size. One metrics read per step:
 * a step counts once its results are back.
 */
export async function stepTimes(model: Model, engine: Engine, settings: TrainSettings, data: TrainingData, plan: TimingPlan = AUTO_TIMING): Promise<number[]> {
  const batch = settings.batchSize;
  // The training images are the first ones: a validation split takes the last.
  const trainCount = settings.validationSplit > 0 ? Math.floor(settings.trainSize * (1 - settings.validationSplit)) : settings.trainSize;
  const { x, y } = timingData(model, data, Math.max(1, Math.min(trainCount, sampleCount(data, 'train'))), (plan.warmup + plan.steps) * batch);
  const trainer = await Trainer.compile(model, engine, compileArgs(settings, data.kind));
  const marks: number[] = [];
  try {
    await trainer.fit(x, y, {
      epochs: 1,
      batchSize: batch,
      shuffle: false,
      logEvery: 1,
      callbacks: [
        {
          onBatchEnd: (_batch, _logs, control) => {
            marks.push(performance.now());
            const timed = marks.length - plan.warmup;
            if (timed >= 1 && marks.at(-1)! - marks[plan.warmup - 1]! > plan.budgetMs) control.stop();
          },
        },
      ],
    });
  } finally {
    trainer.dispose();
  }
  if (marks.length <= plan.warmup) throw new Error(`only ${marks.length} of the ${plan.warmup + plan.steps} timing steps ran`);
  return marks.slice(plan.warmup).map((t, i) => t - marks[plan.warmup - 1 + i]!);
}

/** Training samples per second of `model` on `engine` over the timed steps. */
export async function timeTraining(model: Model, engine: Engine, settings: TrainSettings, data: TrainingData, plan: TimingPlan = AUTO_TIMING): Promise<number> {
  const times = await stepTimes(model, engine, settings, data, plan);
  const seconds = times.reduce((a, b) => a + b, 0) / 1000;
  return (times.length * settings.batchSize) / Math.max(seconds, 1e-6);
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Times each engine on a fresh copy of the model (`buildTimingModel`), keeps the faster one and
 * disposes the other. `progress` hears which engine is being timed.
 */
export async function autoEngine(
  buildTimingModel: () => Model,
  settings: TrainSettings,
  data: TrainingData,
  probe: WebGpuProbe,
  progress: (detail: string) => void,
  plan: TimingPlan = AUTO_TIMING,
): Promise<{ engine: Engine; choice: AutoChoice }> {
  if (!probe.ok) {
    // One engine left: nothing to time.
    const { engine } = await createEngine('cpu', probe);
    const timings: EngineTiming[] = [{ kind: 'webgpu', description: '', samplesPerSec: null, error: probe.reason }];
    return { engine, choice: { chosen: 'cpu', timings, reason: `WebGPU is unavailable here (${probe.reason}): CPU chosen` } };
  }
  const timings: EngineTiming[] = [];
  const engines = new Map<EngineKind, Engine>();
  for (const kind of ['webgpu', 'cpu'] as const) {
    let engine: Engine | null = null;
    const label = engineLabel({ kind, description: kind === 'webgpu' ? probe.adapter : '' });
    try {
      progress(`Timing ${plan.steps} training steps on ${label} to choose the engine…`);
      engine = (await createEngine(kind, probe)).engine;
      const model = buildTimingModel();
      model.initializeWeights(settings.seed);
      const samplesPerSec = await timeTraining(model, engine, settings, data, plan);
      timings.push({ kind, description: engine.description, samplesPerSec });
      engines.set(kind, engine);
    } catch (e) {
      engine?.dispose();
      timings.push({ kind, description: engine?.description ?? (kind === 'webgpu' ? probe.adapter : ''), samplesPerSec: null, error: message(e) });
    }
  }
  let choice: AutoChoice;
  try {
    choice = chooseEngine(timings);
  } catch (e) {
    for (const engine of engines.values()) engine.dispose();
    throw e;
  }
  for (const [kind, engine] of engines) if (kind !== choice.chosen) engine.dispose();
  return { engine: engines.get(choice.chosen)!, choice };
}
