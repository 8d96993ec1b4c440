// The model's weights as one packed Float32Array in the order of a ParamLayout (what an engine
// holds), and back into the layers.
import type { LayerModel } from '../functional';
import type { ParamLayout } from './program';

export function packWeights(model: LayerModel, layout: ParamLayout): Float32Array {
  const packed = new Float32Array(layout.size);
  const byLayer = new Map(model.graphLayers.map((l) => [l.name, l]));
  for (const e of layout.entries) packed.set(byLayer.get(e.layer)!.weights[e.index].values, e.offset);
  return packed;
}

export function unpackWeights(model: LayerModel, layout: ParamLayout, packed: Float32Array): void {
  const byLayer = new Map(model.graphLayers.map((l) => [l.name, l]));
  for (const e of layout.entries) byLayer.get(e.layer)!.weights[e.index].values.set(packed.subarray(e.offset, e.offset + e.size));
}
