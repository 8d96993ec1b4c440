// Counter-based random numbers shared bit-for-bit by the GPU (shaders/dropout.*.wgsl) and the CPU:
// a value is a pure function of (seed, step, element index), so a mask can be recomputed in
// backward instead of stored, and any step can be reproduced on the CPU.
// The mixer is the PCG "RXS-M-XS" output hash (Jarzynski & Olano, "Hash Functions for GPU
// Rendering", JCGT 2020), a bijection on u32 with good avalanche for its cost.

/** PCG hash of a u32; mirrors `pcg_hash` in the dropout shaders. */
export function pcgHash(x: number): number {
  const state = (Math.imul(x >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** The u32 for element `index` at (seed, step): three chained hashes. */
export function counterHash(seed: number, step: number, index: number): number {
  const h = pcgHash(seed);
  const hs = pcgHash((h ^ step) >>> 0);
  return pcgHash((hs ^ index) >>> 0);
}

/** Uniform in [0, 1) with 24 random bits, exactly representable in float32. */
export function counterUniform(seed: number, step: number, index: number): number {
  return (counterHash(seed, step, index) >>> 8) / 16777216;
}
