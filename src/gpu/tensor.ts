// A GPU tensor: a storage buffer plus its shape. float32 for activations and weights, uint32 for
// labels and packed bytes. Buffers come from the runtime's pool and go back to it on release.

export type DType = 'float32' | 'uint32';

export interface GpuTensor {
  readonly buffer: GPUBuffer;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Number of elements (product of the shape). */
  readonly size: number;
  /** Byte offset into `buffer` when the tensor is a view into a packed buffer (a multiple of 256). */
  readonly offset?: number;
}

/** A view of `size` elements at `byteOffset` of a packed tensor (e.g. one layer's weights). */
export function view(base: GpuTensor, byteOffset: number, shape: readonly number[]): GpuTensor {
  const size = sizeOf(shape);
  const start = (base.offset ?? 0) + byteOffset;
  if (start % 256 !== 0) throw new RangeError(`view offset ${start} is not a multiple of 256 bytes (WebGPU binding alignment)`);
  if (byteOffset + size * 4 > base.size * 4) throw new RangeError(`view of ${size} elements at byte ${byteOffset} overruns a tensor of ${base.size}`);
  return { buffer: base.buffer, shape: [...shape], dtype: base.dtype, size, offset: start };
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeString(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Throws `op: what has shape [..], expected [..]` unless t has exactly the expected shape. */
export function checkShape(op: string, what: string, t: GpuTensor, expected: readonly number[]): void {
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${op}: ${what} has shape ${shapeString(t.shape)}, expected ${shapeString(expected)}`);
  }
}

/** Throws unless t holds as many elements as `expected` (views of another shape are fine). */
export function checkSize(op: string, what: string, t: GpuTensor, expected: readonly number[]): void {
  if (t.size !== sizeOf(expected)) throw new Error(`${op}: ${what} has shape ${shapeString(t.shape)}, expected ${shapeString(expected)} elements`);
}
