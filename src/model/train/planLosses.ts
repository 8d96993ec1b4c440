// The checks a loss makes of the output it reads, and the metric instructions of one output
// (plan.ts's addLosses calls both). Metric names resolve as Keras's compile resolves them.
import type { Builder, Origin } from './planBuilder';
import type { OutputLoss } from './plan';
import type { MetricSlots, ValueId } from './program';
import { resolveMetric } from './lossConfig';

/**
 * Cross-entropies without from_logits fuse with the softmax that produced the output (one stable
 * kernel), so they need one; with from_logits they read logits, so a softmax output is refused
 * (Keras would apply a second softmax, and the executor has no softmax backward on its own).
 */
export function checkLossInput(b: Builder, loss: OutputLoss, output: ValueId, origin: Origin): void {
  const crossEntropy = loss.kind === 'sparse_categorical_crossentropy' || loss.kind === 'categorical_crossentropy';
  if (!crossEntropy) return;
  const softmax = b.tape.some((ins) => ins.op === 'softmax' && ins.y === output);
  if (loss.options?.fromLogits && softmax) {
    throw new Error(`${origin.where}: ${loss.kind} with from_logits=True reads logits, but "${origin.name}" applies softmax; use activation 'linear' on "${origin.name}", or from_logits=False.`);
  }
  if (!loss.options?.fromLogits && !softmax) {
    throw new Error(`${origin.where}: ${loss.kind} needs an output layer with activation 'softmax' (the executor fuses softmax and cross-entropy); add activation: 'softmax' to "${origin.name}", or use the loss with from_logits=True on a linear output.`);
  }
}

/** Emits one instruction per metric of the output; returns the slots by log name. */
export function emitMetrics(b: Builder, loss: OutputLoss, y: ValueId, target: ValueId, metrics: MetricSlots, origin: Origin): { name: string; slot: number }[] {
  const names = loss.metrics ?? (loss.accuracy ? ['accuracy'] : []);
  const shape = b.shapeOf(y);
  const cols = shape[shape.length - 1];
  const rows = shape.reduce((a, d) => a * d, 1) / cols;
  const sparseTargets = loss.kind === 'sparse_categorical_crossentropy';
  return names.map((name) => {
    const kind = resolveMetric(name, sparseTargets, cols);
    const sparseMetric = kind.startsWith('sparse_');
    if (sparseMetric !== sparseTargets) {
      const need = sparseMetric ? 'integer labels (loss sparse_categorical_crossentropy)' : 'targets of the output\'s shape (any loss but sparse_categorical_crossentropy)';
      throw new Error(`output "${origin.name}": the metric ${JSON.stringify(name)} needs ${need}; the loss is ${loss.kind}.`);
    }
    const slot = metrics.count++;
    if (kind === 'sparse_categorical_accuracy') b.emit({ op: 'accuracy', y, target, rows, cols, slot }, origin);
    else b.emit({ op: 'metric', kind, y, target, rows, cols, slot }, origin);
    return { name, slot };
  });
}
