// Keras 3 learning-rate schedules (keras/src/optimizers/schedules/learning_rate_schedule.py):
// the learning rate of the step that follows `step` completed steps (Keras calls the schedule
// with optimizer.iterations). Computed on the host in float32 as Keras computes it, then handed
// to the update kernels as a uniform.

export interface ExponentialDecayConfig {
  className: 'ExponentialDecay';
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
}
export interface PiecewiseConstantDecayConfig {
  className: 'PiecewiseConstantDecay';
  boundaries: number[];
  values: number[];
}
export interface CosineDecayConfig {
  className: 'CosineDecay';
  initialLearningRate: number;
  decaySteps: number;
  alpha?: number;
  /** With warmupSteps: a linear ramp from initialLearningRate to warmupTarget, then the decay from warmupTarget. */
  warmupTarget?: number | null;
  warmupSteps?: number;
}
export interface InverseTimeDecayConfig {
  className: 'InverseTimeDecay';
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
}

export type ScheduleConfig = ExponentialDecayConfig | PiecewiseConstantDecayConfig | CosineDecayConfig | InverseTimeDecayConfig;

export const SCHEDULE_NAMES = ['ExponentialDecay', 'PiecewiseConstantDecay', 'CosineDecay', 'InverseTimeDecay'] as const;

const f = Math.fround;

function cosineDecay(step: number, decaySteps: number, from: number, alpha: number): number {
  const fraction = f(step / decaySteps);
  const cosine = f(0.5 * f(1 + f(Math.cos(f(f(Math.PI) * fraction)))));
  return f(from * f(f(f(1 - alpha) * cosine) + f(alpha)));
}

/** The schedule's learning rate after `step` completed steps. */
export function scheduleValue(s: ScheduleConfig, step: number): number {
  switch (s.className) {
    case 'ExponentialDecay': {
      const p = f(step / s.decaySteps);
      return f(f(s.initialLearningRate) * f(Math.pow(f(s.decayRate), s.staircase ? Math.floor(p) : p)));
    }
    case 'InverseTimeDecay': {
      const p = f(step / s.decaySteps);
      return f(f(s.initialLearningRate) / f(1 + f(f(s.decayRate) * (s.staircase ? Math.floor(p) : p))));
    }
    case 'PiecewiseConstantDecay': {
      // values[i] while step <= boundaries[i]; the last value after the last boundary.
      const i = s.boundaries.findIndex((b) => step <= b);
      return f(s.values[i < 0 ? s.values.length - 1 : i]);
    }
    case 'CosineDecay': {
      const alpha = s.alpha ?? 0;
      if (s.warmupTarget === undefined || s.warmupTarget === null) {
        return cosineDecay(Math.min(step, s.decaySteps), s.decaySteps, f(s.initialLearningRate), alpha);
      }
      const warmup = s.warmupSteps ?? 0;
      const at = Math.min(step, s.decaySteps + warmup);
      if (at < warmup) {
        const delta = f(f(s.warmupTarget) - f(s.initialLearningRate));
        return f(f(delta * f(at / warmup)) + f(s.initialLearningRate));
      }
      return cosineDecay(at - warmup, s.decaySteps, f(s.warmupTarget), alpha);
    }
  }
}

/** Throws a clear error for a schedule Keras would refuse (or that would give no sensible rate). */
export function checkSchedule(s: ScheduleConfig, where: string): void {
  const bad = (what: string) => {
    throw new Error(`${where}: ${s.className} ${what}`);
  };
  if (!s || !(SCHEDULE_NAMES as readonly string[]).includes(s.className)) {
    throw new Error(`${where}: unknown learning-rate schedule ${JSON.stringify((s as { className?: unknown })?.className)}; use one of ${SCHEDULE_NAMES.join(', ')}.`);
  }
  if (s.className === 'PiecewiseConstantDecay') {
    if (!Array.isArray(s.boundaries) || !Array.isArray(s.values) || s.values.length !== s.boundaries.length + 1) {
      bad(`needs values with one more entry than boundaries, got ${JSON.stringify(s.boundaries)} and ${JSON.stringify(s.values)}.`);
    }
    if (s.boundaries.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= s.boundaries[i - 1]))) bad('boundaries must be increasing numbers.');
    if (s.values.some((v) => !Number.isFinite(v) || v < 0)) bad('values must be numbers >= 0.');
    return;
  }
  if (!Number.isFinite(s.initialLearningRate) || s.initialLearningRate < 0) bad(`initialLearningRate must be a number >= 0, got ${s.initialLearningRate}.`);
  if (!Number.isFinite(s.decaySteps) || s.decaySteps <= 0) bad(`decaySteps must be > 0, got ${s.decaySteps}.`);
  if ('decayRate' in s && (!Number.isFinite(s.decayRate) || s.decayRate < 0)) bad(`decayRate must be a number >= 0, got ${s.decayRate}.`);
  if (s.className === 'CosineDecay' && s.warmupTarget != null && !(Number.isInteger(s.warmupSteps) && (s.warmupSteps ?? 0) >= 0)) {
    bad(`warmupSteps must be a whole number >= 0 with warmupTarget, got ${s.warmupSteps}.`);
  }
}
