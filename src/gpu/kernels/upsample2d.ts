// Nearest-neighbour upsampling of NHWC images (UpSampling2D). See shaders/upsample2d.wgsl.
import source from '../../../shaders/upsample2d.wgsl?raw';
import { u32Uniforms, type KernelDef } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import { withCommon } from '../shaders';
import { checkSize, type GpuTensor } from '../tensor';

const WG = 256;

export const upsample2dKernel: KernelDef = {
  name: 'upsample2d',
  source: withCommon(source),
  bindings: ['read', 'storage', 'uniform'],
  constants: { WG },
};

/** y [N, H * sizeH, W * sizeW, C]: each cell of x [N, H, W, C] repeated as a block. */
export function prepareUpsample2d(rt: GpuRuntime, x: GpuTensor, y: GpuTensor, xShape: readonly number[], size: readonly [number, number]): Promise<Dispatch> {
  const [n, h, w, c] = xShape;
  checkSize('upsample2d', 'x', x, xShape);
  checkSize('upsample2d', 'y', y, [n, h * size[0], w * size[1], c]);
  return rt.prepare(upsample2dKernel, [x, y], u32Uniforms(y.size, h, w, c, size[0], size[1]), rt.grid(y.size, WG));
}
