// A GPU tensor: a storage buffer plus its shape. float32 for activations and weights, uint32 for
// labels and packed bytes. Buffers come from the runtime's pool and go back to it on release.

export type DType = 'float32' | 'uint32';

export interface GpuTensor {
  readonly buffer: GPUBuffer;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Number of elements (product of the shape). */
  readonly size: number;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeString(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
