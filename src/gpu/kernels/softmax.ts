// Row-wise softmax over the last axis (a Dense layer's softmax output at inference).
import source from '../../../shaders/softmax.forward.wgsl?raw';
import type { KernelDef } from '../kernel';
import { u32Uniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { shapeString, type GpuTensor } from '../tensor';

const WG = 64;

export const softmaxKernel: KernelDef = {
  name: 'softmax.forward',
  source: withCommon(source),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

export async function prepareSoftmax(rt: GpuRuntime, x: GpuTensor, y: GpuTensor): Promise<Dispatch> {
  const cols = x.shape[x.shape.length - 1];
  if (x.size !== y.size || y.shape[y.shape.length - 1] !== cols || !(cols > 0)) {
    throw new Error(`softmax: x ${shapeString(x.shape)} and y ${shapeString(y.shape)} must have the same non-empty shape`);
  }
  const rows = x.size / cols;
  return rt.prepare(softmaxKernel, [x, y], u32Uniforms(rows, cols), rt.grid(rows, WG));
}
