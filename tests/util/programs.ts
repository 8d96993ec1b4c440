// Hand-built Programs for executor tests that no layer produces yet (shared by the vitest and the
// WebGPU tests).
import type { ParamLayout, Program } from '../../src/model/train/program';

/** x [2, 3] from the data; state: a non-trainable [6] weight at offset 64, after a trainable one. */
export function movingAverageProgram(momentum: number, update: boolean): { program: Program; layout: ParamLayout } {
  const layout: ParamLayout = {
    entries: [
      { layer: 'other', weight: 'kernel', index: 0, shape: [5], offset: 0, size: 5, trainable: true },
      { layer: 'bn', weight: 'moving_mean', index: 0, shape: [6], offset: 64, size: 6, trainable: false },
    ],
    size: 128,
  };
  const program: Program = {
    batch: 2,
    training: true,
    update,
    values: [
      { id: 0, kind: 'input', shape: [2, 3], dtype: 'float32', storage: 0, label: 'x' },
      { id: 1, kind: 'param', shape: [6], dtype: 'float32', storage: 1, offset: 64, label: 'bn/moving_mean' },
      { id: 2, kind: 'activation', shape: [2, 3], dtype: 'float32', storage: 2, label: 'x squared' },
    ],
    instrs: [
      { op: 'add', a: 0, b: 0, y: 2 },
      { op: 'movingAverage', x: 2, state: 1, momentum },
    ],
    inputs: [0],
    outputs: [],
    targets: [],
    metrics: { outputs: [], samplesSlot: 0, regularizationSlot: null, count: 1 },
    constraints: [],
  };
  return { program, layout };
}
