// The CPU engine's rules for the normalization instructions (reference ops in batchNorm.ts).
import { moments, normalize, normalizeGradInput, normalizeGradSums, type NormStats } from '../../ops/reference/batchNorm';
import type { Memory, Rule } from './cpuRules';
import type { ValueId } from './program';

const f32 = (mem: Memory, id: number) => mem[id] as Float32Array;
const orNull = (mem: Memory, id: ValueId | null) => (id === null ? null : f32(mem, id));

function stats(i: { mean: ValueId; variance: ValueId; epsilon: number; floor: boolean }, m: Memory): NormStats {
  return { mean: f32(m, i.mean), variance: f32(m, i.variance), epsilon: i.epsilon, floor: i.floor };
}

type NormalizeOp = 'moments' | 'normalize' | 'normalizeGradSums' | 'normalizeGradInput' | 'normalizeConstant';

export const NORMALIZE_RULES: { [K in NormalizeOp]: Rule<K> } = {
  moments: (i, m) => {
    const r = moments(f32(m, i.x), i.channels);
    f32(m, i.mean).set(r.mean);
    f32(m, i.variance).set(r.variance);
  },
  normalize: (i, m) => f32(m, i.y).set(normalize(f32(m, i.x), stats(i, m), orNull(m, i.gamma), orNull(m, i.beta))),
  normalizeGradSums: (i, m) => f32(m, i.sums).set(normalizeGradSums(f32(m, i.dy), f32(m, i.x), stats(i, m))),
  normalizeGradInput: (i, m) =>
    f32(m, i.dx).set(normalizeGradInput(f32(m, i.dy), f32(m, i.x), stats(i, m), orNull(m, i.gamma), orNull(m, i.sums))),
  normalizeConstant: (i, m) => {
    const s = { mean: Float32Array.from(i.mean), variance: Float32Array.from(i.variance), epsilon: i.epsilon, floor: true };
    f32(m, i.y).set(normalize(f32(m, i.x), s, null, null));
  },
};
