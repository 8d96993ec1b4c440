// The CPU engine: runs Programs over Float32Arrays with the CPU reference ops (WebAssembly SIMD
// or fast JavaScript im2col/GEMM versions where they matter). The fallback when a browser has no
// WebGPU, and the engine that proves accuracy on machines without a GPU. With the wasm kernels,
// every tensor, parameter and optimizer slot lives in the kernels' memory (cpuBuffers.ts).
import { optimizerSlotInit } from '../../ops/optimizers';
import { applyOptimizer } from '../../ops/reference/optimizerApply';
import type { Segment } from '../../ops/reference/gradientClip';
import { newOptimizerState, type OptimizerState } from '../../ops/reference/optimizers';
import { applyConstraint } from '../../ops/reference/constraint';
import { fastOps, wasmOps, type CpuOps } from './cpuOps';
import { gatherRow, newBuffer, type CpuBuffer } from './cpuBuffers';
import { wasmSimdSupported } from '../../ops/wasm/kernels';
import { describe, resolveThreads } from './cpuThreads';
import type { CompiledStep, DataSet, Engine, EngineState, HostTensor, OptimizerConfig } from './engine';
import { MAX_METRIC_SLOTS } from './engine';
import { optimizerSlotCount } from './config';
import { LearningRate, trainableSegments } from './learningRate';
import type { ParamLayout, Program, Value } from './program';
import { runInstr, type Memory, type RunContext } from './cpuRules';

export type { Memory, Rule } from './cpuRules';

function addTime(timings: Map<string, number>, label: string, start: number): void {
  timings.set(label, (timings.get(label) ?? 0) + performance.now() - start);
}

/** The instruction's main operand shape, for a profile's label. */
function instrShape(ins: Program['instrs'][number]): string {
  const i = ins as { xShape?: number[]; rows?: number; m?: number; n?: number; k?: number; outF?: number; inF?: number };
  if (i.xShape) return `[${i.xShape.join(', ')}]`;
  if (i.m !== undefined) return `${i.m}x${i.n}x${i.k}`;
  if (i.rows !== undefined && i.inF !== undefined) return `${i.rows}x${i.outF}x${i.inF}`;
  return '';
}

export interface CpuEngineOptions {
  /** 'wasm': the WebAssembly SIMD kernels (default where WebAssembly SIMD validates); 'js': the fast JavaScript ones. */
  kernels?: 'wasm' | 'js';
  /**
   * Threads for the wasm kernels (sharing one memory through a worker pool). Default: every core
   * (up to 8) where shared memory and blocking waits work, else 1; the reason is in the description.
   */
  threads?: number;
}

export class CpuEngine implements Engine {
  readonly kind = 'cpu' as const;
  description: string;
  kernels: 'wasm' | 'js';
  /** Threads the wasm kernels run on (1 for the JavaScript ones). */
  threads = 1;
  /** Why the engine runs on fewer threads than the machine has, or null. */
  threadNote: string | null = null;
  /** True when the caller named the kernels: then a wasm load failure is an error, not a fallback. */
  private readonly chosen: boolean;
  private ops: CpuOps | null;
  private paramsBuf: CpuBuffer<Float32Array> | null = null;
  private gradsBuf: CpuBuffer<Float32Array> | null = null;
  private slotsBuf: CpuBuffer<Float32Array> | null = null;
  /** Bumped by init(), which replaces the parameter arrays: compiled programs re-take their views. */
  private paramsVersion = 0;
  private opt: OptimizerConfig | null = null;
  private optState: OptimizerState = newOptimizerState();
  private lr: LearningRate | null = null;
  private segments: Segment[] = [];
  private data: DataSet | null = null;
  private readonly metrics = new Float64Array(MAX_METRIC_SLOTS);
  /** Wall ms per instruction label (and 'optimizer update') while profiling; null otherwise. */
  private timings: Map<string, number> | null = null;

  /** Ops given explicitly (the tests' references), or the kernels to load in init(). */
  constructor(opsOrOptions: CpuOps | CpuEngineOptions = {}) {
    const given = 'gemm' in opsOrOptions ? opsOrOptions : null;
    this.ops = given;
    const named = given ? null : (opsOrOptions as CpuEngineOptions).kernels;
    this.chosen = named !== undefined;
    this.kernels = given ? (given.arena ? 'wasm' : 'js') : (named ?? (wasmSimdSupported() ? 'wasm' : 'js'));
    if (!given && this.kernels === 'wasm') ({ threads: this.threads, note: this.threadNote } = resolveThreads((opsOrOptions as CpuEngineOptions).threads));
    this.description = describe(this.kernels, this.threads, this.threadNote);
  }

  /** The kernels of this.kernels; by default, the JavaScript ones where the wasm file cannot be loaded (a network error, a CSP). */
  private async loadOps(): Promise<CpuOps> {
    if (this.kernels === 'js') return fastOps();
    try {
      return await wasmOps(this.threads);
    } catch (e) {
      if (this.chosen) throw new Error(`CpuEngine: the WebAssembly kernels did not load (${(e as Error).message}); use { kernels: 'js' }`, { cause: e });
      console.warn(`CpuEngine: the WebAssembly kernels did not load (${(e as Error).message}); using the JavaScript ones`);
      this.kernels = 'js';
      this.threads = 1;
      this.description = describe('js', 1, null);
      return fastOps();
    }
  }

  private get params(): Float32Array {
    return this.paramsBuf?.view ?? new Float32Array(0);
  }

  private get grads(): Float32Array {
    return this.gradsBuf?.view ?? new Float32Array(0);
  }

  private get slots(): Float32Array {
    return this.slotsBuf?.view ?? new Float32Array(0);
  }

  private get loadedOps(): CpuOps {
    if (!this.ops) throw new Error('CpuEngine: call init() first (it loads the kernels)');
    return this.ops;
  }

  async init(layout: ParamLayout, params: Float32Array, optimizer: OptimizerConfig): Promise<void> {
    if (params.length !== layout.size) throw new Error(`init: ${params.length} parameters for a layout of ${layout.size}`);
    this.ops ??= await this.loadOps();
    for (const b of [this.paramsBuf, this.gradsBuf, this.slotsBuf]) b?.free();
    this.paramsBuf = newBuffer(this.ops.arena, layout.size, 'float32');
    this.params.set(params);
    this.gradsBuf = newBuffer(this.ops.arena, layout.size, 'float32');
    this.slotsBuf = newBuffer(this.ops.arena, optimizerSlotCount(optimizer) * layout.size, 'float32');
    this.slots.fill(optimizerSlotInit(optimizer));
    this.paramsVersion++;
    this.opt = optimizer;
    this.optState = newOptimizerState();
    this.lr = new LearningRate(optimizer);
    this.segments = trainableSegments(layout);
  }

  async attach(data: DataSet): Promise<void> {
    this.data = data;
  }

  async compile(program: Program): Promise<CompiledStep> {
    const ops = this.loadedOps;
    const own = this.allocate(program.values);
    const mem: Memory = [];
    const sync = this.viewSync(program.values, own, mem);
    // Conv scratch reserved now, so the memory does not grow (and detach views) in a step.
    const scratch = Math.max(0, ...program.instrs.map((i) => ('kShape' in i && ops.scratchBytes ? ops.scratchBytes(i.kShape) : 0)));
    if (ops.arena && scratch > 0) ops.arena.reserve(scratch);
    return {
      program,
      run: (indices: Uint32Array) => this.runProgram(program, mem, sync, indices),
      readOutputs: async () => {
        sync();
        return program.outputs.map((id) => (mem[id] as Float32Array).slice());
      },
      dispose: () => own.forEach((b) => b?.free()),
    };
  }

  /** A buffer for each value that owns its storage (params and aliases have none). */
  private allocate(values: Value[]): (CpuBuffer<Float32Array | Uint32Array> | undefined)[] {
    const own: (CpuBuffer<Float32Array | Uint32Array> | undefined)[] = [];
    for (const v of values) {
      if (v.kind === 'param' || v.kind === 'paramGrad' || v.storage !== v.id) continue;
      own[v.id] = newBuffer(this.ops?.arena, v.shape.reduce((a, b) => a * b, 1), v.dtype === 'uint32' ? 'uint32' : 'float32');
    }
    return own;
  }

  /** Returns a function that (re)fills mem with views when the memory grew or init() replaced the parameters. */
  private viewSync(values: Value[], own: (CpuBuffer<Float32Array | Uint32Array> | undefined)[], mem: Memory): () => void {
    let [generation, version] = [-1, -1];
    return () => {
      const g = this.ops?.arena?.generation ?? 0;
      if (g === generation && version === this.paramsVersion) return;
      [generation, version] = [g, this.paramsVersion];
      for (const v of values) {
        const size = v.shape.reduce((a, b) => a * b, 1);
        if (v.kind === 'param' || v.kind === 'paramGrad') {
          mem[v.id] = (v.kind === 'param' ? this.params : this.grads).subarray(v.offset!, v.offset! + size);
        } else if (v.storage !== v.id) {
          mem[v.id] = mem[v.storage];
        } else {
          mem[v.id] = own[v.id]!.view;
        }
      }
    };
  }

  private runProgram(program: Program, mem: Memory, sync: () => void, indices: Uint32Array): void {
    if (!this.data) throw new Error('run: no data attached');
    if (indices.length !== program.batch) throw new Error(`run: ${indices.length} indices for a program of batch ${program.batch}`);
    sync();
    const fill = (ids: number[], tensors: HostTensor[]) =>
      ids.forEach((id, k) => {
        const out = mem[id];
        const width = out.length / program.batch;
        indices.forEach((row, b) => gatherRow(tensors[k], row, out, b * width));
      });
    fill(program.inputs, this.data.inputs);
    fill(program.targets, this.data.targets);
    const ctx: RunContext = { ops: this.loadedOps, metrics: this.metrics, step: this.optState.iterations };
    const timings = this.timings;
    program.instrs.forEach((ins, k) => {
      const start = timings ? performance.now() : 0;
      runInstr(ins, mem, ctx);
      sync(); // a no-op unless an op grew the memory
      if (timings) addTime(timings, `${k} ${ins.op} ${instrShape(ins)}`, start);
    });
    this.metrics[program.metrics.samplesSlot] += program.batch;
    if (!program.update) return;
    const start = timings ? performance.now() : 0;
    this.update();
    if (timings) addTime(timings, 'optimizer update', start);
    for (const c of program.constraints) applyConstraint(this.params.subarray(c.offset, c.offset + c.shape.reduce((a, d) => a * d, 1)), c);
  }

  private update(): void {
    const c = this.opt;
    if (!c || !this.lr) throw new Error('update: engine not initialized');
    const lr = this.lr.at(this.optState.iterations);
    applyOptimizer(this.params, this.grads, this.slots, this.optState, c, lr, this.segments, this.ops?.adamUpdate);
  }

  getLearningRate(): number {
    if (!this.lr) throw new Error('getLearningRate: engine not initialized');
    return this.lr.at(this.optState.iterations);
  }

  setLearningRate(lr: number): void {
    if (!this.lr) throw new Error('setLearningRate: engine not initialized');
    this.lr.set(lr);
  }

  async readParams(): Promise<Float32Array> {
    return this.params.slice();
  }

  async readGrads(): Promise<Float32Array> {
    return this.grads.slice();
  }

  writeParams(params: Float32Array): void {
    if (params.length !== this.params.length) throw new Error(`writeParams: ${params.length} values for ${this.params.length}`);
    this.params.set(params);
  }

  async readState(): Promise<EngineState> {
    const s = this.optState;
    return { params: this.params.slice(), slots: this.slots.slice(), counters: Float64Array.of(s.iterations, s.beta1Power, s.beta2Power, s.alpha) };
  }

  writeState(state: EngineState): void {
    this.writeParams(state.params);
    this.slots.set(state.slots);
    const [iterations, beta1Power, beta2Power, alpha] = state.counters;
    this.optState = { iterations, beta1Power, beta2Power, alpha };
  }

  /** Starts timing every instruction of every step (wall ms, summed per instruction) until stopProfile(). */
  startProfile(): void {
    this.timings = new Map();
  }

  /** The summed wall ms per instruction since startProfile(), in program order; profiling stops. */
  stopProfile(): Map<string, number> {
    const t = this.timings ?? new Map<string, number>();
    this.timings = null;
    return t;
  }

  resetMetrics(): void {
    this.metrics.fill(0);
  }

  async readMetrics(): Promise<Float64Array> {
    return this.metrics.slice();
  }

  writeMetrics(sums: Float64Array): void {
    this.metrics.fill(0);
    this.metrics.set(sums.subarray(0, MAX_METRIC_SLOTS));
  }

  memory() {
    return { buffers: 0, bytes: 0 };
  }

  dispose(): void {
    this.data = null;
    // Ends the worker threads (the engine cannot run afterwards); a failure to end them is only logged.
    const ops = this.ops;
    if (!ops?.close) return;
    this.ops = null;
    ops.close().catch((e: unknown) => console.warn(`CpuEngine: closing the kernel threads failed: ${(e as Error).message}`));
  }
}
