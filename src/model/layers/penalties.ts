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
