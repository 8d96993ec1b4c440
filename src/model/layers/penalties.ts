// The regularizer and constraint options a layer with a kernel and a bias takes (Keras's
// kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint),
// validated once for Dense and Conv2D alike. The weights carry theirs (addWeight); the executor
// adds the penalties to the loss and applies the constraints after each update.

import { constraintArg, regularizerArg, type Constraint, type ConstraintClassName, type Regularizer, type RegularizerClassName } from '../regularizers.ts';

export interface PenaltyConfig {
  kernelRegularizer: Regularizer;
  biasRegularizer: Regularizer;
  /** A penalty on the layer's output, divided by the batch size (Keras 3). */
  activityRegularizer: Regularizer;
  kernelConstraint: Constraint;
  biasConstraint: Constraint;
}

/** What the options accept: a spec, null, or a Keras name ('l2', 'l1_l2', 'max_norm', 'NonNeg'). */
export type PenaltyArgs = {
  [K in keyof PenaltyConfig]?: PenaltyConfig[K] | RegularizerClassName | ConstraintClassName | 'l1' | 'l2' | 'l1_l2' | 'max_norm' | 'non_neg' | 'unit_norm' | 'min_max_norm';
};

export function penaltyArgs(where: string, args: PenaltyArgs): PenaltyConfig {
  return {
    kernelRegularizer: regularizerArg(where, 'kernelRegularizer', args.kernelRegularizer),
    biasRegularizer: regularizerArg(where, 'biasRegularizer', args.biasRegularizer),
    activityRegularizer: regularizerArg(where, 'activityRegularizer', args.activityRegularizer),
    kernelConstraint: constraintArg(where, 'kernelConstraint', args.kernelConstraint),
    biasConstraint: constraintArg(where, 'biasConstraint', args.biasConstraint),
  };
}

/** Every option at Keras's default (none). */
export const NO_PENALTIES: PenaltyConfig = { kernelRegularizer: null, biasRegularizer: null, activityRegularizer: null, kernelConstraint: null, biasConstraint: null };

/**
 * The same options for other weights than kernel and bias, named as Keras names them:
 * weightPenalties(['depthwise', 'pointwise', 'bias']) is SeparableConv2D's depthwiseRegularizer,
 * pointwiseRegularizer, biasRegularizer, activityRegularizer, depthwiseConstraint, ... (Keras's
 * get_config order). Options take null; each value is validated like Dense's.
 */
export type WeightPenalties<P extends string> =
  { [K in P as `${K}Regularizer`]: Regularizer } & { [K in P as `${K}Constraint`]: Constraint } & { activityRegularizer: Regularizer };

export type WeightPenaltyArgs<P extends string> = { [K in keyof WeightPenalties<P>]?: WeightPenalties<P>[K] | string };

export function weightPenaltyKeys(prefixes: readonly string[]): string[] {
  return [...prefixes.map((p) => `${p}Regularizer`), 'activityRegularizer', ...prefixes.map((p) => `${p}Constraint`)];
}

export function weightPenaltyOptions(prefixes: readonly string[]): { key: string; type: 'regularizer' | 'constraint'; default: null }[] {
  return weightPenaltyKeys(prefixes).map((key) => ({ key, type: key.endsWith('Constraint') ? 'constraint' : 'regularizer', default: null }));
}

export function weightPenaltyArgs<P extends string>(where: string, args: object, prefixes: readonly P[]): WeightPenalties<P> {
  const given = args as Record<string, unknown>;
  const out: Record<string, Regularizer | Constraint> = {};
  for (const key of weightPenaltyKeys(prefixes)) {
    out[key] = key.endsWith('Constraint') ? constraintArg(where, key, given[key]) : regularizerArg(where, key, given[key]);
  }
  return out as WeightPenalties<P>;
}
