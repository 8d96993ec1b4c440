// The functional model: one graph type. A LayerModel holds input and output tensors and the
// graph between them (ordered like Keras). Sequential (sequential.ts) is a LayerModel whose
// graph is a chain grown by add(); everything downstream sees the same thing.

import type { Layer } from './layer.ts';
import { mapGraph, type GraphMap } from './graph.ts';
import { defaultNameScope } from './naming.ts';
import { Random } from './random.ts';
import { SymbolicTensor, type Node } from './tensor.ts';
import { checkKeys, checkName, describe, fail } from './validate.ts';
import { summaryRows, type ModelSummary } from './summary.ts';
import { renderSummaryClassic } from './summaryClassic.ts';
import { renderSummaryKeras3 } from './summaryKeras3.ts';
import { modelToJSON, type KerasModelJson } from './modelJson.ts';
import { toKerasPython } from './python.ts';
import { loadWeights, saveWeights, type SavedWeights } from './weightsIO.ts';
import { missingKernels } from './layers/kernels.ts';
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

export function checkSeed(where: string, seed: unknown): number | undefined {
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
    const where = `Model "${args.name ?? defaultNameScope.peek(defaultNameScope.modelBase)}"`;
    checkKeys(where, args, ['inputs', 'outputs', 'name', 'seed']);
    if (args.name !== undefined) checkName(where, args.name);
    this.seed = checkSeed(where, args.seed);
    const inputs = Array.isArray(args.inputs) ? [...args.inputs] : [args.inputs];
    const outputs = Array.isArray(args.outputs) ? [...args.outputs] : [args.outputs];
    this.graph = mapGraph(where, inputs, outputs);
    this.inputTensors = inputs;
    this.outputTensors = outputs;
    this.modelName = args.name ?? defaultNameScope.next(defaultNameScope.modelBase);
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
        if (!(v instanceof Float32Array) || v.length !== w.size) {
          fail(l.where, `setWeights: "${w.name}" needs ${w.size} values, got ${v instanceof Float32Array ? v.length : describe(v)}.`);
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
    const missing = missingKernels(this.graphLayers);
    if (missing) fail(`Model "${this.name}"`, missing);
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
