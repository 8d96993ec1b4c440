// The benchmark workloads and the seeded inputs every contender trains on. Shared by the Node
// driver (scripts/bench.ts) and the page (bench/main.ts).
import type { SetupOptions } from './contender';

export interface Workload extends SetupOptions {
  /** Stable id, used by `--filter` and in the results: 'seed-cnn/train/b32'. */
  id: string;
}

function workload(model: Workload['model'], mode: Workload['mode'], batch: number): Workload {
  return { id: `${model}/${mode}/b${batch}`, model, mode, batch };
}

export const WORKLOADS: Workload[] = [
  workload('seed-cnn', 'train', 32),
  workload('seed-cnn', 'train', 128),
  workload('seed-cnn', 'train', 256),
  workload('seed-cnn', 'predict', 128),
  workload('seed-cnn', 'predict', 1024),
  workload('branched', 'train', 256),
];

/** mulberry32: a tiny seeded generator, so every contender sees the same inputs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CnnBatch {
  x: Float32Array<ArrayBuffer>; // [B, 28, 28, 1] in [0, 1), the same numbers for NCHW since C = 1
  labels: Int32Array<ArrayBuffer>; // [B] in 0..9
}

export function cnnBatch(batch: number, seed = 1): CnnBatch {
  const rand = seededRandom(seed);
  const x = Float32Array.from({ length: batch * 28 * 28 }, rand);
  const labels = Int32Array.from({ length: batch }, () => Math.floor(rand() * 10));
  return { x, labels };
}

export interface BranchedBatch {
  x: Float32Array<ArrayBuffer>; // [B, 3]
  y1: Float32Array<ArrayBuffer>; // [B, 1]
  y2: Float32Array<ArrayBuffer>; // [B, 1]
}

export function branchedBatch(batch: number, seed = 2): BranchedBatch {
  const rand = seededRandom(seed);
  const x = Float32Array.from({ length: batch * 3 }, () => rand() * 2 - 1);
  const y1 = Float32Array.from({ length: batch }, rand);
  const y2 = Float32Array.from({ length: batch }, rand);
  return { x, y1, y2 };
}
