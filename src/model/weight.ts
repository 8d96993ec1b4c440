// A layer's weight: its structure (name, shape, initializer) at once, its values when first read.

import { initialize, type Initializer } from './initializers.ts';
import type { Constraint, Regularizer } from './regularizers.ts';
import { Random } from './random.ts';
import { LIMITS, fail, shapeText } from './validate.ts';
import { shapeSize } from '../ops/shapes.ts';

/** addWeight's options beyond name, shape and initializer. */
export interface WeightOptions {
  trainable?: boolean;
  regularizer?: Regularizer;
  constraint?: Constraint;
}

/**
 * One weight of a layer. Its structure (name, shape, size) is free: the values are allocated and
 * drawn from the initializer when something first reads them (training, evaluation, prediction,
 * loading, getWeights), so a model's summary, diagram and JSON never hold its weights. Each
 * weight takes its own seed when it is declared, so the values do not depend on which weight is
 * read first.
 */
export class LayerWeight {
  /** Keras's weight name: "kernel" or "bias". */
  readonly name: string;
  readonly shape: number[];
  readonly size: number;
  readonly initializer: Initializer;
  /** Trained iff this and the layer's trainable are true (Keras's add_weight(trainable=...)). */
  trainable: boolean;
  /** A penalty added to the loss while the weight is trained (Keras's add_weight(regularizer=...)). */
  readonly regularizer: Regularizer;
  /** A projection applied after each update. */
  readonly constraint: Constraint;
  private data: Float32Array | undefined;

  constructor(
    private readonly where: string,
    spec: { name: string; shape: number[]; initializer: Initializer; trainable: boolean; regularizer?: Regularizer; constraint?: Constraint },
    private seed: number,
  ) {
    this.name = spec.name;
    this.shape = spec.shape;
    this.size = shapeSize(spec.shape);
    this.initializer = spec.initializer;
    this.trainable = spec.trainable;
    this.regularizer = spec.regularizer ?? null;
    this.constraint = spec.constraint ?? null;
  }

  /** Whether the values exist yet. */
  get allocated(): boolean {
    return this.data !== undefined;
  }

  get values(): Float32Array {
    if (!this.data) {
      const data = allocate(this.where, this.name, this.shape, this.size);
      initialize(this.initializer, this.shape, data, new Random(this.seed));
      this.data = data;
    }
    return this.data;
  }

  /** Draws the values again from the initializer, seeded by `rng` (model seeds). */
  reinitialize(rng: Random): void {
    this.seed = rng.nextUint32();
    if (this.data) initialize(this.initializer, this.shape, this.data, new Random(this.seed));
  }
}

const MIB = 1024 * 1024;

/** A weight's array, or an error naming the weight, its size and the limit it passed. */
function allocate(where: string, name: string, shape: number[], size: number): Float32Array {
  const need = `weight "${name}" of shape ${shapeText(shape)} needs ${size.toLocaleString('en-US')} values (${Math.ceil((size * 4) / MIB)} MiB)`;
  if (size > LIMITS.maxWeightElements) {
    fail(where, `${need}, more than the ${(LIMITS.maxWeightElements * 4) / MIB} MiB one weight may take here. Its summary and JSON need no weights; to train it, use fewer units/filters or a smaller input.`);
  }
  try {
    return new Float32Array(size);
  } catch (error) {
    return fail(where, `${need}, which this browser or Node could not allocate (${(error as Error).message}). Close other tabs or use a smaller model.`);
  }
}
