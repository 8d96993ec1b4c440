// Losses and metrics in Keras's spellings: every name keras.losses.get accepts ('mse', 'huber',
// 'kld', 'BinaryCrossentropy', ...) or a class with its config ({className: 'Huber', config:
// {delta: 2}}), resolved to a kind and options; and back to Keras's compile config and Python.
import type { LossKind, LossOptions, MetricKind } from '../../ops/losses';

/** A loss as compile() takes it: a Keras name, or a Keras loss class with its arguments. */
export type LossArg = string | { className: string; config?: Record<string, unknown> };

export interface LossSpec {
  kind: LossKind;
  /** Normalized: fromLogits, labelSmoothing and delta always present. */
  options: Required<LossOptions>;
  /** The string it was given as, kept so configs and Python write it back unchanged. */
  name?: string;
}

const CLASS_OF: { [K in LossKind]: string } = {
  binary_crossentropy: 'BinaryCrossentropy',
  categorical_crossentropy: 'CategoricalCrossentropy',
  sparse_categorical_crossentropy: 'SparseCategoricalCrossentropy',
  mean_squared_error: 'MeanSquaredError',
  mean_absolute_error: 'MeanAbsoluteError',
  mean_absolute_percentage_error: 'MeanAbsolutePercentageError',
  mean_squared_logarithmic_error: 'MeanSquaredLogarithmicError',
  huber: 'Huber',
  log_cosh: 'LogCosh',
  kl_divergence: 'KLDivergence',
  hinge: 'Hinge',
};
const KIND_OF_CLASS = new Map(Object.entries(CLASS_OF).map(([kind, cls]) => [cls, kind as LossKind]));

/** Keras's aliases and this project's earlier camelCase names. */
const ALIASES: Record<string, LossKind> = {
  bce: 'binary_crossentropy', BCE: 'binary_crossentropy', kld: 'kl_divergence', KLD: 'kl_divergence',
  mae: 'mean_absolute_error', MAE: 'mean_absolute_error', mse: 'mean_squared_error', MSE: 'mean_squared_error',
  mape: 'mean_absolute_percentage_error', MAPE: 'mean_absolute_percentage_error',
  msle: 'mean_squared_logarithmic_error', MSLE: 'mean_squared_logarithmic_error',
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy', categoricalCrossentropy: 'categorical_crossentropy', binaryCrossentropy: 'binary_crossentropy',
};

const DEFAULTS: Required<LossOptions> = { fromLogits: false, labelSmoothing: 0, delta: 1 };

/** The option keys each class takes (camelCase), beyond Keras's name, reduction and axis. */
function optionKeys(kind: LossKind): (keyof LossOptions)[] {
  if (kind === 'binary_crossentropy' || kind === 'categorical_crossentropy') return ['fromLogits', 'labelSmoothing'];
  if (kind === 'sparse_categorical_crossentropy') return ['fromLogits'];
  return kind === 'huber' ? ['delta'] : [];
}

/** Every string name: Keras's function names, class names and aliases. */
const STRING_KINDS = new Map<string, LossKind>([
  ...(Object.keys(CLASS_OF) as LossKind[]).map((k): [string, LossKind] => [k, k]),
  ...KIND_OF_CLASS,
  ...Object.entries(ALIASES),
]);
export const LOSS_NAMES: readonly string[] = [...STRING_KINDS.keys()];

const camel = (k: string): string => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function checkOptions(where: string, o: Required<LossOptions>): void {
  if (typeof o.fromLogits !== 'boolean') throw new Error(`${where}: from_logits must be true or false, got ${JSON.stringify(o.fromLogits)}.`);
  const ls = o.labelSmoothing;
  if (typeof ls !== 'number' || !(ls >= 0 && ls <= 1)) throw new Error(`${where}: label_smoothing must be a number in [0, 1], got ${JSON.stringify(ls)}.`);
  if (typeof o.delta !== 'number' || !(o.delta > 0) || !Number.isFinite(o.delta)) throw new Error(`${where}: delta must be a positive number, got ${JSON.stringify(o.delta)}.`);
}

/** A compile() loss (or a Keras compile config's loss) as a kind with options; errors name the fix. */
export function resolveLoss(arg: LossArg, where = 'compile: loss'): LossSpec {
  if (typeof arg === 'string') {
    const kind = STRING_KINDS.get(arg);
    if (!kind) throw new Error(`${where}: unknown loss ${JSON.stringify(arg)}. Use one of: ${LOSS_NAMES.join(', ')}.`);
    return { kind, options: { ...DEFAULTS }, name: arg };
  }
  const cls = arg && typeof arg === 'object' ? (arg as { className?: unknown; class_name?: unknown }).className ?? (arg as { class_name?: unknown }).class_name : undefined;
  const kind = typeof cls === 'string' ? KIND_OF_CLASS.get(cls) : undefined;
  if (!kind) throw new Error(`${where}: unknown loss class ${JSON.stringify(cls)}. Use one of: ${Object.values(CLASS_OF).join(', ')}.`);
  const w = `${where} ${cls}`;
  const options = { ...DEFAULTS };
  const allowed = optionKeys(kind);
  for (const [key, value] of Object.entries(arg.config ?? {})) {
    const k = camel(key);
    if (k === 'name') continue;
    if (k === 'reduction' && value === 'sum_over_batch_size') continue;
    if (k === 'axis' && value === -1) continue;
    if (k === 'ignoreClass' && value === null) continue;
    if (!(allowed as string[]).includes(k)) {
      throw new Error(`${w}: option ${JSON.stringify(key)}${k === 'reduction' || k === 'axis' ? ` = ${JSON.stringify(value)} is not supported (only Keras's default)` : ' is not supported'}; it takes ${allowed.length ? allowed.join(', ') : 'no options'}.`);
    }
    (options as Record<string, unknown>)[k] = value;
  }
  checkOptions(w, options);
  return { kind, options };
}

/** True when every option is at Keras's default. */
function isDefaultSpec(spec: LossSpec): boolean {
  return optionKeys(spec.kind).every((k) => spec.options[k] === DEFAULTS[k]);
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The loss as Keras's get_compile_config() writes it: the string given, or the serialized class. */
export function lossToKeras(spec: LossSpec): string | Record<string, unknown> {
  if (spec.name !== undefined && isDefaultSpec(spec)) return spec.name;
  const config: Record<string, unknown> = { name: spec.kind === 'huber' ? 'huber_loss' : spec.kind, reduction: 'sum_over_batch_size' };
  // Keras 3.15.1's Huber.get_config drops delta; it is written when it is not the default so it survives.
  for (const k of optionKeys(spec.kind)) if (k !== 'delta' || spec.options.delta !== DEFAULTS.delta) config[snake(k)] = spec.options[k];
  if (spec.kind === 'binary_crossentropy' || spec.kind === 'categorical_crossentropy') config.axis = -1;
  if (spec.kind === 'sparse_categorical_crossentropy') config.ignore_class = null;
  return { module: 'keras.losses', class_name: CLASS_OF[spec.kind], config, registered_name: null };
}

/** The loss as Python: "mse" or keras.losses.Huber(delta=2.0). */
export function lossToPython(spec: LossSpec): string {
  if (spec.name !== undefined && isDefaultSpec(spec)) return JSON.stringify(spec.name);
  const args = optionKeys(spec.kind)
    .filter((k) => spec.options[k] !== DEFAULTS[k])
    .map((k) => `${snake(k)}=${typeof spec.options[k] === 'boolean' ? (spec.options[k] ? 'True' : 'False') : pyNumber(spec.options[k] as number)}`);
  return `keras.losses.${CLASS_OF[spec.kind]}(${args.join(', ')})`;
}

const pyNumber = (v: number): string => (Number.isInteger(v) ? `${v}.0` : String(v));

/** Metric names compile() accepts, by the kind they compute ('accuracy' is resolved per output). */
const METRICS: Record<string, MetricKind | 'accuracy'> = {
  accuracy: 'accuracy', acc: 'accuracy',
  binary_accuracy: 'binary_accuracy', categorical_accuracy: 'categorical_accuracy', sparse_categorical_accuracy: 'sparse_categorical_accuracy',
  top_k_categorical_accuracy: 'top_k_categorical_accuracy', sparse_top_k_categorical_accuracy: 'sparse_top_k_categorical_accuracy',
  mae: 'mean_absolute_error', MAE: 'mean_absolute_error', mean_absolute_error: 'mean_absolute_error',
  mse: 'mean_squared_error', MSE: 'mean_squared_error', mean_squared_error: 'mean_squared_error',
};

export const METRIC_NAMES: readonly string[] = Object.keys(METRICS);

export function checkMetric(name: unknown, where: string): void {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(METRICS, name)) {
    throw new Error(`${where}: unknown metric ${JSON.stringify(name)}; supported: ${METRIC_NAMES.join(', ')}.`);
  }
}

/**
 * The metric a name computes for one output, as Keras's compile does: 'accuracy' is binary when
 * the output has one column, sparse categorical when the targets are labels, else categorical.
 */
export function resolveMetric(name: string, sparseTargets: boolean, cols: number): MetricKind {
  checkMetric(name, 'compile: metrics');
  const m = METRICS[name];
  if (m !== 'accuracy') return m;
  // (Keras checks the single column first; labels with one column would be a one-class model.)
  return cols === 1 && !sparseTargets ? 'binary_accuracy' : sparseTargets ? 'sparse_categorical_accuracy' : 'categorical_accuracy';
}
