// The backward pass of a training Program, built like a tape: the losses seed the gradients of
// what they read, then the forward instructions are walked in reverse, each handing the summed
// gradient of the value it wrote to its op's rule (gradRules.ts). A shared layer's weight
// gradients are summed over its calls and land in the packed gradient buffer.
import { GRAD_RULES, softmaxError, type ForwardOp, type GradContext, type GradRule } from './gradRules';
import type { Builder, Origin, TapeInstr } from './planBuilder';
import type { ParamLayout, ValueId } from './program';

const isForward = (ins: TapeInstr): ins is TapeInstr & { op: ForwardOp } => ins.op in GRAD_RULES;
const ruleOf = (ins: TapeInstr & { op: ForwardOp }) => GRAD_RULES[ins.op] as GradRule<ForwardOp>;

function context(b: Builder, origin: Origin): GradContext {
  return {
    origin,
    needsGrad: (v) => b.needsGrad.has(v),
    shapeOf: (v) => b.shapeOf(v),
    grad: (shape, role) => b.value('grad', shape, `d ${origin.name} ${role}`),
    alias: (of, shape, role) => b.alias(of, shape, `d ${origin.name} ${role}`),
    emit: (ins) => b.backward.push(ins),
    addGrad: (x, dx) => b.addGrad(x, dx),
    weightGrad: (param) => {
      const g = b.value('grad', [...b.shapeOf(param)], `d ${b.values[param].label}`);
      b.addWeightGrad(param, g);
      return g;
    },
  };
}

/**
 * The forward instructions grouped by the value they write, in order: a value written by several
 * instructions (the column copies of a concatenation, each writing its own columns) is one group,
 * whose members are independent and take their gradients in program order.
 */
function writeGroups(tape: readonly TapeInstr[]): (TapeInstr & { op: ForwardOp })[][] {
  const groups: (TapeInstr & { op: ForwardOp })[][] = [];
  let last: ValueId | null = null;
  for (const ins of tape) {
    if (!isForward(ins)) continue;
    const out = ruleOf(ins).out(ins as never);
    if (out !== null && out === last) groups[groups.length - 1].push(ins);
    else groups.push([ins]);
    last = out;
  }
  return groups;
}

export function buildBackward(b: Builder, layout: ParamLayout): void {
  for (const ins of b.tape) if (ins.op === 'loss' && ins.dy !== null) b.addGrad(ins.y, ins.dy);
  const groups = writeGroups(b.tape);
  for (let k = groups.length - 1; k >= 0; k--) {
    const group = groups[k];
    const out = ruleOf(group[0]).out(group[0] as never);
    if (out === null) continue;
    const origin = b.origin.get(group[0])!;
    const dy = b.sum(b.gradParts.get(out) ?? [], `d ${origin.name}`);
    if (dy === null) continue;
    for (const ins of group) ruleOf(ins).grad(ins as never, dy, context(b, b.origin.get(ins)!));
  }
  // Probabilities a fused loss writes have no gradient rule: nothing may need their gradient.
  for (const ins of b.tape) {
    if (ins.op === 'loss' && ins.probs !== null && (b.gradParts.get(ins.probs)?.length ?? 0) > 0) throw softmaxError(b.origin.get(ins)!.where);
  }
  for (const e of layout.entries) {
    if (!e.trainable) continue;
    const parts = b.weightGradParts.get(e.offset) ?? [];
    if (parts.length === 0) continue;
    // The single contribution, or the last add of their sum, writes into the packed gradients.
    const total = b.sum(parts, `d ${e.layer}/${e.weight}`)!;
    const v = b.values[total];
    v.kind = 'paramGrad';
    v.offset = e.offset;
    // A weight read through a view of another shape (Conv1D's kernel as [1, k, C, F]) keeps the view's shape.
    if (v.shape.reduce((a, d) => a * d, 1) !== e.size) v.shape = [...e.shape];
    v.storage = total;
  }
}
