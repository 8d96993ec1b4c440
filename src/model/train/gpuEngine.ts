// The WebGPU engine. compile() plans every value's buffer once and prepares every dispatch once
// (pipelines and bind groups included); run() only writes the batch's row indices and submits
// one command encoder: gather the batch from the data kept on the GPU, forward, loss, backward,
// optimizer. Nothing is read back inside a step; metrics accumulate on the GPU until asked for.
import { prepareAdam } from '../../gpu/kernels/adam';
import { prepareGatherImages, prepareGatherLabels, uploadBytes } from '../../gpu/kernels/gather';
import { prepareGatherRows } from '../../gpu/kernels/gatherRows';
import { OPTIMIZER_STATE_WORDS, prepareOptimizerStep } from '../../gpu/kernels/optimizerStep';
import { prepareRmsprop } from '../../gpu/kernels/rmsprop';
import { prepareSgd } from '../../gpu/kernels/sgd';
import { adamSlots, rmspropSlots, sgdSlots } from '../../ops/reference/optimizers';
import type { Dispatch } from '../../gpu/runtime';
import { GpuRuntime } from '../../gpu/runtime';
import { sizeOf, view, type GpuTensor } from '../../gpu/tensor';
import { planMemory } from './memoryPlan';
import { checkBatchFits } from './batchLimit';
import type { CompiledStep, DataSet, Engine, EngineState, HostTensor, OptimizerConfig } from './engine';
import { MAX_METRIC_SLOTS } from './engine';
import { optimizerSlotCount } from './config';
import type { Instr, ParamLayout, Program } from './program';
import { prepareInstr, type Ctx } from './gpuRules';


/** A host array on the GPU: bytes (packed 4 per word) or 32-bit words. */
interface DeviceArray {
  tensor: GpuTensor;
  bytes: boolean;
  count: number;
}

export class GpuEngine implements Engine {
  readonly kind = 'webgpu' as const;
  private params: GpuTensor | null = null;
  private grads: GpuTensor | null = null;
  private slots: GpuTensor | null = null;
  private readonly state: GpuTensor;
  private readonly metricsAcc: GpuTensor;
  private opt: OptimizerConfig | null = null;
  private samples = 0;
  private readonly uploaded = new Map<HostTensor, DeviceArray>();
  private data: { inputs: DeviceArray[]; targets: DeviceArray[] } | null = null;
  private readonly steps = new Set<GpuStep>();

  private constructor(
    readonly rt: GpuRuntime,
    /** Whether dispose() also destroys the device (the engine created its runtime). */
    private readonly ownsRuntime: boolean,
  ) {
    this.state = rt.tensor([OPTIMIZER_STATE_WORDS], 'uint32', 'optimizer state');
    this.metricsAcc = rt.tensor([MAX_METRIC_SLOTS], 'float32', 'metrics');
  }

  static async create(rt?: GpuRuntime): Promise<GpuEngine> {
    return rt ? new GpuEngine(rt, false) : new GpuEngine(await GpuRuntime.create(), true);
  }

  get description(): string {
    return this.rt.adapterName;
  }

  async init(layout: ParamLayout, params: Float32Array, optimizer: OptimizerConfig): Promise<void> {
    if (params.length !== layout.size) throw new Error(`init: ${params.length} parameters for a layout of ${layout.size}`);
    if (this.params && this.params.size !== layout.size) throw new Error('init: this engine was set up for another model; create a new engine');
    this.params ??= this.rt.tensor([layout.size], 'float32', 'weights');
    this.grads ??= this.rt.tensor([layout.size], 'float32', 'gradients');
    const slots = optimizerSlotCount(optimizer) * layout.size;
    if (this.slots && this.slots.size !== Math.max(1, slots)) {
      this.rt.release(this.slots);
      this.slots = null;
    }
    this.slots ??= this.rt.tensor([Math.max(1, slots)], 'float32', 'optimizer slots');
    this.opt = optimizer;
    this.rt.write(this.params, params);
    this.zero(this.grads, this.slots, this.state);
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
    const step = await GpuStep.create(this, program, { params: this.params, grads: this.grads, slots: this.slots, state: this.state, metrics: this.metricsAcc, opt: this.opt });
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

/** The dispatches of one instruction, labelled for profiles. */
interface Section {
  label: string;
  dispatches: Dispatch[];
}

function instrLabel(ins: Instr, program: Program): string {
  const out = 'y' in ins ? ins.y : 'dx' in ins ? ins.dx : 'c' in ins ? ins.c : 'dw' in ins ? ins.dw : 'db' in ins ? ins.db : 'dst' in ins ? ins.dst : null;
  const name = typeof out === 'number' ? program.values[out].label : '';
  return `${ins.op} ${name}`.trim();
}

interface Shared {
  params: GpuTensor;
  grads: GpuTensor;
  slots: GpuTensor;
  state: GpuTensor;
  metrics: GpuTensor;
  opt: OptimizerConfig;
}

class GpuStep implements CompiledStep {
  onDispose: () => void = () => {};
  private gathers: Dispatch[] = [];
  private unbound: string | null = 'no data attached';
  private readonly owned: GpuTensor[] = [];

  private constructor(
    private readonly engine: GpuEngine,
    readonly program: Program,
    private readonly tensors: GpuTensor[],
    private readonly index: GpuTensor,
    private readonly sections: Section[],
  ) {
    this.body = sections.flatMap((sec) => sec.dispatches);
  }

  private readonly body: Dispatch[];

  static async create(engine: GpuEngine, program: Program, s: Shared): Promise<GpuStep> {
    const rt = engine.rt;
    // Values with disjoint lifetimes share buffers (see memoryPlan.ts).
    const plan = planMemory(program);
    const owned: GpuTensor[] = plan.slots.map((bytes, i) => rt.tensor([bytes / 4], 'float32', `step buffer ${i}`));
    const tensors: GpuTensor[] = [];
    for (const v of program.values) {
      if (v.kind === 'param' || v.kind === 'paramGrad') {
        tensors[v.id] = view(v.kind === 'param' ? s.params : s.grads, v.offset! * 4, v.shape);
      } else if (v.storage !== v.id) {
        tensors[v.id] = { ...tensors[v.storage], shape: [...v.shape] };
      } else {
        const slot = owned[plan.slotOf.get(v.id)!];
        tensors[v.id] = { buffer: slot.buffer, shape: [...v.shape], dtype: v.dtype, size: sizeOf(v.shape) };
      }
    }
    const index = rt.tensor([program.batch], 'uint32', 'batch indices');
    owned.push(index);
    const ctx: Ctx = {
      rt,
      t: (id) => tensors[id],
      counter: s.state,
      metrics: s.metrics,
      scratch: (shape, dtype = 'float32') => {
        const t = rt.tensor(shape, dtype, 'scratch');
        owned.push(t);
        return t;
      },
      own: (...t) => owned.push(...t),
    };
    const sections: Section[] = [];
    for (const ins of program.instrs) sections.push({ label: instrLabel(ins, program), dispatches: await prepareInstr(ins, ctx) });
    if (program.update) sections.push({ label: `optimizer ${s.opt.kind}`, dispatches: await prepareUpdate(engine, s) });
    const step = new GpuStep(engine, program, tensors, index, sections);
    step.owned.push(...owned);
    return step;
  }

  /** Prepares the gathers of the batch rows from the attached data into the program's inputs and targets. */
  async bindData(data: { inputs: DeviceArray[]; targets: DeviceArray[] }): Promise<void> {
    const rt = this.engine.rt;
    for (const d of this.gathers) rt.dispose(d);
    this.gathers = [];
    const gather = async (id: number, src: DeviceArray) => {
      const out = this.tensors[id];
      if (!src.bytes) return prepareGatherRows(rt, src.tensor, this.index, out, src.count);
      if (out.dtype === 'uint32') return prepareGatherLabels(rt, src.tensor, this.index, out, src.count);
      return prepareGatherImages(rt, src.tensor, this.index, out, { imageBytes: out.size / this.program.batch, count: src.count });
    };
    // A data set without targets (predict) leaves training programs unbound until targets come back.
    this.unbound = null;
    if (data.inputs.length < this.program.inputs.length) {
      this.unbound = `the attached data has ${data.inputs.length} input arrays, the model ${this.program.inputs.length} inputs`;
      return;
    }
    if (data.targets.length < this.program.targets.length) {
      this.unbound = `the attached data has ${data.targets.length} target arrays, the model ${this.program.targets.length} outputs`;
      return;
    }
    for (const [k, id] of this.program.inputs.entries()) this.gathers.push(await gather(id, data.inputs[k]));
    for (const [k, id] of this.program.targets.entries()) this.gathers.push(await gather(id, data.targets[k]));
  }

  run(indices: Uint32Array): void {
    if (this.unbound) throw new Error(`run: ${this.unbound}`);
    if (indices.length !== this.program.batch) throw new Error(`run: ${indices.length} indices for a program of batch ${this.program.batch}`);
    const rt = this.engine.rt;
    rt.write(this.index, indices);
    rt.submit([...this.gathers, ...this.body]);
    this.engine.countSamples(this.program.batch);
  }

  /**
   * One run with a submit per instruction, waiting for each: milliseconds per instruction, in
   * order (the gather of the batch first). Slower than run(); for finding where a step's time goes.
   */
  async profile(indices: Uint32Array): Promise<{ label: string; ms: number }[]> {
    const rt = this.engine.rt;
    rt.write(this.index, indices);
    const out: { label: string; ms: number }[] = [];
    for (const sec of [{ label: 'gather batch', dispatches: this.gathers }, ...this.sections]) {
      await rt.finish();
      const t0 = performance.now();
      rt.submit(sec.dispatches);
      await rt.finish();
      out.push({ label: sec.label, ms: performance.now() - t0 });
    }
    this.engine.countSamples(this.program.batch);
    return out;
  }

  async readOutputs(): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const id of this.program.outputs) out.push(await this.engine.rt.read(this.tensors[id]));
    return out;
  }

  dispose(): void {
    const rt = this.engine.rt;
    for (const d of [...this.gathers, ...this.body]) rt.dispose(d);
    for (const t of this.owned) rt.release(t);
    this.gathers = [];
    this.owned.length = 0;
    this.onDispose();
  }
}

/** The optimizer's step counter, then one update over all packed weights. */
async function prepareUpdate(engine: GpuEngine, s: Shared): Promise<Dispatch[]> {
  const rt = engine.rt;
  const c = s.opt;
  const n = s.params.size;
  const slotsFor = (k: number) => (k === 0 ? null : { ...s.slots, shape: [k * n], size: k * n });
  const stepParams = c.kind === 'adam' ? { learningRate: c.learningRate, beta1: c.beta1, beta2: c.beta2 } : { learningRate: c.learningRate };
  const update =
    c.kind === 'adam'
      ? prepareAdam(rt, s.params, s.grads, slotsFor(adamSlots())!, s.state, c)
      : c.kind === 'sgd'
        ? prepareSgd(rt, s.params, s.grads, slotsFor(sgdSlots(c)), c)
        : prepareRmsprop(rt, s.params, s.grads, slotsFor(rmspropSlots(c))!, c);
  return [await prepareOptimizerStep(rt, s.state, stepParams), await update];
}

