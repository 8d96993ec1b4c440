// Optimizer arguments in Keras's spelling (camelCase), checked and resolved with Keras 3's
// defaults: every optimizer's hyperparameters, the options all of them share (weight decay,
// clipnorm, clipvalue, global_clipnorm) and a learning-rate schedule in place of a number.
import {
  ADADELTA_DEFAULTS,
  ADAGRAD_DEFAULTS,
  ADAMAX_DEFAULTS,
  ADAMW_WEIGHT_DECAY,
  ADAM_DEFAULTS,
  NADAM_DEFAULTS,
  RMSPROP_DEFAULTS,
  SGD_DEFAULTS,
  optimizerSlots,
  type OptimizerConfig,
  type OptimizerKind,
} from '../../ops/optimizers';
import { checkSchedule, scheduleValue, type ScheduleConfig } from '../../ops/schedules';

export const OPTIMIZER_KINDS: readonly OptimizerKind[] = ['adam', 'sgd', 'rmsprop', 'adamw', 'adagrad', 'adadelta', 'adamax', 'nadam'];

type ConfigOf<K extends OptimizerKind> = Extract<OptimizerConfig, { kind: K }>;

/** What compile() takes: a name, or the kind with any hyperparameters (Keras's defaults for the rest). */
export type OptimizerArg =
  | OptimizerKind
  | {
      [K in OptimizerKind]: { kind: K } & Partial<Omit<ConfigOf<K>, 'kind' | 'learningRate' | 'schedule' | 'weightDecay' | 'clipnorm' | 'clipvalue' | 'globalClipnorm'>> & {
        /** A number, or a schedule giving each step's rate. */
        learningRate?: number | ScheduleConfig;
        weightDecay?: number | null;
        clipnorm?: number | null;
        clipvalue?: number | null;
        globalClipnorm?: number | null;
      };
    }[OptimizerKind];

const DEFAULTS: Record<OptimizerKind, object> = {
  adam: ADAM_DEFAULTS,
  adamw: ADAM_DEFAULTS,
  sgd: SGD_DEFAULTS,
  rmsprop: RMSPROP_DEFAULTS,
  adagrad: ADAGRAD_DEFAULTS,
  adadelta: ADADELTA_DEFAULTS,
  adamax: ADAMAX_DEFAULTS,
  nadam: NADAM_DEFAULTS,
};

/** How each hyperparameter is checked: positive, in [0, 1), >= 0, or a boolean. */
const CHECKS: Record<string, 'positive' | 'unit' | 'nonNegative' | 'bool'> = {
  epsilon: 'positive',
  beta1: 'unit',
  beta2: 'unit',
  rho: 'unit',
  momentum: 'unit',
  initialAccumulatorValue: 'nonNegative',
  weightDecay: 'nonNegative',
  clipnorm: 'nonNegative',
  clipvalue: 'nonNegative',
  globalClipnorm: 'nonNegative',
  nesterov: 'bool',
  centered: 'bool',
  amsgrad: 'bool',
};

function check(where: string, key: string, v: unknown): void {
  const rule = CHECKS[key];
  const num = typeof v === 'number' && Number.isFinite(v);
  if (rule === 'bool' && typeof v !== 'boolean') throw new Error(`${where}: ${key} must be true or false, got ${JSON.stringify(v)}.`);
  if (rule === 'positive' && !(num && v > 0)) throw new Error(`${where}: ${key} must be a positive number, got ${JSON.stringify(v)}.`);
  if (rule === 'unit' && !(num && v >= 0 && v < 1)) throw new Error(`${where}: ${key} must be a number in [0, 1), got ${JSON.stringify(v)}.`);
  if (rule === 'nonNegative' && !(num && v >= 0)) throw new Error(`${where}: ${key} must be a number >= 0 (or null for none), got ${JSON.stringify(v)}.`);
}

export function resolveOptimizer(arg: OptimizerArg = 'rmsprop'): OptimizerConfig {
  const o = (typeof arg === 'string' ? { kind: arg } : arg) as { kind: OptimizerKind } & Record<string, unknown>;
  const kind = o?.kind;
  if (!OPTIMIZER_KINDS.includes(kind)) throw new Error(`Unknown optimizer ${JSON.stringify(kind)}: use one of ${OPTIMIZER_KINDS.map((k) => `'${k}'`).join(', ')}.`);
  const where = `optimizer '${kind}'`;
  const defaults: Record<string, unknown> = { ...DEFAULTS[kind], weightDecay: kind === 'adamw' ? ADAMW_WEIGHT_DECAY : 0, clipnorm: 0, clipvalue: 0, globalClipnorm: 0 };
  const c: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(o)) {
    if (key === 'kind' || value === undefined) continue;
    if (!(key in defaults)) throw new Error(`${where}: unknown option '${key}'; it takes ${Object.keys(defaults).join(', ')}.`);
    // null is Keras's None: off for the gradient options.
    c[key] = value === null && ['weightDecay', 'clipnorm', 'clipvalue', 'globalClipnorm'].includes(key) ? 0 : value;
  }
  for (const [key, value] of Object.entries(c)) if (key !== 'learningRate') check(where, key, value);
  const set = ['clipnorm', 'clipvalue', 'globalClipnorm'].filter((k) => c[k] !== 0);
  if (set.length > 1) throw new Error(`${where}: only one of clipnorm, clipvalue and globalClipnorm can be set, got ${set.join(' and ')}.`);
  let schedule: ScheduleConfig | null = null;
  if (typeof c.learningRate === 'object' && c.learningRate !== null) {
    schedule = c.learningRate as ScheduleConfig;
    checkSchedule(schedule, where);
    c.learningRate = scheduleValue(schedule, 0);
  } else if (typeof c.learningRate !== 'number' || !Number.isFinite(c.learningRate) || c.learningRate <= 0) {
    throw new Error(`${where}: learningRate must be a positive number or a schedule, got ${JSON.stringify(c.learningRate)}.`);
  }
  return { ...c, kind, schedule } as OptimizerConfig;
}

/** Per-weight state slots the optimizer keeps (0 to 3 values per weight). */
export function optimizerSlotCount(c: OptimizerConfig): number {
  return optimizerSlots(c);
}
