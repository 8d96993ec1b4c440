// Rewrites of a Program that only the WebGPU engine makes (GpuEngine.compile), where a fused
// kernel measured faster on the GPU than the two it replaces.
import { canFuseConvPool } from '../../gpu/kernels/conv2dPool';
import { compactValues } from './compact';
import { valuesOf, type Instr, type InstrOf, type Program, type ValueId } from './program';

/**
 * In inference, a conv2d whose output only a 2x2 stride-2 valid max pool reads becomes one
 * conv2dMaxPool (the narrow conv kernel pooling its 2x2 windows in registers): the conv's output,
 * four times the pooled size, is never stored. Measured on SwiftShader, the seed CNN's predict
 * step at batch 128: both convs fused 400-412 ms, the first only 423-473 ms (the second's tuned
 * kernel plus the pool), neither 450-550 ms. The fused kernel is not tuned (one variant).
 */
export function fuseConvPool(program: Program): Program {
  if (program.training) return program;
  const readers = new Map<ValueId, Instr[]>();
  for (const ins of program.instrs) for (const v of valuesOf(ins)) readers.set(v, [...(readers.get(v) ?? []), ins]);
  const fused = new Map<Instr, Instr>();
  const dropped = new Set<Instr>();
  for (const conv of program.instrs) {
    if (conv.op !== 'conv2d' || program.outputs.includes(conv.y)) continue;
    const users = (readers.get(conv.y) ?? []).filter((r) => r !== conv);
    const pool = users[0];
    if (users.length !== 1 || pool.op !== 'maxPool' || pool.argmax !== null || !canFuseConvPool(conv.kShape[3], pool.geom)) continue;
    // Nothing else may view the conv's output (an alias shares its storage).
    if (program.values.some((v) => v.id !== conv.y && v.storage === program.values[conv.y].storage)) continue;
    const { x, w, b, xShape, kShape, geom, activation } = conv;
    const merged: InstrOf<'conv2dMaxPool'> = { op: 'conv2dMaxPool', x, w, b, y: pool.y, xShape, kShape, geom, pool: pool.geom, activation };
    fused.set(conv, merged);
    dropped.add(pool);
  }
  if (fused.size === 0) return program;
  const instrs = program.instrs.filter((ins) => !dropped.has(ins)).map((ins) => fused.get(ins) ?? ins);
  return compactValues({ ...program, instrs });
}
