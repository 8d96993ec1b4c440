// Models: one graph type. A LayerModel holds input and output tensors and the
// graph between them (ordered like Keras). Sequential is a LayerModel whose
// graph is a chain grown by add(); everything downstream sees the same thing.

import type { Layer } from './layer.ts';
import { InputLayer } from './layers/input.ts';
import { mapGraph, type GraphMap } from './graph.ts';
import { defaultNameScope } from './naming.ts';
import { Random } from './random.ts';
import { SymbolicTensor, type Node } from './tensor.ts';
import { checkKeys, checkName, describe, fail } from './validate.ts';
import { summaryRows, type ModelSummary } from './summary.ts';
import { renderSummaryClassic } from './summaryClassic.ts';
import { renderSummaryKeras3 } from './summaryKeras3.ts';
import { modelToJSON, type KerasModelJson } from './serialize.ts';
import { toKerasPython } from './python.ts';
import { loadWeights, saveWeights, type SavedWeights } from './weightsIO.ts';
import type { CompileArgs } from './train/config.ts';
import type { Engine, HostTensor } from './train/engine.ts';
import type { Logs } from './train/callbacks.ts';
import type { FitArgs, History, Trainer } from './train/trainer.ts';

export interface ModelCompileArgs extends CompileArgs {
  /** The engine to train on; default: WebGPU where the platform has it, else the CPU engine. */
  engine?: Engine;
}

type Data = HostTensor | HostTensor[];

/** WebGPU when navigator.gpu gives an adapter, else the CPU engine (loaded lazily: kernels are browser modules). */
async function defaultEngine(): Promise<Engine> {
  const gpu = (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;
  if (gpu) {
    try {
      const { GpuEngine } = await import('./train/gpuEngine.ts');
      return await GpuEngine.create();
    } catch {
      // No adapter or device: fall through to the CPU engine.
    }
  }
  const { CpuEngine } = await import('./train/cpuEngine.ts');
  return new CpuEngine();
}

export interface SummaryOptions {
  /** 'classic' (tf.keras 2.0-2.6 text, the default) or 'keras3' (box table). */
  layout?: 'classic' | 'keras3';
  lineLength?: number;
  /** Called with each line, like Keras's print_fn (e.g. console.log). */
  printFn?: (line: string) => void;
}

export interface ModelArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
  /** Re-initialize every weight from this seed, in layer order. */
  seed?: number;
}

function checkSeed(where: string, seed: unknown): number | undefined {
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) {
    fail(where, `seed must be an integer, got ${describe(seed)}.`);
  }
  return seed as number | undefined;
}

export class LayerModel {
  readonly kind: 'functional' | 'sequential' = 'functional';
  protected modelName: string;
  protected graph: GraphMap | undefined;
  protected inputTensors: SymbolicTensor[] = [];
  protected outputTensors: SymbolicTensor[] = [];
  protected seed: number | undefined;

  /** Builds and checks the graph before taking a name, so a failure leaves no trace. */
  constructor(args: ModelArgs | { name: string | undefined; base: 'sequential'; seed?: number }) {
    if ('base' in args) {
      this.modelName = args.name ?? defaultNameScope.next(args.base);
      this.seed = args.seed;
      return;
    }
    if (typeof args !== 'object' || args === null) fail('Model', `options must be {inputs, outputs}, got ${describe(args)}.`);
    const where = `Model "${args.name ?? defaultNameScope.peek('model')}"`;
    checkKeys(where, args, ['inputs', 'outputs', 'name', 'seed']);
    if (args.name !== undefined) checkName(where, args.name);
    this.seed = checkSeed(where, args.seed);
    const inputs = Array.isArray(args.inputs) ? [...args.inputs] : [args.inputs];
    const outputs = Array.isArray(args.outputs) ? [...args.outputs] : [args.outputs];
    this.graph = mapGraph(where, inputs, outputs);
    this.inputTensors = inputs;
    this.outputTensors = outputs;
    this.modelName = args.name ?? defaultNameScope.next('model');
    if (this.seed !== undefined) this.initializeWeights(this.seed);
  }

  get name(): string {
    return this.modelName;
  }

  get built(): boolean {
    return this.graph !== undefined;
  }

  protected get map(): GraphMap {
    if (!this.graph) {
      fail(`Sequential "${this.name}"`, `this model has not been built yet: give the first layer inputShape, add input({shape}) first, or call build([...]).`);
    }
    return this.graph;
  }

  get inputs(): SymbolicTensor[] {
    return [...this.inputTensors];
  }

  get outputs(): SymbolicTensor[] {
    return [...this.outputTensors];
  }

  /** Keras model.layers: by depth; Sequential leaves out its InputLayer. */
  get layers(): Layer[] {
    return [...this.map.layers];
  }

  /** Every layer of the graph, InputLayers included, in Keras order. */
  get graphLayers(): Layer[] {
    return [...this.map.layers];
  }

  /** The graph's nodes in topological order (inputs first): what an executor runs. */
  get nodes(): Node[] {
    return [...this.map.nodes];
  }

  /** Keras node depth: 0 for outputs. */
  nodeDepth(node: Node): number | undefined {
    return this.map.nodeDepth.get(node);
  }

  hasNode(node: Node): boolean {
    return this.map.nodeDepth.has(node);
  }

  getLayer(name: string): Layer {
    const layer = this.graphLayers.find((l) => l.name === name);
    if (!layer) fail(`Model "${this.name}"`, `has no layer named "${name}". Layers: ${this.graphLayers.map((l) => l.name).join(', ')}.`);
    return layer;
  }

  countParams(): number {
    return this.graphLayers.reduce((sum, l) => sum + l.countParams(), 0);
  }

  /** All weights, layer by layer in model order (Keras model.get_weights()). */
  getWeights(): Float32Array[] {
    return this.graphLayers.flatMap((l) => l.getWeights());
  }

  /** Checks everything before writing anything. */
  setWeights(values: readonly Float32Array[]): void {
    const layers = this.graphLayers.filter((l) => l.weights.length > 0);
    const expected = layers.reduce((n, l) => n + l.weights.length, 0);
    if (values.length !== expected) fail(`Model "${this.name}"`, `setWeights expects ${expected} arrays, got ${values.length}.`);
    let offset = 0;
    const slices = layers.map((l) => {
      const part = values.slice(offset, offset + l.weights.length);
      offset += l.weights.length;
      return part;
    });
    layers.forEach((l, i) => {
      const part = slices[i]!;
      l.weights.forEach((w, j) => {
        const v = part[j];
        if (!(v instanceof Float32Array) || v.length !== w.values.length) {
          fail(l.where, `setWeights: "${w.name}" needs ${w.values.length} values, got ${v instanceof Float32Array ? v.length : describe(v)}.`);
        }
      });
    });
    layers.forEach((l, i) => l.setWeights(slices[i]!));
    this.compiled?.pushWeights();
  }

  /** Structured rows, for the UI and for renderers. */
  summaryRows(): ModelSummary {
    return summaryRows(this);
  }

  /** The summary text (returned; also passed line by line to printFn if given). */
  summary(options: SummaryOptions = {}): string {
    const rows = summaryRows(this);
    const layout = options.layout ?? 'classic';
    if (layout !== 'classic' && layout !== 'keras3') fail(`Model "${this.name}"`, `summary layout must be 'classic' or 'keras3', got ${describe(layout)}.`);
    const text = layout === 'classic'
      ? renderSummaryClassic(rows, { lineLength: options.lineLength })
      : renderSummaryKeras3(rows, { lineLength: options.lineLength });
    if (options.printFn) for (const line of text.split('\n')) options.printFn(line);
    return text;
  }

  /** Keras's model.to_json() structure (JSON.stringify(model) uses it too). */
  toJSON(): KerasModelJson {
    return modelToJSON(this);
  }

  /** Python code that builds this model in Keras. */
  toKerasPython(): string {
    return toKerasPython(this);
  }

  /** One float32 little-endian blob plus a manifest of names, shapes and offsets. */
  saveWeights(): SavedWeights {
    return saveWeights(this);
  }

  /** Inverse of saveWeights; checks the whole manifest before writing. */
  loadWeights(manifest: unknown, data: ArrayBuffer | Uint8Array): void {
    loadWeights(this, manifest, data);
    this.compiled?.pushWeights();
  }

  /** Refill all weights from their initializers with a generator seeded by `seed`. */
  initializeWeights(seed: number): void {
    const rng = new Random(seed);
    for (const layer of this.graphLayers) layer.initializeWeights(rng);
    this.compiled?.pushWeights();
  }

  private compiled: Trainer | null = null;

  /** Keras's model.compile (asynchronous: it sets up the engine and loads the weights into it). */
  async compile(args: ModelCompileArgs): Promise<void> {
    const { engine, ...rest } = args;
    const { Trainer } = await import('./train/trainer.ts');
    const next = await Trainer.compile(this, engine ?? (await defaultEngine()), rest);
    this.compiled?.dispose();
    this.compiled = next;
  }

  /** The trainer behind compile(): its engine, stop() for a running fit, syncWeights(). */
  get trainer(): Trainer {
    if (!this.compiled) fail(`Model "${this.name}"`, `call compile({optimizer, loss, metrics}) before training, evaluating or predicting.`);
    return this.compiled;
  }

  async fit(x: Data, y: Data, args?: FitArgs): Promise<History> {
    return this.trainer.fit(x, y, args);
  }

  async evaluate(x: Data, y: Data, args?: { batchSize?: number }): Promise<Logs> {
    return this.trainer.evaluate(x, y, args);
  }

  async predict(x: Data, args?: { batchSize?: number }): Promise<Float32Array[]> {
    return this.trainer.predict(x, args);
  }

  async trainOnBatch(x: Data, y: Data): Promise<Logs> {
    return this.trainer.trainOnBatch(x, y);
  }

  /** Keras's model.stop_training = True, from outside a running fit. */
  stopTraining(): void {
    this.compiled?.stop();
  }
}

export interface SequentialArgs {
  name?: string;
  layers?: (Layer | SymbolicTensor)[];
  seed?: number;
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
      // tf.keras 2.x names the implicit input after the first layer.
      const input = new InputLayer(layer.batchInputShape, `${layer.name}_input`);
      return this.rebuild(input.getOutputAt(0), [...this.pending, layer]);
    }
    this.pending.push(layer);
  }

  /** Build a deferred model for inputs of this feature shape. */
  build(inputShape: (number | null)[]): void {
    if (this.graph) fail(this.where, `is already built.`);
    const first = this.pending[0];
    const name = first ? `${first.name}_input` : undefined;
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
