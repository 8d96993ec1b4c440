// Gradient clipping and weight decay over the trainable weights of a packed buffer (Keras 3
// base_optimizer: clipnorm, global_clipnorm, clipvalue, then w -= w * wd * lr). The weights are
// cut into chunks of at most CHUNK elements, one workgroup each: clip.sumsq sums each chunk's
// squares, clip.scale adds the partials of a weight (or of all) and scales its chunk.
import sumsqSource from '../../../shaders/clip.sumsq.wgsl?raw';
import scaleSource from '../../../shaders/clip.scale.wgsl?raw';
import decaySource from '../../../shaders/weight_decay.wgsl?raw';
import type { KernelDef } from '../kernel';
import { packUniforms } from '../kernel';
import type { Dispatch, GpuRuntime } from '../runtime';
import type { GpuTensor } from '../tensor';

const WG = 256;
/** Elements per chunk: 8 per thread of a workgroup. */
export const CHUNK = WG * 8;

export const clipSumsqKernel: KernelDef = { name: 'clip.sumsq', source: sumsqSource, bindings: ['read', 'read', 'storage', 'uniform'], constants: { WG } };
export const clipScaleKernel: KernelDef = { name: 'clip.scale', source: scaleSource, bindings: ['storage', 'read', 'read', 'uniform'], constants: { WG } };
export const weightDecayKernel: KernelDef = { name: 'weight_decay', source: decaySource, bindings: ['storage', 'read', 'uniform'], constants: { WG } };

export type ClipMode = 'clipnorm' | 'globalClipnorm' | 'clipvalue';
const MODE_CODES: Record<ClipMode, number> = { clipnorm: 1, globalClipnorm: 2, clipvalue: 3 };

/** Chunks (start, end, first chunk of the weight, its chunk count) of the weights [offset, offset + size). */
export function clipChunks(segments: readonly { offset: number; size: number }[]): Uint32Array {
  const out: number[] = [];
  for (const s of segments) {
    const first = out.length / 4;
    const count = Math.max(1, Math.ceil(s.size / CHUNK));
    for (let c = 0; c < count; c++) out.push(s.offset + c * CHUNK, s.offset + Math.min(s.size, (c + 1) * CHUNK), first, count);
  }
  return Uint32Array.from(out);
}

/**
 * Clips g in place. chunks: clipChunks(...) uploaded as uint32; partial: one float per chunk.
 * Two dispatches (clipvalue needs only the second, but both keep one shape).
 */
export async function prepareClip(rt: GpuRuntime, g: GpuTensor, chunks: GpuTensor, partial: GpuTensor, mode: ClipMode, clip: number): Promise<Dispatch[]> {
  const count = chunks.size / 4;
  if (chunks.dtype !== 'uint32' || partial.size < count) throw new Error(`clip: chunks must be uint32 (4 words a chunk) and partial hold ${count} floats`);
  if (!(clip > 0)) throw new Error(`clip: ${mode} must be > 0, got ${clip}`);
  const grid = rt.grid(count, 1);
  const scale = rt.prepare(clipScaleKernel, [g, chunks, partial], packUniforms([['u32', count], ['u32', MODE_CODES[mode]], ['f32', clip]]), grid);
  if (mode === 'clipvalue') return [await scale];
  return [await rt.prepare(clipSumsqKernel, [g, chunks, partial], packUniforms([['u32', count]]), grid), await scale];
}

export function weightDecayUniforms(chunkCount: number, weightDecay: number, lr: number): ArrayBuffer {
  return packUniforms([
    ['u32', chunkCount],
    ['f32', weightDecay],
    ['f32', lr],
  ]);
}

/** w -= w * weightDecay * lr over the chunks; the uniforms are rewritten when lr changes. */
export function prepareWeightDecay(rt: GpuRuntime, w: GpuTensor, chunks: GpuTensor, weightDecay: number, lr: number): Promise<Dispatch> {
  const count = chunks.size / 4;
  return rt.prepare(weightDecayKernel, [w, chunks], weightDecayUniforms(count, weightDecay, lr), rt.grid(count, 1));
}
