// Rewrites of the program once the backward walk (backward.ts) has run.
import { gradFromInput } from '../../ops/activations';
import type { Instr, InstrOf, ValueId } from './program';
import { valuesOf } from './program';
import type { Builder } from './planBuilder';

/**
 * conv2d(+activation) -> MaxPooling2D: the activation's gradient moves before the pool's.
 *
 * The pool routes each window's gradient to its winner, whose activated value is the window's
 * output: act'(y[winner]) = act'(pooled y). So dZ = poolGrad(dPool) * act'(y) equals
 * poolGrad(dPool * act'(pooled y)), for any activation differentiated from its output. The
 * activation's gradient then runs on the pooled tensor (a quarter of the elements for 2x2 pools),
 * and so does the bias gradient: every window's gradient lands on exactly one cell, so the column
 * sums agree. Only the pool's own scatter still writes the full-size tensor.
 */
/** A max pool's argmax is written only where a backward instruction reads it (not in inference). */
export function dropUnreadArgmax(b: Builder): void {
  const read = new Set(b.backward.flatMap((ins) => (ins.op === 'maxPoolGrad' ? [ins.argmax] : [])));
  for (const ins of b.tape) if (ins.op === 'maxPool' && ins.argmax !== null && !read.has(ins.argmax)) ins.argmax = null;
}

export function activationGradBeforePool(b: Builder): void {
  const pools = new Map<ValueId, InstrOf<'maxPool'>>();
  for (const ins of b.tape) if (ins.op === 'maxPool' && ins.argmax !== null) pools.set(ins.argmax, ins);
  const readers = new Map<ValueId, Instr[]>();
  for (const ins of b.backward) {
    for (const v of valuesOf(ins)) readers.set(v, [...(readers.get(v) ?? []), ins]);
  }
  const code = b.backward;
  for (let i = 0; i < code.length; i++) {
    const poolGrad = code[i];
    if (poolGrad.op !== 'maxPoolGrad') continue;
    const pool = pools.get(poolGrad.argmax);
    const users = (readers.get(poolGrad.dx) ?? []).filter((r) => r !== poolGrad);
    const actGrad = users[0];
    if (!pool || users.length !== 1 || actGrad.op !== 'activationGrad' || actGrad.dy !== poolGrad.dx) continue;
    if (gradFromInput(actGrad.kind) || actGrad.y !== pool.x) continue;
    const dz = actGrad.dx;
    const pooled = b.value('grad', [...b.shapeOf(poolGrad.dy)], `${b.values[dz].label} (pooled)`);
    const j = code.indexOf(actGrad);
    code[i] = { op: 'activationGrad', dy: poolGrad.dy, y: pool.y, dx: pooled, kind: actGrad.kind };
    code[j] = { ...poolGrad, dy: pooled, dx: dz };
    for (const r of readers.get(dz) ?? []) if (r.op === 'biasGrad' && r.dy === dz) r.dy = pooled;
  }
}
