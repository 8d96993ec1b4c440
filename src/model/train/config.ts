// compile() arguments in Keras's spelling, resolved against a model: optimizer names and
// hyperparameters with Keras's defaults, losses and metrics per output, loss weights.
import type { OptimizerConfig, OptimizerKind } from '../../ops/optimizers';
import type { LayerModel } from '../functional';
import { resolveOptimizer, type OptimizerArg } from './optimizerConfig';
import type { OutputLoss } from './plan';
import { checkMetric, resolveLoss, type LossArg, type LossSpec } from './lossConfig';

export type OptimizerName = OptimizerKind;
export type { OptimizerArg } from './optimizerConfig';
export { optimizerSlotCount, resolveOptimizer } from './optimizerConfig';

/** A Keras loss name ('mse', 'huber', 'kld', 'BinaryCrossentropy', ...) or class with config: see lossConfig.ts. */
export type LossName = LossArg;

export interface CompileArgs {
  optimizer?: OptimizerArg;
  /** One name for every output, a list in output order, or a map by output layer name. */
  loss: LossName | readonly LossName[] | Record<string, LossName>;
  /** Keras metric names ('accuracy', 'mae', 'top_k_categorical_accuracy', ...) for every output, or a map by output name. */
  metrics?: readonly string[] | Record<string, readonly string[]>;
  lossWeights?: readonly number[] | Record<string, number>;
  /** Seeds dropout masks and the default shuffle (Keras's keras.utils.set_random_seed). Default 0. */
  seed?: number;
}



/** Picks one entry per output from a single value, a list in output order, or a map by output name. */
function perOutput<T>(what: string, names: string[], arg: T | readonly T[] | Record<string, T>, fallback?: T): readonly T[] {
  if (Array.isArray(arg)) {
    if (arg.length !== names.length) throw new Error(`compile: ${what} has ${arg.length} entries but the model has ${names.length} outputs (${names.join(', ')}).`);
    return arg;
  }
  if (arg !== null && typeof arg === 'object') {
    const map = arg as Record<string, T>;
    for (const key of Object.keys(map)) {
      if (!names.includes(key)) throw new Error(`compile: ${what} names "${key}", which is not an output; outputs: ${names.join(', ')}.`);
    }
    return names.map((n) => {
      if (Object.prototype.hasOwnProperty.call(map, n)) return map[n];
      if (fallback !== undefined) return fallback;
      throw new Error(`compile: ${what} has no entry for output "${n}".`);
    });
  }
  return names.map(() => arg as T);
}

export interface ResolvedCompile {
  seed: number;
  optimizer: OptimizerConfig;
  losses: OutputLoss[];
  /** The losses as given (names kept), for Keras configs and Python. */
  lossSpecs: LossSpec[];
  outputNames: string[];
}

export function resolveCompile(model: LayerModel, args: CompileArgs): ResolvedCompile {
  if (!args || typeof args !== 'object') throw new Error('compile: pass {optimizer, loss, metrics}.');
  const names = model.outputs.map((t) => t.layer.name);
  const lossArg = args.loss as LossArg | readonly LossArg[] | Record<string, LossArg>;
  const isClass = lossArg !== null && typeof lossArg === 'object' && !Array.isArray(lossArg) && ('className' in lossArg || 'class_name' in lossArg);
  const losses = (isClass ? names.map(() => lossArg as LossArg) : perOutput<LossArg>('loss', names, lossArg)).map((l, i) => resolveLoss(l, `compile: loss of "${names[i]}"`));
  const weights = args.lossWeights === undefined ? names.map(() => 1) : perOutput('lossWeights', names, args.lossWeights, 1);
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new Error(`compile: lossWeights for "${names[i]}" must be a number >= 0, got ${JSON.stringify(w)}.`);
  });
  const metrics = args.metrics === undefined ? names.map(() => [] as readonly string[]) : Array.isArray(args.metrics) ? names.map(() => args.metrics as readonly string[]) : perOutput<readonly string[]>('metrics', names, args.metrics as Record<string, readonly string[]>, []);
  metrics.forEach((list, i) => list.forEach((m) => checkMetric(m, `compile: metrics of "${names[i]}"`)));
  const seed = args.seed ?? 0;
  if (!Number.isInteger(seed)) throw new Error(`compile: seed must be an integer, got ${JSON.stringify(args.seed)}.`);
  return {
    seed,
    optimizer: resolveOptimizer(args.optimizer),
    losses: losses.map((spec, i) => ({ kind: spec.kind, options: spec.options, weight: weights[i], accuracy: false, metrics: metrics[i] })),
    lossSpecs: losses,
    outputNames: names,
  };
}
