// The memory plan shares buffers only between values whose lifetimes do not overlap, and saves
// most of the memory of a training step.
import { expect, it } from 'vitest';
import { resetNameScope } from '../naming';
import { seedCnn } from '../examples';
import { planMemory } from './memoryPlan';
import { buildProgram, paramLayout } from './plan';

it('seed CNN at batch 64: no slot holds two live values, and training and inference need less than one buffer per value', () => {
  resetNameScope();
  const m = seedCnn();
  const program = buildProgram(m, paramLayout(m), { batch: 64, training: true, losses: [{ kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: true }] });
  const plan = planMemory(program);
  // Lifetimes recomputed independently: every instruction's value fields, by JSON scan of ids.
  const span = new Map<number, [number, number]>();
  const use = (id: number, at: number) => {
    const v = program.values[id];
    if (v.kind === 'param' || v.kind === 'paramGrad') return;
    const s = v.storage;
    const [a, b] = span.get(s) ?? [at, at];
    span.set(s, [Math.min(a, at), Math.max(b, at)]);
  };
  [...program.inputs, ...program.targets].forEach((id) => use(id, -1));
  program.instrs.forEach((ins, at) => {
    for (const [k, v] of Object.entries(ins)) if (typeof v === 'number' && /^(x|w|b|y|a|c|dx|dy|dw|db|src|dst|argmax|target|probs)$/.test(k)) use(v, at);
  });
  program.outputs.forEach((id) => use(id, program.instrs.length));
  const owners = [...span.keys()];
  for (const a of owners) {
    for (const b of owners) {
      if (a >= b || plan.slotOf.get(a) !== plan.slotOf.get(b)) continue;
      const [s1, e1] = span.get(a)!;
      const [s2, e2] = span.get(b)!;
      expect(e1 < s2 || e2 < s1, `${program.values[a].label} and ${program.values[b].label} share a buffer while both live`).toBe(true);
    }
    const bytes = program.values[a].shape.reduce((x, y) => x * y, 1) * 4;
    expect(plan.slots[plan.slotOf.get(a)!]).toBeGreaterThanOrEqual(bytes);
  }
  const unshared = owners.reduce((t, id) => t + program.values[id].shape.reduce((x, y) => x * y, 1) * 4, 0);
  const shared = plan.slots.reduce((t, b) => t + b, 0);
  // Training keeps forward activations for backward, so sharing saves less than in inference.
  expect(shared).toBeLessThan(0.8 * unshared);
  const inference = buildProgram(m, paramLayout(m), { batch: 64, training: false });
  const inferencePlan = planMemory(inference);
  const inferenceOwners = inference.values.filter((v) => v.kind !== 'param' && v.storage === v.id);
  const inferenceUnshared = inferenceOwners.reduce((t, v) => t + v.shape.reduce((x, y) => x * y, 1) * 4, 0);
  expect(inferencePlan.slots.reduce((t, b) => t + b, 0)).toBeLessThan(0.7 * inferenceUnshared);
});
