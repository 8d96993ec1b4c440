// A layer's regularizer and constraint options (Keras's kernel_regularizer, bias_regularizer,
// activity_regularizer, kernel_constraint, bias_constraint, or depthwise_/pointwise_/embeddings_
// for other weights), validated once for every layer. The weights carry theirs (addWeight); the
// executor adds the penalties to the loss and applies the constraints after each update.

import { constraintArg, regularizerArg, type Constraint, type Regularizer } from '../regularizers.ts';

/** Dense's and Conv2D's: kernel and bias. */
const KERNEL_BIAS = ['kernel', 'bias'] as const;

export type PenaltyConfig = WeightPenalties<'kernel' | 'bias'>;
export type PenaltyArgs = WeightPenaltyArgs<'kernel' | 'bias'>;

export function penaltyArgs(where: string, args: PenaltyArgs): PenaltyConfig {
  return weightPenaltyArgs(where, args, KERNEL_BIAS);
}

/** Every option at Keras's default (none). */
export const NO_PENALTIES: PenaltyConfig = penaltyArgs('', {});

/**
 * A layer's regularizer and constraint options, named after its weights as Keras names them:
 * weightPenalties(['depthwise', 'pointwise', 'bias']) is SeparableConv2D's depthwiseRegularizer,
 * pointwiseRegularizer, biasRegularizer, activityRegularizer, depthwiseConstraint, ... (Keras's
 * get_config order). Options take null; each value is validated like Dense's.
 */
export type WeightPenalties<P extends string> =
  { [K in P as `${K}Regularizer`]: Regularizer } & { [K in P as `${K}Constraint`]: Constraint } & { activityRegularizer: Regularizer };

/** What the options accept: a spec, null, or a Keras name ('l2', 'l1_l2', 'max_norm', 'NonNeg'). */
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
