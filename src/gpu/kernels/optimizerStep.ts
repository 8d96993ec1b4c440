// The per-step optimizer state (Keras `iterations`, Adam's beta powers and alpha) lives on the
// GPU in a 4-word uint32 tensor, advanced by one 1-thread dispatch recorded before the weight
// updates, so a whole recorded training step replays with no CPU writes. Its word 0 is also
// the step counter dropout reads. Shared checks of the update kernels' tensors live here too.
import source from '../../../shaders/optimizer.step.wgsl?raw';
import type { KernelDef } from '../kernel';
import { packUniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { shapeString, type GpuTensor } from '../tensor';

/** Words in the state tensor: iterations (u32), beta1^t, beta2^t, alpha (f32 bits). */
export const OPTIMIZER_STATE_WORDS = 4;

export const optimizerStepKernel: KernelDef = {
  name: 'optimizer.step',
  source,
  bindings: ['storage', 'uniform'],
};

export interface StepParams {
  learningRate: number;
  /** Adam's betas; leave out (0) for SGD and RMSprop, which only count iterations. */
  beta1?: number;
  beta2?: number;
  /** Nadam's mode: the state words hold u_product, beta2^t and 0.96^t (see optimizer.step.wgsl). */
  nadam?: boolean;
}

/** Allocate `state` with rt.tensor([OPTIMIZER_STATE_WORDS], 'uint32') and zero it: a fresh optimizer. */
export function prepareOptimizerStep(rt: GpuRuntime, state: GpuTensor, p: StepParams): Promise<Dispatch> {
  if (state.dtype !== 'uint32' || state.size !== OPTIMIZER_STATE_WORDS) {
    throw new Error(`optimizer.step: state must be a uint32 tensor of ${OPTIMIZER_STATE_WORDS} words, got ${state.dtype} ${shapeString(state.shape)}`);
  }
  return rt.prepare(optimizerStepKernel, [state], optimizerStepUniforms(p), [1, 1, 1]);
}

/** The step's uniforms; rewritten with rt.setUniforms when the learning rate changes. */
export function optimizerStepUniforms(p: StepParams): ArrayBuffer {
  return packUniforms([
    ['f32', p.learningRate],
    ['f32', p.beta1 ?? 0],
    ['f32', p.beta2 ?? 0],
    ['u32', p.nadam ? 1 : 0],
  ]);
}

/** Reads the state back (tests, checkpoints): the u32 counter and the f32 words. */
export async function readOptimizerState(rt: GpuRuntime, state: GpuTensor & { dtype: 'uint32' }) {
  const words = await rt.read(state);
  const floats = new Float32Array(words.buffer);
  return { iterations: words[0], beta1Power: floats[1], beta2Power: floats[2], alpha: floats[3] };
}

/** Weights, gradient and slots of one update: float32, sizes n, n and slotCount * n. */
export function checkUpdateTensors(op: string, w: GpuTensor, g: GpuTensor, slots: GpuTensor | null, slotCount: number): void {
  if ([w, g, slots].some((t) => t && t.dtype !== 'float32')) throw new Error(`${op}: weights, gradient and slots must be float32`);
  if (g.size !== w.size) {
    throw new Error(`${op}: gradient ${shapeString(g.shape)} does not match weights ${shapeString(w.shape)}`);
  }
  const slotSize = slots ? slots.size : 0;
  if (slotSize !== slotCount * w.size) {
    throw new Error(`${op}: slots hold ${slotSize} elements, expected ${slotCount} x ${w.size} (see the *Slots functions in ops/optimizers)`);
  }
}

/** The update kernels that read the per-step state check it is the optimizer.step tensor. */
export function checkState(op: string, state: GpuTensor): void {
  if (state.dtype !== 'uint32' || state.size !== OPTIMIZER_STATE_WORDS) throw new Error(`${op}: state must be the optimizer.step state tensor`);
}
