// The learning rate on the host: a fixed rate that callbacks may change (ReduceLROnPlateau,
// LearningRateScheduler), or a schedule evaluated at the optimizer's iteration count, as Keras's
// optimizer.learning_rate. Engines ask it for each step's rate and pass that to the update.
import type { OptimizerConfig } from '../../ops/optimizers';
import { scheduleValue } from '../../ops/schedules';
import type { Segment } from '../../ops/reference/gradientClip';
import type { ParamLayout } from './program';

export class LearningRate {
  private value: number;

  constructor(private readonly config: OptimizerConfig) {
    this.value = config.learningRate;
  }

  /** The rate of the step after `iterations` completed steps. */
  at(iterations: number): number {
    return this.config.schedule ? scheduleValue(this.config.schedule, iterations) : this.value;
  }

  set(lr: number): void {
    if (this.config.schedule) {
      throw new Error(`The optimizer's learning rate follows a ${this.config.schedule.className} schedule and cannot be set; compile with a number as learningRate to change it from a callback.`);
    }
    if (!Number.isFinite(lr) || lr < 0) throw new Error(`The learning rate must be a number >= 0, got ${lr}.`);
    this.value = lr;
  }
}

/** The trainable weights of a layout: what clipping and weight decay act on. */
export function trainableSegments(layout: ParamLayout): Segment[] {
  return layout.entries.filter((e) => e.trainable).map((e) => ({ offset: e.offset, size: e.size }));
}
