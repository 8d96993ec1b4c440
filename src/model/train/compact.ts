// Drops the values no instruction, input, output or target names (what fusion passes leave
// behind) and renumbers the rest in order, so every value of a Program is used.
import { VALUE_FIELDS, valuesOf, type Instr, type Program, type ValueId } from './program';

export function compactValues(program: Program): Program {
  const used = new Set<ValueId>([...program.inputs, ...program.outputs, ...program.targets]);
  for (const ins of program.instrs) for (const v of valuesOf(ins)) used.add(v);
  for (const v of [...used]) used.add(program.values[v].storage);
  if (used.size === program.values.length) return program;
  const renumber = new Map<ValueId, ValueId>();
  const values = program.values.filter((v) => used.has(v.id));
  values.forEach((v, k) => renumber.set(v.id, k));
  const id = (v: ValueId) => renumber.get(v)!;
  return {
    ...program,
    values: values.map((v) => ({ ...v, id: id(v.id), storage: id(v.storage) })),
    instrs: program.instrs.map((ins) => renumberInstr(ins, id)),
    inputs: program.inputs.map(id),
    outputs: program.outputs.map(id),
    targets: program.targets.map(id),
  };
}

function renumberInstr(ins: Instr, id: (v: ValueId) => ValueId): Instr {
  const out = { ...ins } as unknown as Record<string, ValueId | null>;
  for (const f of VALUE_FIELDS[ins.op] as readonly string[]) {
    const v = out[f];
    if (v !== null) out[f] = id(v);
  }
  return out as unknown as Instr;
}
