// Turns a model graph into a Program: forward instructions in topological order, then each
// output's loss, then backward in reverse order with the gradients of a tensor summed over its
// consumers and a shared layer's weight gradients summed over its calls. The per-layer forward
// and backward rules live in layerRules.ts.
import type { LayerModel } from '../model';
import type { Node, SymbolicTensor } from '../tensor';
import type { LossKind, MetricSlots, ParamLayout, Program, ValueId } from './program';
import { Builder, product, type NodeValues } from './planBuilder';
import { backwardNode, dropoutSeed, forwardNode } from './layerRules';

export interface OutputLoss {
  kind: LossKind;
  weight: number;
  accuracy: boolean;
}

const ALIGN = 64;

export function paramLayout(model: LayerModel): ParamLayout {
  const entries: ParamLayout['entries'] = [];
  let offset = 0;
  for (const layer of model.graphLayers) {
    layer.weights.forEach((w, index) => {
      entries.push({ layer: layer.name, weight: w.name, index, shape: [...w.shape], offset, size: w.values.length, trainable: layer.trainable });
      offset += Math.ceil(w.values.length / ALIGN) * ALIGN;
    });
  }
  return { entries, size: Math.max(offset, ALIGN) };
}

function featureDims(t: SymbolicTensor, where: string): number[] {
  const dims = t.shape.slice(1);
  if (dims.some((d) => d === null)) throw new Error(`${where}: the shape ${JSON.stringify(t.shape)} has unknown dimensions; give every input a full shape.`);
  return dims as number[];
}


export interface ProgramOptions {
  batch: number;
  training: boolean;
  /** One per model output; required when training or for evaluate. */
  losses?: OutputLoss[];
  /** false: compute gradients but leave the weights (gradient checks). Default true. */
  update?: boolean;
  /** Seeds the dropout masks of layers without a seed of their own. Default 0. */
  seed?: number;
}

export function buildProgram(model: LayerModel, layout: ParamLayout, opts: ProgramOptions): Program {
  const b = new Builder(opts.batch);
  const B = opts.batch;
  const tensorValue = new Map<SymbolicTensor, ValueId>();
  const nodeValues = new Map<Node, NodeValues>();
  const needsGrad = new Set<ValueId>();
  const offsets = new Map<string, number>();
  for (const e of layout.entries) offsets.set(`${e.layer}/${e.index}`, e.offset);

  const inputs = model.inputs.map((t) => {
    const id = b.value('input', [B, ...featureDims(t, `input "${t.layer.name}"`)], t.layer.name);
    tensorValue.set(t, id);
    return id;
  });

  for (const node of model.nodes) {
    if (node.isInput) continue;
    const layer = node.layer;
    const ins = node.inputs.map((t) => tensorValue.get(t)!);
    const outShape = [B, ...featureDims(node.outputs[0], layer.where)];
    const weights = layer.weights.map((w, i) => {
      const id = b.value('param', [...w.shape], `${layer.name}/${w.name}`);
      b.values[id].offset = offsets.get(`${layer.name}/${i}`);
      return id;
    });
    const nv: NodeValues = { inputs: ins, output: -1, weights, weightOffsets: layer.weights.map((_, i) => offsets.get(`${layer.name}/${i}`)!) };
    forwardNode(b, layer, nv, outShape, opts.training, dropoutSeed(opts.seed ?? 0, model.graphLayers.indexOf(layer)));
    nodeValues.set(node, nv);
    tensorValue.set(node.outputs[0], nv.output);
    const trainable = layer.trainable && layer.weights.length > 0;
    if (trainable || ins.some((v) => needsGrad.has(v))) needsGrad.add(nv.output);
  }

  const outputs = model.outputs.map((t) => tensorValue.get(t)!);
  const metrics: MetricSlots = { outputs: [], samplesSlot: 0, count: 1 };
  const targets: ValueId[] = [];
  if (opts.losses) {
    if (opts.losses.length !== outputs.length) throw new Error(`the model has ${outputs.length} outputs but ${opts.losses.length} losses were given`);
    model.outputs.forEach((t, i) => {
      const loss = opts.losses![i];
      const node = t.node;
      const nv = nodeValues.get(node)!;
      const outShape = b.shapeOf(outputs[i]);
      const cols = outShape[outShape.length - 1];
      const rows = product(outShape) / cols;
      const sparse = loss.kind === 'sparse_categorical_crossentropy';
      const target = sparse ? b.value('target', [rows], `${t.layer.name} labels`, 'uint32') : b.value('target', [...outShape], `${t.layer.name} targets`);
      targets.push(target);
      const lossSlot = metrics.count++;
      const accuracySlot = loss.accuracy ? metrics.count++ : null;
      metrics.outputs.push({ name: t.layer.name, lossSlot, accuracySlot });
      const crossEntropy = sparse || loss.kind === 'categorical_crossentropy';
      const fusedSoftmax = crossEntropy && nv.logits !== undefined;
      if (crossEntropy && !fusedSoftmax) {
        throw new Error(`${node.layer.where}: ${loss.kind} needs an output layer with activation 'softmax' (the executor fuses softmax and cross-entropy); add activation: 'softmax' to "${t.layer.name}".`);
      }
      const lossOn = fusedSoftmax ? nv.logits! : outputs[i];
      const dy = opts.training && needsGrad.has(outputs[i]) ? b.value('grad', [...b.shapeOf(lossOn)], `d ${t.layer.name} (loss)`) : null;
      if (fusedSoftmax) {
        // The softmax instruction is replaced by the loss, which writes the probabilities.
        const at = b.forward.findIndex((ins) => ins.op === 'softmax' && ins.y === outputs[i]);
        if (at >= 0) b.forward.splice(at, 1);
      }
      b.forward.push({ op: 'loss', kind: loss.kind, y: lossOn, target, probs: fusedSoftmax ? outputs[i] : null, dy, fusedSoftmax, rows, cols, weight: loss.weight, lossSlot });
      if (accuracySlot !== null) {
        if (!sparse) throw new Error(`output "${t.layer.name}": the accuracy metric needs integer labels (loss sparse_categorical_crossentropy), got ${loss.kind}.`);
        b.forward.push({ op: 'accuracy', y: outputs[i], target, rows, cols, slot: accuracySlot });
      }
      if (dy !== null) b.addGrad(lossOn, dy);
    });
  }

  if (opts.training) {
    const nodes = model.nodes.filter((n) => !n.isInput).reverse();
    for (const node of nodes) {
      const nv = nodeValues.get(node)!;
      if (nv.logits !== undefined && (b.gradParts.get(nv.output)?.length ?? 0) > 0) {
        throw new Error(`${node.layer.where}: its softmax output feeds other layers or a non-cross-entropy loss; the executor differentiates softmax only fused with a cross-entropy loss. Use activation 'linear' here and apply softmax at the output.`);
      }
      // An Activation('softmax') takes its input as logits: the fused loss already sent the gradient there.
      if (nv.logits !== undefined && nv.logits === nv.inputs[0]) continue;
      const gradOut = nv.logits !== undefined ? nv.logits : nv.output;
      const dy = b.sum(b.gradParts.get(gradOut) ?? [], `d ${node.layer.name}`);
      if (dy === null) continue;
      backwardNode(b, node.layer, nv, dy, needsGrad);
    }
    for (const e of layout.entries) {
      if (!e.trainable) continue;
      const parts = b.weightGradParts.get(e.offset) ?? [];
      if (parts.length === 0) continue;
      // The single contribution, or the last add of their sum, writes into the packed gradients.
      const total = b.sum(parts, `d ${e.layer}/${e.weight}`, 'grad')!;
      finishWeightGrad(b, total, e.offset, e.shape);
    }
  }

  return { batch: B, training: opts.training, update: opts.training && (opts.update ?? true), values: b.values, instrs: [...b.forward, ...b.backward], inputs, outputs, targets, metrics };
}

/** Turns the value holding a weight's full gradient into the paramGrad view at `offset`. */
function finishWeightGrad(b: Builder, total: ValueId, offset: number, shape: number[]): void {
  const v = b.values[total];
  // Retarget the value's storage: its producer writes straight into the packed gradients.
  v.kind = 'paramGrad';
  v.offset = offset;
  v.shape = [...shape];
  v.storage = total;
}
