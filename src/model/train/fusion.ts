// Fusion passes over the forward tape, run before the backward walk. Each rewrites instructions
// into fewer, equivalent ones; values they leave unused are dropped when the Program is finished.
import { gradFromInput } from '../../ops/activations';
import type { ValueId } from './program';
import { tapeValues, type Builder, type TapeInstr } from './planBuilder';

export interface FusionPass {
  name: string;
  /** `outputs`: the model outputs, read after the run. */
  run(b: Builder, outputs: readonly ValueId[]): void;
}

/**
 * A cross-entropy loss on a softmax output takes the logits instead (one numerically stable
 * kernel for softmax, loss and gradient) and writes the probabilities itself; the softmax goes.
 * kl_divergence too: it is the cross-entropy with targets clip(t, 1e-7, 1) plus sum t log t.
 */
function fuseSoftmaxCrossEntropy(b: Builder): void {
  const softmaxOf = new Map<ValueId, Extract<TapeInstr, { op: 'softmax' }>>();
  for (const ins of b.tape) if (ins.op === 'softmax') softmaxOf.set(ins.y, ins);
  const fused = new Set<TapeInstr>();
  for (const ins of b.tape) {
    const fusable = ins.op === 'loss' && (ins.kind === 'sparse_categorical_crossentropy' || ins.kind === 'categorical_crossentropy' || ins.kind === 'kl_divergence');
    if (!fusable || ins.op !== 'loss') continue;
    if (ins.options?.fromLogits) continue; // the output already is the logits
    const softmax = softmaxOf.get(ins.y);
    if (!softmax) continue;
    // Where other layers read the probabilities too, the softmax stays for them (its own backward
    // adds their gradient to the logits) and the loss writes its probabilities to scratch.
    const shared = b.tape.some((other) => other !== softmax && other.op !== 'loss' && other.op !== 'accuracy' && tapeValues(other).includes(softmax.y));
    Object.assign(ins, { y: softmax.x, probs: shared ? null : softmax.y, fusedSoftmax: true });
    // Errors about the probabilities name the layer that applied the softmax.
    b.origin.set(ins, b.origin.get(softmax)!);
    if (!shared) fused.add(softmax);
  }
  b.tape = b.tape.filter((ins) => !fused.has(ins));
}

/** How many times each value is named by the tape's instructions. */
function useCounts(tape: readonly TapeInstr[]): Map<ValueId, number> {
  const uses = new Map<ValueId, number>();
  for (const ins of tape) for (const v of tapeValues(ins)) uses.set(v, (uses.get(v) ?? 0) + 1);
  return uses;
}

/**
 * An elementwise activation whose input is a linear dense or conv2d output used by nothing else
 * folds into that instruction: one kernel applies bias and activation as it writes.
 */
function fuseBiasActivation(b: Builder, outputs: readonly ValueId[]): void {
  const uses = useCounts(b.tape);
  const producer = new Map<ValueId, Extract<TapeInstr, { op: 'dense' | 'conv2d' }>>();
  for (const ins of b.tape) if (ins.op === 'dense' || ins.op === 'conv2d') producer.set(ins.y, ins);
  const folded = new Set<TapeInstr>();
  for (const ins of b.tape) {
    // gelu and silu need their input for backward, which a fused kernel does not keep.
    if (ins.op !== 'activate' || gradFromInput(ins.kind)) continue;
    const p = producer.get(ins.x);
    // Two uses: the producer's write and this read.
    if (!p || p.activation !== 'linear' || uses.get(ins.x) !== 2 || outputs.includes(ins.x)) continue;
    p.activation = ins.kind;
    p.y = ins.y;
    producer.set(ins.y, p);
    folded.add(ins);
  }
  b.tape = b.tape.filter((ins) => !folded.has(ins));
}

export const FUSION_PASSES: readonly FusionPass[] = [
  { name: 'softmax + cross-entropy', run: fuseSoftmaxCrossEntropy },
  { name: 'bias + activation', run: fuseBiasActivation },
];
