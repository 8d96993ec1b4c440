// The forward and backward rules of each layer class: what instructions a layer call becomes,
// and, in one table, how its gradients flow back (what each rule needs from forward sits in the
// forward instruction it reads). Used by plan.ts.
import type { ElementwiseActivation } from '../../ops/activations';
import { geometry2D } from '../../ops/shapes';
import type { Layer } from '../layer';
import type { ValueId } from './program';
import { product, splitActivation, type Builder, type NodeValues } from './planBuilder';

export function forwardNode(b: Builder, layer: Layer, nv: NodeValues, outShape: number[], training: boolean, defaultSeed: number): void {
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
export function dropoutSeed(seed: number, layerIndex: number): number {
  let h = 2166136261;
  for (const v of [seed >>> 0, layerIndex]) h = Math.imul(h ^ v, 16777619);
  return h >>> 0;
}

/** The backward rules, one per layer class. `dy` is the gradient of the layer's output (pre-softmax when it ends in softmax). */
export function backwardNode(b: Builder, layer: Layer, nv: NodeValues, dy: ValueId, needsGrad: Set<ValueId>): void {
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
