// The Auto engine's decision: given the training rate each engine reached on a few timed steps
// (or why it could not run), which engine trains, and the sentence that says why. Pure, so the
// rule is tested apart from the timing.

import { fail } from '../model/validate.ts';
import type { EngineKind } from './settings.ts';

/** One engine's timing: its rate, or why it has none (unavailable, or failed on this model). */
export interface EngineTiming {
  kind: EngineKind;
  /** The adapter for WebGPU, the kernels for the CPU ("CPU (JavaScript, 8 cores available)"). */
  description: string;
  /** Training samples per second over the timed steps; null when the engine did not run. */
  samplesPerSec: number | null;
  /** Why there is no rate. */
  error?: string;
}

export interface AutoChoice {
  chosen: EngineKind;
  timings: EngineTiming[];
  /** "CPU 410 samples/s vs WebGPU (SwiftShader) 160 samples/s: CPU chosen" */
  reason: string;
}

/** Short name for messages: "CPU", "WebGPU (SwiftShader)". */
export function engineLabel(t: Pick<EngineTiming, 'kind' | 'description'>): string {
  if (t.kind === 'cpu') return 'CPU';
  return t.description ? `WebGPU (${t.description})` : 'WebGPU';
}

/** 410, 1,234, 12.3, 0.52: whole numbers from 100 up, three significant digits below. */
export function formatRate(samplesPerSec: number): string {
  if (samplesPerSec >= 100) return Math.round(samplesPerSec).toLocaleString('en-US');
  return Number(samplesPerSec.toPrecision(3)).toString();
}

const hasRate = (t: EngineTiming): t is EngineTiming & { samplesPerSec: number } =>
  t.samplesPerSec !== null && Number.isFinite(t.samplesPerSec) && t.samplesPerSec > 0;

/**
 * The faster engine that ran; on a tie, the first listed. Engines without a rate are named with
 * their reason. Throws when no engine ran.
 */
export function chooseEngine(timings: EngineTiming[]): AutoChoice {
  const ran = timings.filter(hasRate);
  const missing = timings.filter((t) => !hasRate(t));
  if (ran.length === 0) {
    const why = missing.map((t) => `${engineLabel(t)}: ${t.error ?? 'no rate'}`).join('; ');
    fail('Auto engine', `no engine could train this model (${why}). Check the model, or pick an engine by hand to see its full error.`);
  }
  const best = ran.reduce((a, b) => (b.samplesPerSec > a.samplesPerSec ? b : a));
  const rates = [best, ...ran.filter((t) => t !== best)].map((t) => `${engineLabel(t)} ${formatRate(t.samplesPerSec)} samples/s`);
  const failures = missing.map((t) => `${engineLabel(t)} could not run (${t.error ?? 'no rate'})`);
  const reason = `${[rates.join(' vs '), ...failures].join('; ')}: ${engineLabel(best)} chosen`;
  return { chosen: best.kind, timings, reason };
}
