// The Program under construction: its values (aliases share storage), the forward tape (what the
// lowerings emitted, then the losses), the backward instructions, and the gradient contributions
// still to be summed. The tape holds engine instructions plus `reshape`, a view that runs nothing.
import { valuesOf, type Instr, type ValueId, type ValueKind, type Value } from './program';

export const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** A view of x with another shape (Flatten, inference Dropout): shares x's storage, runs nothing. */
export interface ReshapeInstr {
  op: 'reshape';
  x: ValueId;
  y: ValueId;
}

export type TapeInstr = Instr | ReshapeInstr;

/** The layer call an instruction came from: names for labels and errors. */
export interface Origin {
  /** The layer's name: "dense_1". */
  name: string;
  /** The prefix of errors about the layer: 'Dense "dense_1"'. */
  where: string;
}

/** The values a tape instruction names. */
export function tapeValues(ins: TapeInstr): ValueId[] {
  return ins.op === 'reshape' ? [ins.x, ins.y] : valuesOf(ins);
}

export class Builder {
  readonly values: Value[] = [];
  tape: TapeInstr[] = [];
  readonly backward: Instr[] = [];
  readonly origin = new Map<TapeInstr, Origin>();
  /** Values that depend on a trainable weight: only these get gradients. */
  readonly needsGrad = new Set<ValueId>();
  /** Per forward value: gradient contributions from its consumers. */
  readonly gradParts = new Map<ValueId, ValueId[]>();
  /** Per packed weight offset: gradient contributions from each call of the layer. */
  readonly weightGradParts = new Map<number, ValueId[]>();

  value(kind: ValueKind, shape: number[], label: string, dtype: 'float32' | 'uint32' = 'float32'): ValueId {
    const id = this.values.length;
    this.values.push({ id, kind, shape, dtype, storage: id, label });
    return id;
  }

  alias(of: ValueId, shape: number[], label: string): ValueId {
    const base = this.values[of];
    const id = this.values.length;
    this.values.push({ id, kind: base.kind, shape, dtype: base.dtype, storage: base.storage, label });
    return id;
  }

  shapeOf(id: ValueId): number[] {
    return this.values[id].shape;
  }

  emit(ins: TapeInstr, from: Origin): void {
    this.tape.push(ins);
    this.origin.set(ins, from);
  }

  addGrad(forValue: ValueId, grad: ValueId): void {
    const parts = this.gradParts.get(forValue) ?? [];
    parts.push(grad);
    this.gradParts.set(forValue, parts);
  }

  /** Registers one call's gradient of the weight viewed by `param`, to be summed over calls. */
  addWeightGrad(param: ValueId, grad: ValueId): void {
    const key = this.values[param].offset!;
    const parts = this.weightGradParts.get(key) ?? [];
    parts.push(grad);
    this.weightGradParts.set(key, parts);
  }

  /** Sums contributions into one value (a chain of adds into fresh values). */
  sum(parts: ValueId[], label: string): ValueId | null {
    if (parts.length === 0) return null;
    let acc = parts[0];
    for (let i = 1; i < parts.length; i++) {
      const y = this.value('grad', this.shapeOf(acc), `${label} (sum ${i})`);
      this.backward.push({ op: 'add', a: acc, b: parts[i], y });
      acc = y;
    }
    return acc;
  }
}
