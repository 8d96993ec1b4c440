// The losses and metrics the engines run, by Keras 3's function names, with their options.
// Shared by the reference ops, the kernel wrappers and the model's compile settings.

export type LossKind =
  | 'sparse_categorical_crossentropy'
  | 'categorical_crossentropy'
  | 'mean_squared_error'
  | 'mean_absolute_error'
  | 'binary_crossentropy'
  | 'mean_absolute_percentage_error'
  | 'mean_squared_logarithmic_error'
  | 'huber'
  | 'log_cosh'
  | 'kl_divergence'
  | 'hinge';

/** Keras's options: from_logits and label_smoothing (cross-entropies), delta (huber). */
export interface LossOptions {
  fromLogits?: boolean;
  labelSmoothing?: number;
  delta?: number;
}

/** Keras's backend epsilon: probabilities are clipped to [EPSILON, 1 - EPSILON] in cross-entropies. */
export const EPSILON = 1e-7;

/** Metrics computed per sample and summed; 'accuracy' is resolved to one of the accuracies first. */
export type MetricKind =
  | 'binary_accuracy'
  | 'categorical_accuracy'
  | 'sparse_categorical_accuracy'
  | 'top_k_categorical_accuracy'
  | 'sparse_top_k_categorical_accuracy'
  | 'mean_absolute_error'
  | 'mean_squared_error';

/** Keras's defaults: BinaryAccuracy's threshold and the top-k metrics' k. */
export const BINARY_THRESHOLD = 0.5;
export const TOP_K = 5;
