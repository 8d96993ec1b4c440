// Turns a model graph into a Program: forward instructions in topological order, then each
// output's loss, then backward in reverse order with the gradients of a tensor summed over its
// consumers and a shared layer's weight gradients summed over its calls. The one table of
// backward rules is `backward` below; what each rule needs from forward is in its instruction.
import type { ElementwiseActivation } from '../../gpu/activations';
import { geometry2D } from '../../gpu/shapes';
import type { Layer } from '../layer';
import type { LayerModel } from '../model';
import type { Node, SymbolicTensor } from '../tensor';
import type { Instr, LossKind, MetricSlots, ParamLayout, Program, Value, ValueId, ValueKind } from './program';

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

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Which activation a layer fuses; softmax is handled by its own instruction (or fused into the loss). */
function splitActivation(name: string): { fused: ElementwiseActivation; softmax: boolean } {
  return name === 'softmax' ? { fused: 'linear', softmax: true } : { fused: name as ElementwiseActivation, softmax: false };
}

class Builder {
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

interface NodeValues {
  inputs: ValueId[];
  output: ValueId;
  /** Pre-softmax logits when the layer ends in softmax. */
  logits?: ValueId;
  argmax?: ValueId;
  weights: ValueId[];
  weightOffsets: number[];
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

function forwardNode(b: Builder, layer: Layer, nv: NodeValues, outShape: number[], training: boolean, defaultSeed: number): void {
  const config = layer.getConfig();
  const [x] = nv.inputs;
  const name = layer.name;
  switch (config.className) {
    case 'Dense': {
      const inShape = b.shapeOf(x);
      const inF = inShape[inShape.length - 1];
      const rows = product(inShape) / inF;
      const { fused, softmax } = splitActivation(config.activation);
      const z = b.value('activation', outShape, softmax ? `${name} logits` : name);
      b.forward.push({ op: 'dense', x, w: nv.weights[0], b: config.useBias ? nv.weights[1] : null, y: z, rows, inF, outF: config.units, activation: fused });
      finishSoftmax(b, nv, z, softmax, outShape, name);
      return;
    }
    case 'Conv2D': {
      const xShape = b.shapeOf(x);
      const kShape = [...config.kernelSize, xShape[3], config.filters];
      const geom = geometry2D(xShape, { kernel: config.kernelSize, strides: config.strides, padding: config.padding });
      const { fused, softmax } = splitActivation(config.activation);
      const z = b.value('activation', outShape, softmax ? `${name} logits` : name);
      b.forward.push({ op: 'conv2d', x, w: nv.weights[0], b: config.useBias ? nv.weights[1] : null, y: z, xShape, kShape, conv: { strides: config.strides, padding: config.padding }, geom, activation: fused });
      finishSoftmax(b, nv, z, softmax, outShape, name);
      return;
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const window = { poolSize: config.poolSize, strides: config.strides, padding: config.padding };
      const xShape = b.shapeOf(x);
      const geom = geometry2D(xShape, { kernel: config.poolSize, strides: config.strides, padding: config.padding });
      const y = b.value('activation', outShape, name);
      if (config.className === 'MaxPooling2D') {
        nv.argmax = b.value('aux', outShape, `${name} argmax`, 'uint32');
        b.forward.push({ op: 'maxPool', x, y, argmax: nv.argmax, xShape, window, geom });
      } else {
        b.forward.push({ op: 'avgPool', x, y, xShape, window, geom });
      }
      nv.output = y;
      return;
    }
    case 'Flatten':
      nv.output = b.alias(x, outShape, name);
      return;
    case 'Dropout': {
      if (!training || config.rate === 0) {
        nv.output = b.alias(x, outShape, name);
        return;
      }
      nv.output = b.value('activation', outShape, name);
      b.forward.push({ op: 'dropout', x, y: nv.output, rate: config.rate, seed: config.seed === null ? defaultSeed : config.seed >>> 0 });
      return;
    }
    case 'Activation': {
      const { fused, softmax } = splitActivation(config.activation);
      if (softmax) {
        nv.logits = x;
        nv.output = b.value('activation', outShape, name);
        const cols = outShape[outShape.length - 1];
        b.forward.push({ op: 'softmax', x, y: nv.output, rows: product(outShape) / cols, cols });
        return;
      }
      nv.output = b.value('activation', outShape, name);
      b.forward.push({ op: 'activate', x, y: nv.output, kind: fused });
      return;
    }
    case 'Concatenate': {
      if (config.axis !== -1 && config.axis !== outShape.length - 1) {
        throw new Error(`${layer.where}: the executor concatenates along the last axis only (axis -1), got axis ${config.axis}.`);
      }
      const y = b.value('activation', outShape, name);
      const width = outShape[outShape.length - 1];
      const rows = product(outShape) / width;
      let col = 0;
      for (const xi of nv.inputs) {
        const s = b.shapeOf(xi);
        const w = s[s.length - 1];
        b.forward.push({ op: 'copyColumns', src: xi, dst: y, rows, width: w, srcRow: w, srcCol: 0, dstRow: width, dstCol: col });
        col += w;
      }
      nv.output = y;
      return;
    }
    case 'Add': {
      let acc = nv.inputs[0];
      for (let i = 1; i < nv.inputs.length; i++) {
        const y = b.value('activation', outShape, i === nv.inputs.length - 1 ? name : `${name} (partial ${i})`);
        b.forward.push({ op: 'add', a: acc, b: nv.inputs[i], y });
        acc = y;
      }
      nv.output = acc;
      return;
    }
    case 'InputLayer':
      throw new Error(`InputLayer "${name}" is not an executable node`);
  }
}

function finishSoftmax(b: Builder, nv: NodeValues, z: ValueId, softmax: boolean, outShape: number[], name: string): void {
  if (!softmax) {
    nv.output = z;
    return;
  }
  nv.logits = z;
  nv.output = b.value('activation', outShape, name);
  const cols = outShape[outShape.length - 1];
  b.forward.push({ op: 'softmax', x: z, y: nv.output, rows: product(outShape) / cols, cols });
}

/** A Dropout layer without a seed gets one from the training seed and its place in the model, so runs are reproducible. */
function dropoutSeed(seed: number, layerIndex: number): number {
  let h = 2166136261;
  for (const v of [seed >>> 0, layerIndex]) h = Math.imul(h ^ v, 16777619);
  return h >>> 0;
}

/** The backward rules, one per layer class. `dy` is the gradient of the layer's output (pre-softmax when it ends in softmax). */
function backwardNode(b: Builder, layer: Layer, nv: NodeValues, dy: ValueId, needsGrad: Set<ValueId>): void {
  const config = layer.getConfig();
  const [x] = nv.inputs;
  const wantsInputGrad = (v: ValueId) => needsGrad.has(v);
  const trainable = layer.trainable;
  const weightGrad = (i: number, shape: number[]): ValueId => {
    const g = b.value('grad', shape, `d ${layer.name}/${layer.weights[i].name}`);
    const key = nv.weightOffsets[i];
    const parts = b.weightGradParts.get(key) ?? [];
    parts.push(g);
    b.weightGradParts.set(key, parts);
    return g;
  };
  const name = layer.name;
  switch (config.className) {
    case 'Dense': {
      const act = splitActivation(config.activation).fused;
      const dz = preActivationGrad(b, dy, nv.output, act, name);
      const inShape = b.shapeOf(x);
      const inF = inShape[inShape.length - 1];
      const rows = product(inShape) / inF;
      const outF = config.units;
      if (trainable) {
        b.backward.push({ op: 'matmul', a: x, b: dz, c: weightGrad(0, [inF, outF]), m: inF, n: outF, k: rows, transA: true, transB: false });
        if (config.useBias) b.backward.push({ op: 'biasGrad', dy: dz, db: weightGrad(1, [outF]), cols: outF });
      }
      if (wantsInputGrad(x)) {
        const dx = b.value('grad', [...inShape], `d ${name} input`);
        b.backward.push({ op: 'matmul', a: dz, b: nv.weights[0], c: dx, m: rows, n: inF, k: outF, transA: false, transB: true });
        b.addGrad(x, dx);
      }
      return;
    }
    case 'Conv2D': {
      const act = splitActivation(config.activation).fused;
      const dz = preActivationGrad(b, dy, nv.output, act, name);
      const fwd = b.forward.find((i) => i.op === 'conv2d' && i.y === (nv.logits ?? nv.output));
      if (!fwd || fwd.op !== 'conv2d') throw new Error(`${layer.where}: forward instruction missing`);
      if (trainable) {
        b.backward.push({ op: 'conv2dGradFilter', x, dy: dz, dw: weightGrad(0, fwd.kShape), xShape: fwd.xShape, kShape: fwd.kShape, conv: fwd.conv, geom: fwd.geom });
        if (config.useBias) b.backward.push({ op: 'biasGrad', dy: dz, db: weightGrad(1, [config.filters]), cols: config.filters });
      }
      if (wantsInputGrad(x)) {
        const dx = b.value('grad', [...fwd.xShape], `d ${name} input`);
        b.backward.push({ op: 'conv2dGradInput', dy: dz, w: nv.weights[0], dx, xShape: fwd.xShape, kShape: fwd.kShape, conv: fwd.conv, geom: fwd.geom });
        b.addGrad(x, dx);
      }
      return;
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      if (!wantsInputGrad(x)) return;
      const xShape = b.shapeOf(x);
      const dx = b.value('grad', [...xShape], `d ${name} input`);
      const window = { poolSize: config.poolSize, strides: config.strides, padding: config.padding };
      const geom = geometry2D(xShape, { kernel: config.poolSize, strides: config.strides, padding: config.padding });
      if (config.className === 'MaxPooling2D') b.backward.push({ op: 'maxPoolGrad', dy, argmax: nv.argmax!, dx, xShape, window, geom });
      else b.backward.push({ op: 'avgPoolGrad', dy, dx, xShape, window, geom });
      b.addGrad(x, dx);
      return;
    }
    case 'Flatten':
      if (wantsInputGrad(x)) b.addGrad(x, b.alias(dy, [...b.shapeOf(x)], `d ${name} input`));
      return;
    case 'Dropout': {
      if (!wantsInputGrad(x)) return;
      const fwd = b.forward.find((i) => i.op === 'dropout' && i.y === nv.output);
      if (!fwd || fwd.op !== 'dropout') {
        b.addGrad(x, dy);
        return;
      }
      const dx = b.value('grad', [...b.shapeOf(x)], `d ${name} input`);
      b.backward.push({ op: 'dropoutGrad', dy, dx, rate: fwd.rate, seed: fwd.seed });
      b.addGrad(x, dx);
      return;
    }
    case 'Activation': {
      if (!wantsInputGrad(x)) return;
      const { fused, softmax } = splitActivation(config.activation);
      if (softmax) return; // never reached: the loop skips softmax-of-input nodes
      b.addGrad(x, preActivationGrad(b, dy, nv.output, fused, name));
      return;
    }
    case 'Concatenate': {
      const outShape = b.shapeOf(nv.output);
      const width = outShape[outShape.length - 1];
      const rows = product(outShape) / width;
      let col = 0;
      for (const xi of nv.inputs) {
        const s = b.shapeOf(xi);
        const w = s[s.length - 1];
        if (wantsInputGrad(xi)) {
          const dx = b.value('grad', [...s], `d ${name} input`);
          b.backward.push({ op: 'copyColumns', src: dy, dst: dx, rows, width: w, srcRow: width, srcCol: col, dstRow: w, dstCol: 0 });
          b.addGrad(xi, dx);
        }
        col += w;
      }
      return;
    }
    case 'Add':
      for (const xi of nv.inputs) if (wantsInputGrad(xi)) b.addGrad(xi, dy);
      return;
    case 'InputLayer':
      return;
  }
}

/** dZ = dY * act'(Y); the identity for linear. */
function preActivationGrad(b: Builder, dy: ValueId, y: ValueId, act: ElementwiseActivation, name: string): ValueId {
  if (act === 'linear') return dy;
  const dz = b.value('grad', [...b.shapeOf(y)], `d ${name} pre-activation`);
  b.backward.push({ op: 'activationGrad', dy, y, dx: dz, kind: act });
  return dz;
}
