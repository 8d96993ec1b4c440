// One whole optimizer step on the GPU, recorded once and replayed every training step, in Keras
// 3's order (base_optimizer.apply): optimizer.step (iterations, beta powers), gradient clipping,
// weight decay, then the update of the optimizer's kind. The learning rate is computed on the
// host for every step; setLearningRate rewrites the uniforms that hold it when it changes.
import { optimizerSlots, type OptimizerConfig } from '../ops/optimizers';
import { prepareAdadelta, adadeltaUniforms } from './kernels/adadelta';
import { prepareAdagrad, adagradUniforms } from './kernels/adagrad';
import { prepareAdam } from './kernels/adam';
import { prepareAdamax, adamaxUniforms } from './kernels/adamax';
import { clipChunks, prepareClip, prepareWeightDecay, weightDecayUniforms, type ClipMode } from './kernels/gradientClip';
import { prepareNadam, nadamUniforms } from './kernels/nadam';
import { optimizerStepUniforms, prepareOptimizerStep } from './kernels/optimizerStep';
import { prepareRmsprop, rmspropUniforms } from './kernels/rmsprop';
import { prepareSgd, sgdUniforms } from './kernels/sgd';
import type { Dispatch, GpuRuntime } from './runtime';
import type { GpuTensor } from './tensor';

export interface UpdateTensors {
  params: GpuTensor;
  grads: GpuTensor;
  /** At least optimizerSlots(c) * params.size floats. */
  slots: GpuTensor;
  /** The optimizer.step state. */
  state: GpuTensor;
}

export interface PreparedUpdate {
  dispatches: Dispatch[];
  /** Rewrites the learning rate of the following runs (only the uniforms that hold it). */
  setLearningRate(lr: number): void;
  /** Tensors made here (chunk tables); release them with the dispatches. */
  owned: GpuTensor[];
}

type Packer = (lr: number) => ArrayBuffer;

async function prepareKind(rt: GpuRuntime, t: UpdateTensors, c: OptimizerConfig): Promise<{ dispatch: Dispatch; pack: Packer | null }> {
  const n = t.params.size;
  const k = optimizerSlots(c);
  const slots = k === 0 ? null : { ...t.slots, shape: [k * n], size: k * n };
  switch (c.kind) {
    case 'adam':
    case 'adamw':
      // Adam's learning rate enters through alpha, computed by optimizer.step.
      return { dispatch: await prepareAdam(rt, t.params, t.grads, slots!, t.state, c), pack: null };
    case 'sgd':
      return { dispatch: await prepareSgd(rt, t.params, t.grads, slots, c), pack: (lr) => sgdUniforms(n, { ...c, learningRate: lr }) };
    case 'rmsprop':
      return { dispatch: await prepareRmsprop(rt, t.params, t.grads, slots!, c), pack: (lr) => rmspropUniforms(n, { ...c, learningRate: lr }) };
    case 'adagrad':
      return { dispatch: await prepareAdagrad(rt, t.params, t.grads, slots!, c), pack: (lr) => adagradUniforms(n, { ...c, learningRate: lr }) };
    case 'adadelta':
      return { dispatch: await prepareAdadelta(rt, t.params, t.grads, slots!, c), pack: (lr) => adadeltaUniforms(n, { ...c, learningRate: lr }) };
    case 'adamax':
      return { dispatch: await prepareAdamax(rt, t.params, t.grads, slots!, t.state, c), pack: (lr) => adamaxUniforms(n, { ...c, learningRate: lr }) };
    case 'nadam':
      return { dispatch: await prepareNadam(rt, t.params, t.grads, slots!, t.state, c), pack: (lr) => nadamUniforms(n, { ...c, learningRate: lr }) };
  }
}

function clipMode(c: OptimizerConfig): [ClipMode, number] | null {
  if (c.clipnorm) return ['clipnorm', c.clipnorm];
  if (c.globalClipnorm) return ['globalClipnorm', c.globalClipnorm];
  if (c.clipvalue) return ['clipvalue', c.clipvalue];
  return null;
}

/** segments: the trainable weights [offset, offset + size) of the packed buffers. */
export async function prepareOptimizerUpdate(rt: GpuRuntime, t: UpdateTensors, c: OptimizerConfig, segments: readonly { offset: number; size: number }[]): Promise<PreparedUpdate> {
  const stepParams = { learningRate: c.learningRate, beta1: 'beta1' in c ? c.beta1 : 0, beta2: 'beta2' in c ? c.beta2 : 0, nadam: c.kind === 'nadam' };
  const step = await prepareOptimizerStep(rt, t.state, stepParams);
  const dispatches: Dispatch[] = [step];
  const packers: [Dispatch, Packer][] = [[step, (lr) => optimizerStepUniforms({ ...stepParams, learningRate: lr })]];
  const owned: GpuTensor[] = [];
  const clip = clipMode(c);
  const chunkTable = clipChunks(segments);
  const chunks = (clip || c.weightDecay) && segments.length > 0 ? rt.upload(chunkTable) : null;
  if (chunks) owned.push(chunks);
  if (clip && chunks) {
    const partial = rt.tensor([Math.max(1, chunkTable.length / 4)], 'float32', 'clip partial sums');
    owned.push(partial);
    dispatches.push(...(await prepareClip(rt, t.grads, chunks, partial, clip[0], clip[1])));
  }
  if (c.weightDecay && chunks) {
    const decay = await prepareWeightDecay(rt, t.params, chunks, c.weightDecay, c.learningRate);
    dispatches.push(decay);
    packers.push([decay, (lr) => weightDecayUniforms(chunks.size / 4, c.weightDecay!, lr)]);
  }
  const update = await prepareKind(rt, t, c);
  dispatches.push(update.dispatch);
  if (update.pack) packers.push([update.dispatch, update.pack]);
  return {
    dispatches,
    setLearningRate: (lr) => {
      for (const [d, pack] of packers) rt.setUniforms(d, pack(lr));
    },
    owned,
  };
}
