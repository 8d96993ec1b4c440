// An optimizer's config in Keras 3's serialized form (keras.optimizers.serialize: the
// training config of a saved model) and as Python (keras.optimizers.AdamW(learning_rate=...,
// weight_decay=...)), and back from Keras's JSON, learning-rate schedules included.
import type { OptimizerConfig, OptimizerKind } from '../../ops/optimizers';
import type { ScheduleConfig } from '../../ops/schedules';
import { resolveOptimizer, type OptimizerArg } from './optimizerConfig';

type Json = Record<string, unknown>;

const CLASS: Record<OptimizerKind, [className: string, name: string]> = {
  adam: ['Adam', 'adam'],
  adamw: ['AdamW', 'adam_w'],
  sgd: ['SGD', 'sgd'],
  rmsprop: ['RMSprop', 'rm_sprop'],
  adagrad: ['Adagrad', 'adagrad'],
  adadelta: ['Adadelta', 'adadelta'],
  adamax: ['Adamax', 'adamax'],
  nadam: ['Nadam', 'nadam'],
};

/** camelCase option -> Keras key; beta1 is beta_1 in Keras. */
const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/^beta(\d)$/, 'beta_$1');
const camel = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const GRADIENT_KEYS = ['weightDecay', 'clipnorm', 'globalClipnorm', 'clipvalue'] as const;
/** Base-optimizer options we do not support, with the value that means "off". */
const UNSUPPORTED: Record<string, unknown> = { use_ema: false, ema_overwrite_frequency: null, loss_scale_factor: null, gradient_accumulation_steps: null };

/** The hyperparameters of a resolved config (not kind, schedule, learning rate or the gradient options). */
function hyper(c: OptimizerConfig): [string, unknown][] {
  const skip = new Set<string>(['kind', 'schedule', 'learningRate', ...GRADIENT_KEYS]);
  return Object.entries(c).filter(([k, v]) => !skip.has(k) && v !== undefined);
}

function scheduleToKeras(s: ScheduleConfig): Json {
  const config: Json = Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'className').map(([k, v]) => [snake(k), v]));
  if (s.className === 'CosineDecay') Object.assign(config, { alpha: s.alpha ?? 0, warmup_target: s.warmupTarget ?? null, warmup_steps: s.warmupSteps ?? 0 });
  if (s.className === 'ExponentialDecay' || s.className === 'InverseTimeDecay') config.staircase = s.staircase ?? false;
  return { module: 'keras.optimizers.schedules', class_name: s.className, config: { ...config, name: s.className }, registered_name: null };
}

export function optimizerToKeras(c: OptimizerConfig): Json {
  const [className, name] = CLASS[c.kind];
  const config: Json = {
    name,
    learning_rate: c.schedule ? scheduleToKeras(c.schedule) : Math.fround(c.learningRate),
    ...Object.fromEntries(GRADIENT_KEYS.map((k) => [snake(k), c[k] ? c[k] : null])),
    use_ema: false,
    ema_momentum: 0.99,
    ema_overwrite_frequency: null,
    loss_scale_factor: null,
    gradient_accumulation_steps: null,
    ...Object.fromEntries(hyper(c).map(([k, v]) => [snake(k), v])),
  };
  return { module: 'keras.optimizers', class_name: className, config, registered_name: null };
}

function scheduleFromKeras(j: Json): ScheduleConfig {
  const config = (j.config ?? {}) as Json;
  const out: Json = { className: j.class_name };
  // Keras writes every argument; keep those that differ from the defaults, as we spell them.
  const defaults: Json = { name: null, warmup_target: null, warmup_steps: 0, alpha: 0, staircase: false };
  for (const [k, v] of Object.entries(config)) if (!(k in defaults && (k === 'name' || v === defaults[k]))) out[camel(k)] = v;
  return out as unknown as ScheduleConfig;
}

/** Reads Keras's serialized optimizer ({class_name, config}, as written by keras.optimizers.serialize). */
export function optimizerFromKeras(json: unknown): OptimizerConfig {
  const j = json as Json;
  const entry = Object.entries(CLASS).find(([, [cls]]) => cls.toLowerCase() === String(j?.class_name).toLowerCase());
  if (!entry) throw new Error(`optimizer: unsupported Keras optimizer class ${JSON.stringify(j?.class_name)}; supported: ${Object.values(CLASS).map(([cls]) => cls).join(', ')}.`);
  const kind = entry[0] as OptimizerKind;
  const arg: Json = { kind };
  for (const [key, value] of Object.entries((j.config ?? {}) as Json)) {
    if (key === 'name' || key === 'ema_momentum' || key === 'decay') continue;
    if (key in UNSUPPORTED) {
      if (value !== UNSUPPORTED[key] && value !== undefined) throw new Error(`optimizer ${entry[1][0]}: ${key}=${JSON.stringify(value)} is not supported; use ${JSON.stringify(UNSUPPORTED[key])}.`);
      continue;
    }
    const isSchedule = key === 'learning_rate' && typeof value === 'object' && value !== null;
    arg[camel(key)] = isSchedule ? scheduleFromKeras(value as Json) : value;
  }
  return resolveOptimizer(arg as OptimizerArg);
}

const pyValue = (v: unknown): string => (v === null || v === undefined ? 'None' : typeof v === 'boolean' ? (v ? 'True' : 'False') : Array.isArray(v) ? `[${v.map(pyValue).join(', ')}]` : String(v));

function scheduleToPython(s: ScheduleConfig): string {
  const args = Object.entries(s).filter(([k, v]) => k !== 'className' && v !== undefined && !(k === 'warmupTarget' && v === null));
  return `keras.optimizers.schedules.${s.className}(${args.map(([k, v]) => `${snake(k)}=${pyValue(v)}`).join(', ')})`;
}

/** `keras.optimizers.AdamW(learning_rate=0.001, weight_decay=0.004)`: the rate, then what differs from Keras's defaults. */
export function optimizerToPython(c: OptimizerConfig): string {
  const defaults = resolveOptimizer(c.kind);
  const args = [`learning_rate=${c.schedule ? scheduleToPython(c.schedule) : pyValue(c.learningRate)}`];
  for (const [k, v] of [...GRADIENT_KEYS.map((k): [string, unknown] => [k, c[k] ?? 0]), ...hyper(c)]) {
    const always = c.kind === 'adamw' && k === 'weightDecay';
    if (always || v !== (defaults as unknown as Json)[k]) args.push(`${snake(k)}=${pyValue(GRADIENT_KEYS.includes(k as never) && v === 0 ? null : v)}`);
  }
  return `keras.optimizers.${CLASS[c.kind][0]}(${args.join(', ')})`;
}
