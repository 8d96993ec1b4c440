// The Keras layer contract: a layer is created with options, infers its
// output shape from its input shapes (computeOutputShape), creates its weights
// once on the first call (build + addWeight), and each call (apply) records a
// Node in the graph. Weight values live on the layer as Float32Array in
// Keras's layouts, so getWeights/setWeights match Keras's order and shapes;
// they are allocated when first read, so structure alone costs nothing.

import { defaultNameScope } from './naming.ts';
import { getGlobalRandom, type Random } from './random.ts';
import { LayerWeight, type WeightOptions } from './weight.ts';
import { checkKeys, checkName, describe, featureShape, fail, shapeText, bool } from './validate.ts';
import type { Initializer } from './initializers.ts';
import type { Shape } from '../ops/shapes.ts';
import { Node, SymbolicTensor } from './tensor.ts';
import type { LayerConfig, LayerClassName } from './configs.ts';

/** The fields every layer config shares, in Keras's order. */
export interface BaseConfig {
  name: string;
  trainable: boolean;
  /** Present when the layer was created with inputShape: [null, ...inputShape]. */
  batchInputShape?: Shape;
}

export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Feature shape of the input (no batch dim); makes the first layer of a Sequential build at once. */
  inputShape?: (number | null)[];
}

const BASE_KEYS = ['name', 'trainable', 'inputShape'] as const;

/** The error prefix for a layer still being created: its given or future name. */
function whereFor(className: string, args: { name?: unknown }, namingBase: string): string {
  const name = typeof args.name === 'string' ? args.name : defaultNameScope.peek(namingBase);
  return `${className} "${name}"`;
}

/** Options must be a plain object (not null, not an array). */
export function checkArgs(className: string, args: unknown): asserts args is Record<string, unknown> {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    fail(className, `options must be an object like {units: 10}, got ${describe(args)}.`);
  }
}

/**
 * The checks every layer constructor starts with: options are an object holding only the base
 * keys and `keys`. Returns the error prefix (the layer's given or future name).
 */
export function openArgs(className: string, args: unknown, namingBase: string, keys: readonly string[]): string {
  checkArgs(className, args);
  const where = whereFor(className, args, namingBase);
  checkKeys(where, args, [...BASE_KEYS, ...keys]);
  return where;
}

export abstract class Layer {
  readonly className: LayerClassName;
  readonly trainable: boolean;
  /** [null, ...inputShape] when the layer was given inputShape. */
  readonly batchInputShape: Shape | undefined;
  readonly inboundNodes: Node[] = [];
  readonly weights: LayerWeight[] = [];
  built = false;
  private layerName: string;
  /** Set for automatic names, so a failed first call can return the name. */
  private readonly autoName: { base: string; oneBased: boolean; released: boolean } | undefined;

  protected constructor(className: LayerClassName, args: LayerArgs, namingBase: string, oneBased = false) {
    this.className = className;
    const where = args.name === undefined ? className : `${className} "${args.name}"`;
    this.trainable = args.trainable === undefined ? true : bool(where, 'trainable', args.trainable);
    this.batchInputShape = args.inputShape === undefined ? undefined : [null, ...featureShape(where, 'inputShape', args.inputShape)];
    if (args.name !== undefined) {
      this.layerName = checkName(where, args.name);
      this.autoName = undefined;
    } else {
      this.layerName = oneBased ? defaultNameScope.nextOneBased(namingBase) : defaultNameScope.next(namingBase);
      this.autoName = { base: namingBase, oneBased, released: false };
    }
  }

  get name(): string {
    return this.layerName;
  }

  /** "Conv2D "conv2d_1"": the prefix of every error about this layer. */
  get where(): string {
    return `${this.className} "${this.name}"`;
  }

  /** The output of the layer's only call (Keras layer.output). */
  get output(): SymbolicTensor {
    if (this.inboundNodes.length !== 1) {
      fail(this.where, this.inboundNodes.length === 0
        ? `has not been applied yet, so it has no output.`
        : `was applied ${this.inboundNodes.length} times, so "output" is ambiguous; use getOutputAt(nodeIndex).`);
    }
    return this.inboundNodes[0]!.outputs[0]!;
  }

  getOutputAt(nodeIndex: number): SymbolicTensor {
    const node = this.inboundNodes[nodeIndex];
    if (!node) fail(this.where, `has ${this.inboundNodes.length} calls, no call ${nodeIndex}.`);
    return node.outputs[0]!;
  }

  /** The fields every config shares, in Keras's order. */
  protected baseConfig(): BaseConfig {
    const base: BaseConfig = { name: this.name, trainable: this.trainable };
    if (this.batchInputShape) base.batchInputShape = [...this.batchInputShape];
    return base;
  }

  /** Single-input layers take one tensor; merge layers take a list. */
  get takesList(): boolean {
    return false;
  }

  /** Camel-case options in the playground's spelling (for executor, UI, JSON). */
  abstract getConfig(): LayerConfig;

  /** Validate the inputs and infer the output shape; must not mutate. */
  protected abstract inferShape(inputs: Shape[]): Shape;

  /** Create weights for these input shapes (called once, on the first apply). */
  protected build(inputs: Shape[]): void {
    void inputs;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const list = Array.isArray(inputShape[0]) ? (inputShape as Shape[]) : [inputShape as Shape];
    return this.inferShape(list);
  }

  /**
   * Call the layer on symbolic tensors: checks, infers the shape, builds on
   * the first call and records a Node. Either all of that happens or, on an
   * error, nothing does.
   */
  apply(inputs: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
    try {
      const list = this.checkInputs(inputs);
      const shapes = list.map((t) => t.shape);
      const output = this.inferShape(shapes);
      if (!this.built) this.buildOnce(shapes);
      const node = new Node(this, this.inboundNodes.length, list, [output]);
      this.inboundNodes.push(node);
      this.keepName();
      return node.outputs[0]!;
    } catch (error) {
      this.releaseNameIfUnused();
      throw error;
    }
  }

  private checkInputs(inputs: SymbolicTensor | SymbolicTensor[]): SymbolicTensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    for (const t of list) {
      if (!(t instanceof SymbolicTensor)) {
        fail(this.where, `apply() takes tensors made by input() or by another layer's apply(), got ${describe(t)}.`);
      }
    }
    if (this.takesList && (!Array.isArray(inputs) || inputs.length < 2)) {
      fail(this.where, `apply() takes a list of at least 2 tensors, e.g. ${this.className.toLowerCase()}.apply([a, b]).`);
    }
    if (!this.takesList && Array.isArray(inputs)) {
      fail(this.where, `apply() takes one tensor, got a list of ${inputs.length}. Merge tensors first with layers.concatenate() or layers.add().`);
    }
    return list;
  }

  private buildOnce(shapes: Shape[]): void {
    try {
      this.build(shapes);
      this.built = true;
    } catch (error) {
      this.weights.length = 0;
      throw error;
    }
  }

  /** Keras's add_weight: declares a weight (its values come when first read); a weight is trainable unless told. */
  protected addWeight(name: string, shape: number[], initializer: Initializer, options: WeightOptions = {}): LayerWeight {
    const spec = { name, shape, initializer, trainable: options.trainable ?? true, regularizer: options.regularizer ?? null, constraint: options.constraint ?? null };
    const weight = new LayerWeight(this.where, spec, getGlobalRandom().nextUint32());
    this.weights.push(weight);
    return weight;
  }

  /** Draws every weight again from its initializer using `rng` (model seeds). */
  initializeWeights(rng: Random): void {
    for (const w of this.weights) w.reinitialize(rng);
  }

  countParams(): number {
    return this.weights.reduce((sum, w) => sum + w.size, 0);
  }

  /** Keras's trainable_weights: none when the layer is frozen, else those marked trainable. */
  get trainableWeights(): LayerWeight[] {
    return this.trainable ? this.weights.filter((w) => w.trainable) : [];
  }

  /** Keras's non_trainable_weights: the rest (moving statistics, or all of a frozen layer's). */
  get nonTrainableWeights(): LayerWeight[] {
    return this.trainable ? this.weights.filter((w) => !w.trainable) : [...this.weights];
  }

  /** Copies of the weight values, in Keras order (kernel, then bias). */
  getWeights(): Float32Array[] {
    return this.weights.map((w) => w.values.slice());
  }

  /** Checks every array first, so a mismatch leaves all weights unchanged. */
  setWeights(values: readonly Float32Array[]): void {
    if (values.length !== this.weights.length) {
      fail(this.where, `setWeights expects ${this.weights.length} arrays (${this.weights.map((w) => w.name).join(', ') || 'none'}), got ${values.length}.`);
    }
    this.weights.forEach((w, i) => {
      const v = values[i]!;
      if (!(v instanceof Float32Array) || v.length !== w.size) {
        fail(this.where, `setWeights: "${w.name}" has shape ${shapeText(w.shape)} (${w.size} values), got ${v instanceof Float32Array ? `${v.length} values` : describe(v)}.`);
      }
    });
    this.weights.forEach((w, i) => w.values.set(values[i]!));
  }

  /**
   * Builds a layer held inside a wrapper (Bidirectional, TimeDistributed) for these input shapes
   * without calling it; returns its output shape. The wrapper declares the weights as its own.
   */
  buildInside(inputs: Shape[]): Shape {
    const output = this.inferShape(inputs);
    if (!this.built) this.buildOnce(inputs);
    return output;
  }

  /** Undo the most recent apply (a failed multi-layer build); unbuilds if it was the only call. */
  forgetLastCall(): void {
    this.inboundNodes.pop();
    if (this.inboundNodes.length === 0 && this.className !== 'InputLayer') {
      this.weights.length = 0;
      this.built = false;
    }
  }

  /** Give the automatic name back if this layer was never used. */
  releaseNameIfUnused(): void {
    const auto = this.autoName;
    if (!auto || auto.released || this.inboundNodes.length > 0) return;
    auto.released = defaultNameScope.release(auto.base, this.layerName, auto.oneBased);
  }

  /** After a released name, take a fresh one (the same, unless someone took it). */
  private keepName(): void {
    const auto = this.autoName;
    if (!auto || !auto.released) return;
    this.layerName = auto.oneBased ? defaultNameScope.nextOneBased(auto.base) : defaultNameScope.next(auto.base);
    auto.released = false;
  }
}
