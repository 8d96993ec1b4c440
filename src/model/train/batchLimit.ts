// Whether a program's buffers fit a device's limits, and the largest batch that would. Engines
// call it before allocating, so a batch too large for the adapter is refused with the limit and
// the batch to use instead, never met as a WebGPU validation error halfway through a compile.
import type { Program, Value } from './program';

export class BatchTooLargeError extends Error {
  override name = 'BatchTooLargeError';
  constructor(
    message: string,
    /** The largest batch whose buffers fit (0 when none does). */
    readonly largestBatch: number,
  ) {
    super(message);
  }
}

const bytesOf = (v: Value): number => v.shape.reduce((a, b) => a * b, 1) * 4;

/** Values with their own memory whose size grows with the batch (activations, gradients, inputs). */
function perSample(program: Program): { value: Value; bytes: number }[] {
  return program.values
    .filter((v) => v.storage === v.id && v.kind !== 'param' && v.kind !== 'paramGrad' && v.shape[0] === program.batch)
    .map((value) => ({ value, bytes: bytesOf(value) / program.batch }));
}

/** Throws BatchTooLargeError when a buffer of `program` exceeds `maxBufferBytes` (the binding/buffer size limit). */
export function checkBatchFits(program: Program, maxBufferBytes: number, limitName: string): void {
  const scaled = perSample(program);
  const over = scaled.find((s) => s.bytes * program.batch > maxBufferBytes);
  if (!over) return;
  const largest = Math.min(...scaled.map((s) => Math.floor(maxBufferBytes / s.bytes)));
  const advice = largest > 0 ? `The largest batch that fits is ${largest}.` : 'No batch size fits: make the layer smaller.';
  throw new BatchTooLargeError(
    `A batch of ${program.batch} is too large for this GPU: "${over.value.label}" needs ${over.bytes * program.batch} bytes, ` +
      `over the adapter's ${limitName} of ${maxBufferBytes} bytes. ${advice}`,
    largest,
  );
}
