// Sequential: a LayerModel whose graph is a chain grown by add(), as in Keras, where it is a
// thin layer over the functional model. Layers added before any input shape is known wait in
// `pending` until the first shape arrives (Keras's deferred build).

import type { Layer } from './layer.ts';
import { InputLayer } from './layers/input.ts';
import { mapGraph } from './graph.ts';
import { defaultNameScope } from './naming.ts';
import { SymbolicTensor } from './tensor.ts';
import { checkKeys, checkName, describe, fail } from './validate.ts';
import { LayerModel, checkSeed } from './functional.ts';

export interface SequentialArgs {
  name?: string;
  layers?: (Layer | SymbolicTensor)[];
  seed?: number;
}

/** tf.keras 2.x names the implicit input after the first layer; Keras 3 like any unnamed input (input_layer_N). */
function implicitInputName(first: Layer): string | undefined {
  return defaultNameScope.layout === 'keras3' ? undefined : `${first.name}_input`;
}

export class Sequential extends LayerModel {
  override readonly kind = 'sequential' as const;
  /** Layers added before any input shape was known (Keras's deferred build). */
  private pending: Layer[] = [];

  constructor(args: SequentialArgs = {}) {
    if (typeof args !== 'object' || args === null) fail('Sequential', `options must be an object, got ${describe(args)}.`);
    const where = `Sequential "${args.name ?? defaultNameScope.peek('sequential')}"`;
    checkKeys(where, args, ['name', 'layers', 'seed']);
    if (args.name !== undefined) checkName(where, args.name);
    super({ name: args.name, base: 'sequential', seed: checkSeed(where, args.seed) });
    for (const layer of args.layers ?? []) this.add(layer);
  }

  private get where(): string {
    return `Sequential "${this.name}"`;
  }

  override get layers(): Layer[] {
    if (!this.graph) return [...this.pending];
    return this.graph.layers.filter((l) => !(l instanceof InputLayer));
  }

  /** Append a layer (or an input() tensor / InputLayer as the first item). */
  add(item: Layer | SymbolicTensor): void {
    const isInput = item instanceof SymbolicTensor || item instanceof InputLayer;
    if (isInput) return this.setInput(item instanceof SymbolicTensor ? item : item.getOutputAt(0));
    const layer = item as Layer;
    if (typeof layer !== 'object' || layer === null || typeof (layer as Layer).apply !== 'function') {
      fail(this.where, `add() takes a layer such as layers.dense({units: 10}), got ${describe(item)}.`);
    }
    try {
      if (layer.takesList) fail(this.where, `cannot add ${layer.where}: it merges several tensors, which a chain cannot feed. Use the functional API: model({inputs, outputs}).`);
      const names = this.graph ? this.graph.layers.map((l) => l.name) : this.pending.map((l) => l.name);
      if (names.includes(layer.name)) fail(this.where, `already has a layer named "${layer.name}". Give the new layer another name option.`);
    } catch (error) {
      layer.releaseNameIfUnused();
      throw error;
    }
    if (this.graph) return this.chain(layer);
    if (layer.batchInputShape) {
      const input = new InputLayer(layer.batchInputShape, implicitInputName(layer));
      return this.rebuild(input.getOutputAt(0), [...this.pending, layer]);
    }
    this.pending.push(layer);
  }

  /** Build a deferred model for inputs of this feature shape. */
  build(inputShape: (number | null)[]): void {
    if (this.graph) fail(this.where, `is already built.`);
    const first = this.pending[0];
    const name = first ? implicitInputName(first) : undefined;
    const input = new InputLayer([null, ...inputShape], name);
    this.rebuild(input.getOutputAt(0), this.pending);
  }

  /** Remove the last layer (Keras model.pop()). */
  pop(): Layer {
    const layers = this.layers;
    const last = layers[layers.length - 1];
    if (!last) fail(this.where, `has no layers to pop.`);
    if (!this.graph) return this.pending.pop()!;
    const out = last.inboundNodes.find((n) => this.hasNode(n))!.inputs[0]!;
    this.setGraph(this.inputTensors, out);
    return last;
  }

  private setInput(tensor: SymbolicTensor): void {
    if (this.graph || this.pending.length > 0) fail(this.where, `an input can only be added first, before any layer.`);
    if (!tensor.node.isInput) fail(this.where, `add() takes input() tensors, not intermediate tensors.`);
    this.setGraph([tensor], tensor);
  }

  private chain(layer: Layer): void {
    const out = layer.apply(this.outputTensors[0]!);
    this.setGraph(this.inputTensors, out);
  }

  /** Apply `layers` in turn from `input`; on any error nothing is kept. */
  private rebuild(input: SymbolicTensor, layers: Layer[]): void {
    let x = input;
    const applied: Layer[] = [];
    try {
      for (const layer of layers) {
        x = layer.apply(x);
        applied.push(layer);
      }
    } catch (error) {
      for (const layer of applied) layer.forgetLastCall();
      throw error;
    }
    this.pending = [];
    this.setGraph([input], x);
  }

  private setGraph(inputs: SymbolicTensor[], output: SymbolicTensor): void {
    this.graph = mapGraph(this.where, inputs, [output]);
    this.inputTensors = inputs;
    this.outputTensors = [output];
    if (this.seed !== undefined) this.initializeWeights(this.seed);
  }
}
