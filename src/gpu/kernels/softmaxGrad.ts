// Backward of a row-wise softmax over the last axis, from its output (shaders/softmax.backward.wgsl):
// used where a softmax output feeds other layers or a loss other than cross-entropy.
import source from '../../../shaders/softmax.backward.wgsl?raw';
import { u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';

const WG = 64;

export const softmaxGradKernel: KernelDef = {
  name: 'softmax.backward',
  source: withCommon(source),
  bindings: ['read', 'read', 'storage', 'uniform'],
  constants: { WG },
};

export function prepareSoftmaxGrad(rt: GpuRuntime, dy: GpuTensor, y: GpuTensor, dx: GpuTensor): Promise<Dispatch> {
  const cols = y.shape[y.shape.length - 1];
  if (dy.size !== y.size || dx.size !== y.size || !(cols > 0)) {
    throw new Error(`softmax.backward: dy ${shapeString(dy.shape)}, y ${shapeString(y.shape)} and dx ${shapeString(dx.shape)} must have one non-empty size`);
  }
  const rows = y.size / cols;
  return rt.prepare(softmaxGradKernel, [dy, y, dx], u32Uniforms(rows, cols), rt.grid(rows, WG));
}
