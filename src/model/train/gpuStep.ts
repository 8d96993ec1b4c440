// One compiled Program on the WebGPU engine: every value's buffer planned once (memoryPlan.ts),
// every dispatch prepared once (gpuRules.ts), the optimizer update appended for training; run()
// writes the batch's row indices and submits gather, forward, loss, backward and update at once.
import { prepareConstraint } from '../../gpu/kernels/constraint';
import { prepareGatherImages, prepareGatherLabels } from '../../gpu/kernels/gather';
import { prepareGatherRows } from '../../gpu/kernels/gatherRows';
import type { Dispatch, GpuRuntime } from '../../gpu/runtime';
import type { TuneChoice, Tuner } from '../../gpu/tuner';
import { sizeOf, view, type GpuTensor } from '../../gpu/tensor';
import { prepareOptimizerUpdate, type PreparedUpdate } from '../../gpu/optimizerUpdate';
import type { Segment } from '../../ops/reference/gradientClip';
import type { CompiledStep, OptimizerConfig, VariantRow } from './engine';
import { prepareInstr, type Ctx } from './gpuRules';
import { planMemory } from './memoryPlan';
import type { Instr, Program } from './program';

/** What a step needs of its engine: the device, the count of samples run, each update's learning rate. */
export interface StepOwner {
  readonly rt: GpuRuntime;
  /** Chooses each heavy instruction's kernel variant. */
  readonly tuner: Tuner;
  countSamples(n: number): void;
  /** The learning rate of the update about to be submitted (advances the host's iteration count). */
  nextLearningRate(): number;
}

/** A host array on the GPU: bytes (packed 4 per word) or 32-bit words. */
export interface DeviceArray {
  tensor: GpuTensor;
  bytes: boolean;
  count: number;
}

/** The dispatches of one instruction, labelled for profiles. */
interface Section {
  label: string;
  dispatches: Dispatch[];
  /** The tuner's choices for this instruction's heavy kernels. */
  tuned?: TuneChoice[];
}


function instrLabel(ins: Instr, program: Program): string {
  const out = 'y' in ins ? ins.y : 'dx' in ins ? ins.dx : 'c' in ins ? ins.c : 'dw' in ins ? ins.dw : 'db' in ins ? ins.db : 'dst' in ins ? ins.dst : 'state' in ins ? ins.state : null;
  const name = typeof out === 'number' ? program.values[out].label : '';
  return `${ins.op} ${name}`.trim();
}

/** The engine's buffers every step shares. */
export interface Shared {
  params: GpuTensor;
  grads: GpuTensor;
  slots: GpuTensor;
  state: GpuTensor;
  metrics: GpuTensor;
  opt: OptimizerConfig;
  /** The trainable weights: what clipping and weight decay act on. */
  segments: Segment[];
}

export class GpuStep implements CompiledStep {
  onDispose: () => void = () => {};
  private gathers: Dispatch[] = [];
  private unbound: string | null = 'no data attached';
  private readonly owned: GpuTensor[] = [];
  private update: PreparedUpdate | null = null;
  private learningRate: number;

  private constructor(
    private readonly engine: StepOwner,
    readonly program: Program,
    private readonly tensors: GpuTensor[],
    private readonly index: GpuTensor,
    private readonly sections: Section[],
  ) {
    this.body = sections.flatMap((sec) => sec.dispatches);
    this.learningRate = NaN;
  }

  private readonly body: Dispatch[];

  static async create(engine: StepOwner, program: Program, s: Shared): Promise<GpuStep> {
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
    let tuned: TuneChoice[] = [];
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
      tune: async (t) => {
        const { choice, dispatches } = await engine.tuner.prepare(t, (shape) => ctx.scratch(shape));
        tuned.push(choice);
        return dispatches;
      },
    };
    const sections: Section[] = [];
    for (const ins of program.instrs) {
      tuned = [];
      const dispatches = await prepareInstr(ins, ctx);
      sections.push({ label: instrLabel(ins, program), dispatches, ...(tuned.length > 0 ? { tuned } : {}) });
    }
    const update = program.update ? await prepareOptimizerUpdate(rt, s, s.opt, s.segments) : null;
    if (update) sections.push({ label: `optimizer ${s.opt.kind}`, dispatches: update.dispatches });
    for (const c of program.update ? program.constraints : []) {
      sections.push({ label: `constraint ${c.kind} ${c.label}`, dispatches: [await prepareConstraint(rt, view(s.params, c.offset * 4, c.shape), c)] });
    }
    const step = new GpuStep(engine, program, tensors, index, sections);
    step.owned.push(...owned, ...(update?.owned ?? []));
    step.update = update;
    step.learningRate = s.opt.learningRate;
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
    this.setLearningRate();
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
    this.setLearningRate();
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

  /** Per heavy instruction: the kernel variant it runs and, where tuning timed it, its time. */
  variants(): VariantRow[] {
    return this.sections.flatMap((sec) =>
      (sec.tuned ?? []).map((c) => ({ label: sec.label, op: c.op, variant: c.variant, ...(c.ms !== undefined ? { ms: c.ms, times: c.times } : {}) })),
    );
  }

  /** Before an update is submitted: this step's learning rate into the uniforms, when it changed. */
  private setLearningRate(): void {
    if (!this.update) return;
    const lr = this.engine.nextLearningRate();
    if (lr !== this.learningRate) this.update.setLearningRate(lr);
    this.learningRate = lr;
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
