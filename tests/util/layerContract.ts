// The small models the layer contract tests call each registered layer class in, built from the
// class's registry sample alone (so a new class is tested without a test of its own): every input
// goes through a tanh Dense on its last axis (so the layer's input gradient reaches a weight),
// then the layer, a Flatten when its output is not 2-D, and a softmax Dense head over 3 classes.
import {
  LAYERS, LAYER_CLASS_NAMES, defaultConfig, input, layerFromConfig, layers, model,
  type DataSet, type Layer, type LayerClassName, type Model, type SymbolicTensor,
} from '../../src/model/index';
import type { Engine } from '../../src/model/train/engine';
import { buildProgram, paramLayout, type OutputLoss } from '../../src/model/train/plan';
import type { ParamLayout } from '../../src/model/train/program';
import { randomArray, rng } from './check';

export interface ContractCase {
  className: LayerClassName;
  /** inputs -> tanh Dense -> the layer -> (Flatten) -> softmax Dense. */
  model: Model;
  /** The layer under test inside `model`. */
  layer: Layer;
  /** inputs -> a second instance of the layer (same config): its output is the layer's own. */
  bare: Model;
  data: DataSet;
  losses: OutputLoss[];
}

export const CONTRACT_LOSSES: OutputLoss[] = [{ kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: true }];

/** The classes a contract case exists for: every registered class that can be called. */
export function contractClasses(): LayerClassName[] {
  return LAYER_CLASS_NAMES.filter((k) => LAYERS[k].sample !== null);
}

/** Whether a class runs (its registry entry does not say kernels: 'none'); the execution checks skip those that do not. */
export function executable(className: LayerClassName): boolean {
  return LAYERS[className].kernels !== 'none';
}

/** The layer's config for its sample call: the editor's new-layer config with the sample's options. */
function sampleLayer(className: LayerClassName, name: string): Layer {
  const sample = LAYERS[className].sample!;
  return layerFromConfig({ ...defaultConfig(className, name), ...sample.options });
}

function call(layer: Layer, xs: SymbolicTensor[]): SymbolicTensor {
  return layer.apply(layer.takesList ? xs : xs[0]);
}

export function contractCase(className: LayerClassName, batch = 3, seed = 1): ContractCase {
  const sample = LAYERS[className].sample;
  if (!sample) throw new Error(`${className} has no registry sample`);
  const inputs = sample.inputs.map((shape, i) => input({ shape: [...shape], name: `in_${i}` }));
  const pre = inputs.map((t, i) => layers.dense({ units: t.shape[t.shape.length - 1]!, activation: 'tanh', name: `pre_${i}` }).apply(t));
  const layer = sampleLayer(className, 'under_test');
  let y = call(layer, pre);
  if (y.shape.length > 2) y = layers.flatten({ name: 'flat' }).apply(y);
  const head = layers.dense({ units: 3, activation: 'softmax', name: 'head' }).apply(y);
  const full = model({ inputs, outputs: head, name: `contract_${className}`, seed });
  const bareInputs = sample.inputs.map((shape, i) => input({ shape: [...shape], name: `bare_in_${i}` }));
  const bare = model({ inputs: bareInputs, outputs: call(sampleLayer(className, 'bare'), bareInputs), name: `bare_${className}`, seed });
  const r = rng(seed + 100);
  const data: DataSet = {
    inputs: sample.inputs.map((shape, i) => ({ data: randomArray(batch * shape.reduce((a, d) => a * d, 1), seed + i, -1, 1), shape: [batch, ...shape] })),
    targets: [{ data: Uint32Array.from({ length: batch }, () => Math.floor(r() * 3)), shape: [batch] }],
  };
  return { className, model: full, layer, bare, data, losses: CONTRACT_LOSSES };
}

/** The model's weights packed in its parameter layout. */
export function packedWeights(m: Model): { layout: ParamLayout; packed: Float32Array } {
  const layout = paramLayout(m);
  const packed = new Float32Array(layout.size);
  const byName = new Map(m.graphLayers.map((l) => [l.name, l]));
  for (const e of layout.entries) packed.set(byName.get(e.layer)!.weights[e.index].values, e.offset);
  return { layout, packed };
}

/** The model's outputs for every row of `data`, in one inference batch on `engine`. */
export async function predictOn(engine: Engine, m: Model, data: DataSet): Promise<Float32Array[]> {
  const { layout, packed } = packedWeights(m);
  await engine.init(layout, packed, { kind: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false });
  await engine.attach(data);
  const batch = data.inputs[0].shape[0];
  const step = await engine.compile(buildProgram(m, layout, { batch, training: false }));
  step.run(Uint32Array.from({ length: batch }, (_, i) => i));
  const outputs = await step.readOutputs();
  step.dispose();
  return outputs;
}

/** The number of values the layer's inferred output shape holds for `batch` rows. */
export function inferredSize(c: ContractCase, batch: number): number {
  const sample = LAYERS[c.className].sample!;
  const shape = c.layer.computeOutputShape(sample.inputs.length === 1 ? [null, ...sample.inputs[0]] : sample.inputs.map((s) => [null, ...s]));
  return shape.slice(1).reduce<number>((a, d) => a * (d as number), batch);
}
