// Liveness-based memory plan for a Program: values whose lifetimes (first write to last read, in
// instruction order) do not overlap share one buffer. Batch inputs and targets are live from
// before the first instruction (the batch gather writes them); model outputs to the end (they are
// read after the run). A buffer freed by an instruction is reused only from the next one, so no
// dispatch ever reads and writes the same buffer.
import { valuesOf, type Program, type ValueId } from './program';

export interface MemoryPlan {
  /** Bytes of each shared buffer. */
  slots: number[];
  /** The slot of every value that owns memory (params and gradients live in the packed buffers). */
  slotOf: Map<ValueId, number>;
}

const bytesOf = (shape: number[]) => Math.max(4, shape.reduce((a, b) => a * b, 1) * 4);

export function planMemory(program: Program): MemoryPlan {
  const { values, instrs } = program;
  const planned = (id: ValueId) => values[id].kind !== 'param' && values[id].kind !== 'paramGrad';
  const first = new Map<ValueId, number>();
  const last = new Map<ValueId, number>();
  const touch = (id: ValueId | null, at: number) => {
    if (id === null || !planned(id)) return;
    const s = values[id].storage;
    if (!first.has(s) || at < first.get(s)!) first.set(s, at);
    if (!last.has(s) || at > last.get(s)!) last.set(s, at);
  };
  for (const id of [...program.inputs, ...program.targets]) touch(id, -1);
  instrs.forEach((ins, at) => {
    for (const id of valuesOf(ins)) touch(id, at);
  });
  for (const id of program.outputs) touch(id, instrs.length);
  // Values no instruction uses (buildProgram leaves none) still get memory of their own.
  for (const v of values) if (planned(v.id) && v.storage === v.id && !first.has(v.id)) touch(v.id, instrs.length);

  const owners = [...first.keys()].sort((a, b) => first.get(a)! - first.get(b)! || a - b);
  const slots: number[] = [];
  const free = new Set<number>();
  const slotOf = new Map<ValueId, number>();
  const endingAt = new Map<number, ValueId[]>();
  for (const id of owners) {
    const end = last.get(id)!;
    endingAt.set(end, [...(endingAt.get(end) ?? []), id]);
  }
  let next = 0;
  for (let at = -1; at <= instrs.length; at++) {
    for (; next < owners.length && first.get(owners[next]) === at; next++) {
      const id = owners[next];
      const need = bytesOf(values[id].shape);
      // The smallest free slot that fits, else the largest free one (grown), else a new slot.
      let pick = -1;
      for (const s of free) {
        const fits = slots[s] >= need;
        if (pick < 0 || (fits && (slots[pick] < need || slots[s] < slots[pick])) || (!fits && slots[pick] < need && slots[s] > slots[pick])) pick = s;
      }
      if (pick < 0) {
        pick = slots.length;
        slots.push(need);
      } else {
        free.delete(pick);
        slots[pick] = Math.max(slots[pick], need);
      }
      slotOf.set(id, pick);
    }
    for (const id of endingAt.get(at) ?? []) free.add(slotOf.get(id)!);
  }
  return { slots, slotOf };
}
