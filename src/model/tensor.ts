// The symbolic graph: a SymbolicTensor is a shape plus where it came from
// (layer, node index, tensor index, Keras's `_keras_history`); a Node records
// one call of a layer on some tensors. Models are built from these only.

import type { Shape } from '../ops/shapes.ts';
import type { Layer } from './layer.ts';

export class SymbolicTensor {
  constructor(
    readonly shape: Shape,
    /** The layer whose call produced this tensor. */
    readonly layer: Layer,
    /** Index of that call in layer.inboundNodes. */
    readonly nodeIndex: number,
    /** Index among that call's outputs (always 0 for our layers). */
    readonly tensorIndex: number,
  ) {}

  /** The Node that produced this tensor. */
  get node(): Node {
    const node = this.layer.inboundNodes[this.nodeIndex];
    if (!node) throw new Error(`SymbolicTensor: layer "${this.layer.name}" has no node ${this.nodeIndex}`);
    return node;
  }

  /** "dense[0][0]": how Keras names a tensor in summaries and configs. */
  get label(): string {
    return `${this.layer.name}[${this.nodeIndex}][${this.tensorIndex}]`;
  }
}

export class Node {
  readonly outputs: SymbolicTensor[];

  constructor(
    readonly layer: Layer,
    /** Index of this call in layer.inboundNodes. */
    readonly index: number,
    /** The tensors the layer was called on (empty for an InputLayer). */
    readonly inputs: readonly SymbolicTensor[],
    outputShapes: readonly Shape[],
  ) {
    this.outputs = outputShapes.map((s, i) => new SymbolicTensor(s, layer, index, i));
  }

  get isInput(): boolean {
    return this.inputs.length === 0;
  }

  /** The nodes that produced this node's inputs. */
  get parentNodes(): Node[] {
    return this.inputs.map((t) => t.node);
  }

  get inputShapes(): Shape[] {
    return this.inputs.map((t) => t.shape);
  }

  get outputShapes(): Shape[] {
    return this.outputs.map((t) => t.shape);
  }
}
