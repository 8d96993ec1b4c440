// The Program under construction: values (with aliases sharing storage), forward and backward
// instruction lists, and the gradient contributions still to be summed.
import type { ElementwiseActivation } from '../../ops/activations';
import type { Instr, ValueId, ValueKind, Value } from './program';

export const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Which activation a layer fuses; softmax is handled by its own instruction (or fused into the loss). */
export function splitActivation(name: string): { fused: ElementwiseActivation; softmax: boolean } {
  return name === 'softmax' ? { fused: 'linear', softmax: true } : { fused: name as ElementwiseActivation, softmax: false };
}

export class Builder {
  readonly values: Value[] = [];
  readonly forward: Instr[] = [];
  readonly backward: Instr[] = [];
  /** Per forward value: gradient contributions from its consumers. */
  readonly gradParts = new Map<ValueId, ValueId[]>();
  /** Per packed weight offset: gradient contributions from each call of the layer. */
  readonly weightGradParts = new Map<number, ValueId[]>();

  constructor(readonly batch: number) {}

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

  addGrad(forValue: ValueId, grad: ValueId): void {
    const parts = this.gradParts.get(forValue) ?? [];
    parts.push(grad);
    this.gradParts.set(forValue, parts);
  }

  /** Sums contributions into one value (a chain of adds into fresh values). */
  sum(parts: ValueId[], label: string, kind: ValueKind = 'grad'): ValueId | null {
    if (parts.length === 0) return null;
    let acc = parts[0];
    for (let i = 1; i < parts.length; i++) {
      const y = this.value(kind, this.shapeOf(acc), `${label} (sum ${i})`);
      this.backward.push({ op: 'add', a: acc, b: parts[i], y });
      acc = y;
    }
    return acc;
  }
}

export interface NodeValues {
  inputs: ValueId[];
  output: ValueId;
  /** Pre-softmax logits when the layer ends in softmax. */
  logits?: ValueId;
  argmax?: ValueId;
  weights: ValueId[];
  weightOffsets: number[];
}
