// The WebGPU engine. compile() plans every value's buffer once and prepares every dispatch once
// (pipelines and bind groups included); run() only writes the batch's row indices and submits
// one command encoder: gather the batch from the data kept on the GPU, forward, loss, backward,
// optimizer (gpuStep.ts). Nothing is read back inside a step; metrics accumulate on the GPU until
// asked for.
import { uploadBytes } from '../../gpu/kernels/gather';
import { OPTIMIZER_STATE_WORDS } from '../../gpu/kernels/optimizerStep';
import { gpuTunerDevice } from '../../gpu/gpuTimer';
import { GpuRuntime } from '../../gpu/runtime';
import { Tuner } from '../../gpu/tuner';
import type { TuningMode, TuningStore } from '../../gpu/tuning';
import { processTuningStore } from '../../gpu/tuningStores';
import type { GpuTensor } from '../../gpu/tensor';
import { checkBatchFits } from './batchLimit';
import type { CompiledStep, DataSet, Engine, EngineState, HostTensor, OptimizerConfig } from './engine';
import { MAX_METRIC_SLOTS } from './engine';
import { optimizerSlotCount } from './config';
import { optimizerSlotInit } from '../../ops/optimizers';
import type { Segment } from '../../ops/reference/gradientClip';
import { LearningRate, trainableSegments } from './learningRate';
import type { ParamLayout, Program } from './program';
import { fuseConvPool } from './gpuFusion';
import { GpuStep, type DeviceArray } from './gpuStep';

export interface GpuEngineOptions {
  /** How heavy instructions choose their kernel variant (gpu/tuner.ts). Default 'auto'. */
  tuning?: TuningMode;
  /** Where choices are kept. Default: in memory, for the whole page or worker. */
  tuningStore?: TuningStore;
}

export class GpuEngine implements Engine {
  readonly kind = 'webgpu' as const;
  private params: GpuTensor | null = null;
  private grads: GpuTensor | null = null;
  private slots: GpuTensor | null = null;
  private readonly state: GpuTensor;
  private readonly metricsAcc: GpuTensor;
  private opt: OptimizerConfig | null = null;
  private lr: LearningRate | null = null;
  /** The optimizer's iterations as the host has submitted them (the GPU state's word 0). */
  private iterations = 0;
  private segments: Segment[] = [];
  private samples = 0;
  private readonly uploaded = new Map<HostTensor, DeviceArray>();
  private data: { inputs: DeviceArray[]; targets: DeviceArray[] } | null = null;
  private readonly steps = new Set<GpuStep>();
  readonly tuner: Tuner;

  private constructor(
    readonly rt: GpuRuntime,
    /** Whether dispose() also destroys the device (the engine created its runtime). */
    private readonly ownsRuntime: boolean,
    opts: GpuEngineOptions,
  ) {
    this.tuner = new Tuner(gpuTunerDevice(rt), opts.tuning ?? 'auto', opts.tuningStore ?? processTuningStore);
    this.state = rt.tensor([OPTIMIZER_STATE_WORDS], 'uint32', 'optimizer state');
    this.metricsAcc = rt.tensor([MAX_METRIC_SLOTS], 'float32', 'metrics');
  }

  static async create(rt?: GpuRuntime, opts: GpuEngineOptions = {}): Promise<GpuEngine> {
    return rt ? new GpuEngine(rt, false, opts) : new GpuEngine(await GpuRuntime.create(), true, opts);
  }

  get description(): string {
    return this.rt.adapterName;
  }

  async init(layout: ParamLayout, params: Float32Array, optimizer: OptimizerConfig): Promise<void> {
    if (params.length !== layout.size) throw new Error(`init: ${params.length} parameters for a layout of ${layout.size}`);
    if (this.params && this.params.size !== layout.size) throw new Error('init: this engine was set up for another model; create a new engine');
    // Kernels bind all weights (and each optimizer slot array) as one storage buffer.
    const mib = ((layout.size * 4) / 2 ** 20).toFixed(1);
    this.rt.checkBindingSize(layout.size * 4, `The model's ${layout.size.toLocaleString('en-US')} weights (${mib} MiB, kept in one GPU buffer)`, 'Train it with the CPU engine, or use a smaller model.');
    this.params ??= this.rt.tensor([layout.size], 'float32', 'weights');
    this.grads ??= this.rt.tensor([layout.size], 'float32', 'gradients');
    const slots = optimizerSlotCount(optimizer) * layout.size;
    if (this.slots && this.slots.size !== Math.max(1, slots)) {
      this.rt.release(this.slots);
      this.slots = null;
    }
    this.slots ??= this.rt.tensor([Math.max(1, slots)], 'float32', 'optimizer slots');
    this.opt = optimizer;
    this.lr = new LearningRate(optimizer);
    this.iterations = 0;
    this.segments = trainableSegments(layout);
    this.rt.write(this.params, params);
    this.zero(this.grads, this.slots, this.state);
    const fill = optimizerSlotInit(optimizer);
    if (fill !== 0) this.rt.write(this.slots, new Float32Array(this.slots.size).fill(fill));
  }

  nextLearningRate(): number {
    const lr = this.need(this.lr).at(this.iterations);
    this.iterations += 1;
    return lr;
  }

  getLearningRate(): number {
    return this.need(this.lr).at(this.iterations);
  }

  setLearningRate(lr: number): void {
    this.need(this.lr).set(lr);
  }

  private zero(...tensors: GpuTensor[]): void {
    const encoder = this.rt.device.createCommandEncoder();
    for (const t of tensors) encoder.clearBuffer(t.buffer, t.offset ?? 0, t.size * 4);
    this.rt.device.queue.submit([encoder.finish()]);
  }

  private upload(h: HostTensor, asLabels: boolean): DeviceArray {
    let d = this.uploaded.get(h);
    if (d) return d;
    const count = h.shape[0];
    if (h.data instanceof Uint8Array && (asLabels || Math.abs((h.scale ?? 1) - 1 / 255) < 1e-12)) {
      d = { tensor: uploadBytes(this.rt, h.data, 'data bytes'), bytes: true, count };
    } else if (h.data instanceof Uint8Array) {
      const scale = h.scale ?? 1;
      d = { tensor: this.rt.upload(Float32Array.from(h.data, (v) => v * scale)), bytes: false, count };
    } else if (h.data instanceof Uint32Array && !asLabels) {
      d = { tensor: this.rt.upload(Float32Array.from(h.data)), bytes: false, count };
    } else {
      d = { tensor: this.rt.upload(h.data), bytes: false, count };
    }
    this.uploaded.set(h, d);
    return d;
  }

  async attach(data: DataSet): Promise<void> {
    const inputs = data.inputs.map((h) => this.upload(h, false));
    const targets = data.targets.map((h) => this.upload(h, !(h.data instanceof Float32Array)));
    this.data = { inputs, targets };
    for (const s of this.steps) await s.bindData(this.data);
  }

  /** Frees the GPU copies of data sets (they are kept to make re-attaching free). */
  forgetData(): void {
    for (const d of this.uploaded.values()) this.rt.release(d.tensor);
    this.uploaded.clear();
    this.data = null;
  }

  async compile(program: Program): Promise<CompiledStep> {
    if (!this.params || !this.grads || !this.slots || !this.opt) throw new Error('compile: call init() first');
    const { maxStorageBufferBindingSize, maxBufferSize } = this.rt.limits;
    const limitName = maxStorageBufferBindingSize <= maxBufferSize ? 'maxStorageBufferBindingSize' : 'maxBufferSize';
    checkBatchFits(program, Math.min(maxStorageBufferBindingSize, maxBufferSize), limitName);
    const step = await GpuStep.create(this, fuseConvPool(program), { params: this.params, grads: this.grads, slots: this.slots, state: this.state, metrics: this.metricsAcc, opt: this.opt, segments: this.segments });
    if (this.data) await step.bindData(this.data);
    this.steps.add(step);
    step.onDispose = () => this.steps.delete(step);
    return step;
  }

  countSamples(n: number): void {
    this.samples += n;
  }

  async readParams(): Promise<Float32Array> {
    return this.rt.read(this.need(this.params));
  }

  async readGrads(): Promise<Float32Array> {
    return this.rt.read(this.need(this.grads));
  }

  writeParams(params: Float32Array): void {
    const p = this.need(this.params);
    if (params.length !== p.size) throw new Error(`writeParams: ${params.length} values for ${p.size}`);
    this.rt.write(p, params);
  }

  async readState(): Promise<EngineState> {
    const words = await this.rt.read(this.state as GpuTensor & { dtype: 'uint32' });
    const floats = new Float32Array(words.buffer);
    return {
      params: await this.readParams(),
      slots: await this.rt.read(this.need(this.slots)),
      counters: Float64Array.of(words[0], floats[1], floats[2], floats[3]),
    };
  }

  writeState(s: EngineState): void {
    this.writeParams(s.params);
    this.rt.write(this.need(this.slots), s.slots);
    const words = new Uint32Array(OPTIMIZER_STATE_WORDS);
    const floats = new Float32Array(words.buffer);
    words[0] = s.counters[0];
    this.iterations = s.counters[0];
    floats.set([s.counters[1], s.counters[2], s.counters[3]], 1);
    this.rt.write(this.state, words);
  }

  resetMetrics(): void {
    this.zero(this.metricsAcc);
    this.samples = 0;
  }

  /** Queued after the steps submitted so far; the sample count is the host's count at this moment. */
  async readMetrics(): Promise<Float64Array> {
    const samples = this.samples;
    const sums = Float64Array.from(await this.rt.read(this.metricsAcc));
    sums[0] = samples;
    return sums;
  }

  writeMetrics(sums: Float64Array): void {
    const values = new Float32Array(MAX_METRIC_SLOTS);
    values.set(sums.subarray(0, MAX_METRIC_SLOTS));
    this.rt.write(this.metricsAcc, values);
    this.samples = sums[0] ?? 0;
  }

  memory() {
    const s = this.rt.stats();
    return { buffers: s.liveBuffers, bytes: s.liveBytes };
  }

  private need<T>(t: T | null): T {
    if (!t) throw new Error('the engine has not been initialized: call init() first');
    return t;
  }

  dispose(): void {
    for (const s of [...this.steps]) s.dispose();
    this.forgetData();
    for (const t of [this.params, this.grads, this.slots, this.state, this.metricsAcc]) if (t) this.rt.release(t);
    this.params = this.grads = this.slots = null;
    // A new run gets a new engine and device: free this one's GPU memory now, not at garbage collection.
    if (this.ownsRuntime) this.rt.device.destroy();
  }
}
