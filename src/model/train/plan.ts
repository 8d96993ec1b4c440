// Turns a model graph into a Program: each layer call lowered to forward ops in topological order
// (lowerings.ts), then each output's loss, then the fusion passes (fusion.ts), then, for training,
// the backward walk over the tape (backward.ts). Values nothing uses any more are dropped last.
import type { LayerClassName } from '../configs';
import type { LayerModel } from '../model';
import type { SymbolicTensor } from '../tensor';
import { buildBackward } from './backward';
import { activationGradBeforePool, dropUnreadArgmax } from './backwardFusion';
import { OpBuilder } from './forwardOps';
import { FUSION_PASSES } from './fusion';
import { dropoutSeed, LOWERINGS, type Lowering } from './lowerings';
import { Builder, product } from './planBuilder';
import type { LossKind, MetricSlots, ParamLayout, Program, ValueId } from './program';
import type { LossOptions } from '../../ops/losses';
import { checkLossInput, emitMetrics } from './planLosses';
import { compactValues } from './compact';
import { addPenalties, weightConstraints } from './penalties';
import { missingKernels } from '../layers/kernels';

export interface OutputLoss {
  kind: LossKind;
  weight: number;
  /** Shorthand for metrics ['accuracy'] (when `metrics` is absent). */
  accuracy: boolean;
  /** Keras's from_logits, label_smoothing, delta. */
  options?: LossOptions;
  /** Keras metric names, logged by these names. */
  metrics?: readonly string[];
}

const ALIGN = 64;

/** A weight is trained iff its layer and the weight itself are trainable. */
export function paramLayout(model: LayerModel): ParamLayout {
  const entries: ParamLayout['entries'] = [];
  let offset = 0;
  for (const layer of model.graphLayers) {
    layer.weights.forEach((w, index) => {
      const trainable = layer.trainable && w.trainable;
      entries.push({ layer: layer.name, weight: w.name, index, shape: [...w.shape], offset, size: w.size, trainable });
      offset += Math.ceil(w.size / ALIGN) * ALIGN;
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

/** Lowers every layer call; returns the value of each symbolic tensor. */
function lowerModel(b: Builder, model: LayerModel, layout: ParamLayout, opts: ProgramOptions): Map<SymbolicTensor, ValueId> {
  const tensorValue = new Map<SymbolicTensor, ValueId>();
  const entries = new Map(layout.entries.map((e) => [`${e.layer}/${e.index}`, e]));
  for (const t of model.inputs) tensorValue.set(t, b.value('input', [opts.batch, ...featureDims(t, `input "${t.layer.name}"`)], t.layer.name));
  for (const node of model.nodes) {
    if (node.isInput) continue;
    const layer = node.layer;
    const outShape = [opts.batch, ...featureDims(node.outputs[0], layer.where)];
    const weights = layer.weights.map((w, i) => {
      const e = entries.get(`${layer.name}/${i}`)!;
      const id = b.value('param', [...w.shape], `${layer.name}/${w.name}`);
      b.values[id].offset = e.offset;
      if (e.trainable) b.needsGrad.add(id);
      return id;
    });
    const config = layer.getConfig();
    const call = { config, inputs: node.inputs.map((t) => tensorValue.get(t)!), weights, outShape, training: opts.training, seed: dropoutSeed(opts.seed ?? 0, model.graphLayers.indexOf(layer)) };
    const lower = LOWERINGS[config.className] as Lowering<LayerClassName>;
    tensorValue.set(node.outputs[0], lower(new OpBuilder(b, { name: layer.name, where: layer.where }), call as never));
  }
  return tensorValue;
}

/** Appends each output's loss (and accuracy) to the tape; returns the target values. */
function addLosses(b: Builder, model: LayerModel, outputs: ValueId[], opts: ProgramOptions, metrics: MetricSlots): ValueId[] {
  const losses = opts.losses!;
  if (losses.length !== outputs.length) throw new Error(`the model has ${outputs.length} outputs but ${losses.length} losses were given`);
  return model.outputs.map((t, i) => {
    const loss = losses[i];
    const origin = { name: t.layer.name, where: t.node.layer.where };
    const outShape = b.shapeOf(outputs[i]);
    const cols = outShape[outShape.length - 1];
    const rows = product(outShape) / cols;
    const sparse = loss.kind === 'sparse_categorical_crossentropy';
    const target = sparse ? b.value('target', [rows], `${t.layer.name} labels`, 'uint32') : b.value('target', [...outShape], `${t.layer.name} targets`);
    const lossSlot = metrics.count++;
    checkLossInput(b, loss, outputs[i], origin);
    const dy = opts.training && b.needsGrad.has(outputs[i]) ? b.value('grad', [...outShape], `d ${t.layer.name} (loss)`) : null;
    b.emit({ op: 'loss', kind: loss.kind, y: outputs[i], target, probs: null, dy, fusedSoftmax: false, rows, cols, weight: loss.weight, lossSlot, options: loss.options }, origin);
    // A sequence output [batch, steps, features] has several rows per sample; Keras averages over all of them.
    const rowsPerSample = rows / opts.batch;
    metrics.outputs.push({ name: t.layer.name, lossSlot, metrics: emitMetrics(b, loss, outputs[i], target, metrics, origin), rowsPerSample });
    return target;
  });
}

export function buildProgram(model: LayerModel, layout: ParamLayout, opts: ProgramOptions): Program {
  // Trainer.compile builds one program first: a layer without kernels stops it there, on either engine.
  const missing = missingKernels(model.graphLayers);
  if (missing) throw new Error(missing);
  const b = new Builder();
  const tensorValue = lowerModel(b, model, layout, opts);
  const inputs = model.inputs.map((t) => tensorValue.get(t)!);
  const outputs = model.outputs.map((t) => tensorValue.get(t)!);
  const metrics: MetricSlots = { outputs: [], samplesSlot: 0, regularizationSlot: null, count: 1 };
  const targets = opts.losses ? addLosses(b, model, outputs, opts, metrics) : [];
  if (opts.losses) addPenalties(b, model, layout, tensorValue, opts, metrics);
  for (const pass of FUSION_PASSES) pass.run(b, outputs);
  if (opts.training) {
    buildBackward(b, layout);
    activationGradBeforePool(b);
  }
  dropUnreadArgmax(b);
  const forward = b.tape.flatMap((ins) => (ins.op === 'reshape' ? [] : [ins]));
  const program: Program = {
    batch: opts.batch,
    training: opts.training,
    update: opts.training && (opts.update ?? true),
    values: b.values,
    instrs: [...forward, ...b.backward],
    inputs,
    outputs,
    targets,
    metrics,
    constraints: opts.training && (opts.update ?? true) ? weightConstraints(model, layout) : [],
  };
  return compactValues(program);
}
