// The regularizers and constraints of a model as Program pieces. Each trainable weight with a
// regularizer, and each layer call with an activity regularizer, gets a penalty instruction after
// the losses: its value joins the logged loss (Keras 3 adds model.losses to the loss), its
// gradient joins the weight's or the output's. Constraints run after each update.
import { constraintAxes, penaltyOf, type RegularizerSpec } from '../regularizers';
import type { LayerModel } from '../model';
import type { SymbolicTensor } from '../tensor';
import { configFields } from '../layers/registry';
import type { Builder } from './planBuilder';
import type { MetricSlots, ParamLayout, ValueId, WeightConstraint } from './program';

interface PenaltyTarget {
  x: ValueId;
  /** Where dp/dx goes: a weight's gradient, an output's, or nowhere (evaluation, frozen). */
  grad: 'weight' | 'value' | null;
  regularizer: RegularizerSpec;
  divide: number;
  name: string;
  where: string;
}

function targets(b: Builder, model: LayerModel, layout: ParamLayout, tensorValue: Map<SymbolicTensor, ValueId>, training: boolean, batch: number): PenaltyTarget[] {
  const out: PenaltyTarget[] = [];
  const entries = new Map(layout.entries.map((e) => [`${e.layer}/${e.index}`, e]));
  for (const layer of model.graphLayers) {
    layer.weights.forEach((w, i) => {
      const e = entries.get(`${layer.name}/${i}`)!;
      if (!w.regularizer || !e.trainable) return;
      const x = b.value('param', [...w.shape], `${layer.name}/${w.name}`);
      b.values[x].offset = e.offset;
      out.push({ x, grad: training ? 'weight' : null, regularizer: w.regularizer, divide: 1, name: layer.name, where: layer.where });
    });
  }
  for (const node of model.nodes) {
    const activity = configFields(node.layer.getConfig()).activityRegularizer as RegularizerSpec | null | undefined;
    if (node.isInput || !activity) continue;
    const x = tensorValue.get(node.outputs[0])!;
    const grad = training && b.needsGrad.has(x) ? 'value' : null;
    out.push({ x, grad, regularizer: activity, divide: batch, name: node.layer.name, where: node.layer.where });
  }
  return out;
}

/** Emits every penalty (into a regularization metric slot, when there is one). */
export function addPenalties(b: Builder, model: LayerModel, layout: ParamLayout, tensorValue: Map<SymbolicTensor, ValueId>, opts: { training: boolean; batch: number }, metrics: MetricSlots): void {
  const list = targets(b, model, layout, tensorValue, opts.training, opts.batch);
  if (list.length === 0) return;
  const slot = metrics.count++;
  metrics.regularizationSlot = slot;
  for (const t of list) {
    const shape = b.shapeOf(t.x);
    const dx = t.grad === null ? null : b.value('grad', [...shape], `d ${b.values[t.x].label} (penalty)`);
    b.emit({ op: 'penalty', x: t.x, dx, ...penaltyOf(t.regularizer), divide: t.divide, batch: opts.batch, slot }, { name: t.name, where: t.where });
    if (dx !== null && t.grad === 'weight') b.addWeightGrad(t.x, dx);
    if (dx !== null && t.grad === 'value') b.addGrad(t.x, dx);
  }
}

/** The constraints of the trained weights, for the engines to apply after each update. */
export function weightConstraints(model: LayerModel, layout: ParamLayout): WeightConstraint[] {
  const out: WeightConstraint[] = [];
  const entries = new Map(layout.entries.map((e) => [`${e.layer}/${e.index}`, e]));
  for (const layer of model.graphLayers) {
    layer.weights.forEach((w, i) => {
      const e = entries.get(`${layer.name}/${i}`)!;
      const c = w.constraint;
      if (!c || !e.trainable) return;
      const axes = c.className === 'NonNeg' ? [] : constraintAxes(c, w.shape.length, layer.where);
      const { min_value: minValue = 0, max_value: maxValue = 0, rate = 1 } = c.config;
      out.push({ label: `${layer.name}/${w.name}`, offset: e.offset, shape: [...w.shape], kind: c.className, axes, minValue, maxValue, rate });
    });
  }
  return out;
}
