// Walks a graph from its outputs back to its inputs and orders it the way
// Keras's Functional._map_graph_network does: nodes in topological order,
// nodes grouped by depth (outputs at depth 0), and layers sorted by
// decreasing depth, ties broken by first visit in a depth-first walk from the
// outputs. That order is what summary() prints (Branched_layer before
// y1_output in the seed's branched model), so we keep Keras's rule exactly.

import type { Layer } from './layer.ts';
import { Node, SymbolicTensor } from './tensor.ts';
import { LIMITS, describe, fail } from './validate.ts';

export interface GraphMap {
  /** Nodes in topological order, inputs first. */
  nodes: Node[];
  /** Layers by decreasing depth, InputLayers first (Keras's model.layers). */
  layers: Layer[];
  /** Node depth, 0 for output nodes; larger is closer to the inputs. */
  nodeDepth: Map<Node, number>;
}

/** Depth-first from the outputs, recording pre-order layer indices and post-order nodes. */
function walk(where: string, outputs: readonly SymbolicTensor[]): { postOrder: Node[]; layerIndex: Map<Layer, number> } {
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();
  const postOrder: Node[] = [];
  const layerIndex = new Map<Layer, number>();
  // An explicit stack: a long chain must not overflow the JS call stack.
  const stack: { node: Node; next: number }[] = [];
  const visit = (tensor: SymbolicTensor): void => {
    const node = tensor.node;
    if (finished.has(node)) return;
    if (inProgress.has(node)) fail(where, `the tensor ${tensor.label} of layer "${tensor.layer.name}" is part of a cycle.`);
    if (!layerIndex.has(node.layer)) layerIndex.set(node.layer, layerIndex.size);
    if (layerIndex.size > LIMITS.maxLayers) fail(where, `more than ${LIMITS.maxLayers} layers.`);
    inProgress.add(node);
    stack.push({ node, next: 0 });
  };
  for (const out of outputs) {
    visit(out);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.node.inputs.length) {
        visit(top.node.inputs[top.next++]!);
        continue;
      }
      stack.pop();
      inProgress.delete(top.node);
      finished.add(top.node);
      postOrder.push(top.node);
    }
  }
  return { postOrder, layerIndex };
}

export function mapGraph(where: string, inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): GraphMap {
  if (outputs.length === 0) fail(where, `a model needs at least one output tensor.`);
  if (inputs.length === 0) fail(where, `a model needs at least one input tensor, made by input({shape}).`);
  for (const t of [...inputs, ...outputs]) {
    if (!(t instanceof SymbolicTensor)) fail(where, `inputs and outputs must be tensors from input() or layer.apply(), got ${describe(t)}.`);
  }
  for (const t of inputs) {
    if (!t.node.isInput) fail(where, `input ${t.label} is not made by input(); a model's inputs must be input() tensors.`);
  }
  if (new Set(inputs).size !== inputs.length) fail(where, `the same input tensor is listed twice in inputs.`);

  const { postOrder, layerIndex } = walk(where, outputs);

  // Depths, from the outputs back: a node is one deeper than its deepest consumer.
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  for (let i = postOrder.length - 1; i >= 0; i--) {
    const node = postOrder[i]!;
    // A shared layer takes the deepest depth of all its calls.
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    nodeDepth.set(node, depth);
    layerDepth.set(node.layer, depth);
    for (const parent of node.parentNodes) {
      nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
    }
  }
  // Inputs that no output uses still belong to the model (Keras keeps them).
  for (const t of inputs) {
    if (!layerDepth.has(t.layer)) {
      layerDepth.set(t.layer, 0);
      layerIndex.set(t.layer, -1);
      nodeDepth.set(t.node, 0);
    }
  }

  const layers = [...layerDepth.keys()].sort(
    (a, b) => layerDepth.get(b)! - layerDepth.get(a)! || layerIndex.get(a)! - layerIndex.get(b)!,
  );
  checkComputable(where, inputs, postOrder);
  checkUniqueNames(where, layers);
  const nodes = [...postOrder];
  for (const t of inputs) if (!nodes.includes(t.node)) nodes.unshift(t.node);
  return { nodes, layers, nodeDepth };
}

/** Every input() a node depends on must be one of the model's inputs. */
function checkComputable(where: string, inputs: readonly SymbolicTensor[], postOrder: Node[]): void {
  const known = new Set(inputs);
  for (const node of postOrder) {
    if (node.isInput && !known.has(node.outputs[0]!)) {
      fail(where, `graph disconnected: the outputs depend on input "${node.layer.name}" ${node.outputs[0]!.label}, which is not in the model's inputs. Add it to inputs, or build the outputs from the given inputs.`);
    }
  }
}

function checkUniqueNames(where: string, layers: Layer[]): void {
  const seen = new Set<string>();
  for (const layer of layers) {
    if (seen.has(layer.name)) {
      fail(where, `the layer name "${layer.name}" is used by two different layers. Layer names must be unique in a model; pass a different name option.`);
    }
    seen.add(layer.name);
  }
}
