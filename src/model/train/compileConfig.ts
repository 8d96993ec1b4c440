// compile() arguments as Keras writes them: model.get_compile_config() (Keras 3; tf.keras's
// training_config has the same loss, metrics and loss_weights fields) and the Python line
// model.compile(optimizer=..., loss=..., metrics=[...]). Read back into CompileArgs.
import type { CompileArgs, OptimizerArg } from './config';
import { checkMetric, lossToKeras, lossToPython, resolveLoss, type LossArg, type LossSpec } from './lossConfig';

type KerasLoss = string | Record<string, unknown>;

export interface KerasCompileConfig {
  optimizer: string | { class_name: string; config: Record<string, unknown> };
  loss: KerasLoss | KerasLoss[] | Record<string, KerasLoss>;
  metrics: string[] | Record<string, string[]> | null;
  loss_weights: number[] | Record<string, number> | null;
}

const OPTIMIZER_CLASS = {
  adam: 'Adam', adamw: 'AdamW', sgd: 'SGD', rmsprop: 'RMSprop', adagrad: 'Adagrad', adadelta: 'Adadelta', adamax: 'Adamax', nadam: 'Nadam',
} as const;
const OPTIMIZER_KEYS: Record<string, string> = { learningRate: 'learning_rate', beta1: 'beta_1', beta2: 'beta_2' };
const snake = (k: string): string => OPTIMIZER_KEYS[k] ?? k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camel = (k: string): string => Object.entries(OPTIMIZER_KEYS).find(([, s]) => s === k)?.[0] ?? k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function optimizerArgs(o: Exclude<OptimizerArg, string>): [string, unknown][] {
  return Object.entries(o).filter(([k]) => k !== 'kind').map(([k, v]) => [snake(k), v]);
}

/** Each loss of the compile args, as a spec (single, list or map by output name). */
function mapLosses<T>(loss: CompileArgs['loss'], f: (s: LossSpec) => T): T | T[] | Record<string, T> {
  const one = (l: LossArg) => f(resolveLoss(l));
  if (Array.isArray(loss)) return (loss as LossArg[]).map(one);
  if (typeof loss === 'object' && loss !== null && !('className' in loss) && !('class_name' in loss)) {
    return Object.fromEntries(Object.entries(loss as Record<string, LossArg>).map(([k, l]) => [k, one(l)]));
  }
  return one(loss as LossArg);
}

export function compileToKeras(args: CompileArgs): KerasCompileConfig {
  const o = args.optimizer ?? 'rmsprop';
  const optimizer = typeof o === 'string' ? o : { class_name: OPTIMIZER_CLASS[o.kind], config: Object.fromEntries(optimizerArgs(o)) };
  const metrics = args.metrics === undefined ? null : Array.isArray(args.metrics) ? [...args.metrics] : { ...(args.metrics as Record<string, string[]>) };
  const lw = args.lossWeights;
  return { optimizer, loss: mapLosses(args.loss, lossToKeras) as KerasCompileConfig['loss'], metrics, loss_weights: lw === undefined ? null : Array.isArray(lw) ? [...(lw as number[])] : { ...(lw as Record<string, number>) } };
}

function lossFromKeras(l: KerasLoss): LossArg {
  if (typeof l === 'string') return l;
  const cls = (l as { class_name?: unknown }).class_name;
  const arg = { className: String(cls), config: { ...((l as { config?: Record<string, unknown> }).config ?? {}) } };
  resolveLoss(arg, 'compile config: loss'); // errors now, naming the option
  return arg;
}

/** CompileArgs from Keras's get_compile_config() or a tf.keras training_config. */
export function compileFromKeras(c: Partial<KerasCompileConfig> & { optimizer_config?: { class_name: string; config: Record<string, unknown> } }): CompileArgs {
  const loss = c.loss;
  if (loss === undefined || loss === null) throw new Error('compile config: it has no loss.');
  const args: CompileArgs = {
    loss: Array.isArray(loss) ? loss.map(lossFromKeras) : typeof loss === 'object' && !('class_name' in loss) ? Object.fromEntries(Object.entries(loss).map(([k, l]) => [k, lossFromKeras(l as KerasLoss)])) : lossFromKeras(loss as KerasLoss),
  } as CompileArgs;
  if (c.metrics) {
    const all = Array.isArray(c.metrics) ? c.metrics : Object.values(c.metrics).flat();
    all.forEach((m) => checkMetric(m, 'compile config: metrics'));
    args.metrics = c.metrics;
  }
  if (c.loss_weights) args.lossWeights = c.loss_weights;
  const opt = c.optimizer ?? c.optimizer_config;
  if (typeof opt === 'string') args.optimizer = opt.toLowerCase() as OptimizerArg;
  else if (opt) {
    const kind = opt.class_name.toLowerCase() as 'adam';
    const known = [
      'learning_rate', 'beta_1', 'beta_2', 'epsilon', 'momentum', 'nesterov', 'rho', 'centered', 'amsgrad', 'initial_accumulator_value',
      'weight_decay', 'clipnorm', 'clipvalue', 'global_clipnorm',
    ];
    args.optimizer = { kind, ...Object.fromEntries(Object.entries(opt.config).filter(([k]) => known.includes(k)).map(([k, v]) => [camel(k), v])) } as OptimizerArg;
  }
  return args;
}

const pyValue = (v: unknown): string => (typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'number' && Number.isInteger(v) ? `${v}.0` : typeof v === 'string' ? JSON.stringify(v) : String(v));

/** A list or dict of values as Python; `leaf` writes the values (already Python source for losses). */
function pyOf(x: unknown, leaf: (v: unknown) => string = pyValue): string {
  if (Array.isArray(x)) return `[${x.map((v) => pyOf(v, leaf)).join(', ')}]`;
  if (x !== null && typeof x === 'object') return `{${Object.entries(x).map(([k, v]) => `${JSON.stringify(k)}: ${pyOf(v, leaf)}`).join(', ')}}`;
  return leaf(x);
}

/** model.compile(optimizer=..., loss=..., metrics=[...]) as Keras Python. */
export function compilePython(args: CompileArgs): string {
  const o = args.optimizer ?? 'rmsprop';
  const optimizer = typeof o === 'string' ? JSON.stringify(o) : `keras.optimizers.${OPTIMIZER_CLASS[o.kind]}(${optimizerArgs(o).map(([k, v]) => `${k}=${pyValue(v)}`).join(', ')})`;
  const parts = [`optimizer=${optimizer}`, `loss=${pyOf(mapLosses(args.loss, lossToPython), String)}`];
  if (args.metrics !== undefined) parts.push(`metrics=${pyOf(args.metrics)}`);
  if (args.lossWeights !== undefined) parts.push(`loss_weights=${pyOf(args.lossWeights)}`);
  return `model.compile(${parts.join(', ')})`;
}

/** The compile args saved in a model JSON (tf.keras's training_config, Keras 3's compile_config); null when none. */
export function compileArgsFromModelJson(json: unknown): CompileArgs | null {
  const j = (typeof json === 'string' ? JSON.parse(json) : json) as { training_config?: unknown; compile_config?: unknown };
  const c = j?.training_config ?? j?.compile_config;
  return c && typeof c === 'object' ? compileFromKeras(c as Partial<KerasCompileConfig>) : null;
}
