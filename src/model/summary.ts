// summary() as data: one row per layer in Keras's order, plus totals. The
// classic and Keras 3 text layouts and the UI table all render these rows.

import type { LayerModel } from './model.ts';
import type { Node } from './tensor.ts';
import type { Shape } from '../ops/shapes.ts';

export interface SummaryRow {
  name: string;
  className: string;
  /** Output shape of every call of the layer (Keras reads all of them). */
  outputShapes: Shape[];
  params: number;
  trainable: boolean;
  /** "layer[node][tensor]" for each input of each call inside this model. */
  inbound: string[];
}

export interface ModelSummary {
  modelName: string;
  kind: 'sequential' | 'functional';
  /** Keras prints sequential-like models without the "Connected to" column. */
  sequentialLike: boolean;
  rows: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}

/**
 * Keras's print_summary rule: a functional model is sequential-like when
 * every depth of the graph holds one node with at most one input, and no
 * layer is called twice in it. A Sequential always is.
 */
function isSequentialLike(model: LayerModel): boolean {
  if (model.kind === 'sequential') return true;
  const byDepth = new Map<number, Node[]>();
  for (const node of model.nodes) {
    const depth = model.nodeDepth(node)!;
    byDepth.set(depth, [...(byDepth.get(depth) ?? []), node]);
  }
  for (const nodes of byDepth.values()) {
    if (nodes.length > 1 || nodes[0]!.inputs.length > 1) return false;
  }
  return model.graphLayers.every((layer) => layer.inboundNodes.filter((n) => model.hasNode(n)).length <= 1);
}

export function summaryRows(model: LayerModel): ModelSummary {
  const rows = model.layers.map((layer): SummaryRow => ({
    name: layer.name,
    className: layer.className,
    outputShapes: layer.inboundNodes.map((n) => [...n.outputs[0]!.shape]),
    params: layer.countParams(),
    trainable: layer.trainable,
    inbound: layer.inboundNodes.filter((n) => model.hasNode(n)).flatMap((n) => n.inputs.map((t) => t.label)),
  }));
  // Counted over all graph layers: a Sequential's hidden InputLayer has none.
  const layers = model.graphLayers;
  // Per weight, as Keras counts model.trainable_weights (a layer's trainable flag and the weight's).
  const trainableParams = layers.reduce((n, l) => n + l.trainableWeights.reduce((m, w) => m + w.size, 0), 0);
  const totalParams = layers.reduce((n, l) => n + l.countParams(), 0);
  return {
    modelName: model.name,
    kind: model.kind,
    sequentialLike: isSequentialLike(model),
    rows,
    totalParams,
    trainableParams,
    nonTrainableParams: totalParams - trainableParams,
  };
}

/** Python's "{:,}": 333526 -> "333,526". */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
