// Our engine as a benchmark contender: the WebGPU engine (and the CPU engine, against TF.js's
// CPU backend) running the same Keras models through the same executor the playground uses.
// A training step is one recorded command encoder plus one read of the loss accumulator. The
// page's `?tuning=auto|off|exhaustive` sets how the WebGPU engine picks its kernel variants.
import { examples } from '../src/model/examples';
import { resetNameScope } from '../src/model/naming';
import { CpuEngine } from '../src/model/train/cpuEngine';
import type { CompiledStep, Engine } from '../src/model/train/engine';
import type { TuningMode } from '../src/gpu/tuning';
import { GpuEngine } from '../src/model/train/gpuEngine';
import { buildProgram } from '../src/model/train/plan';
import { Trainer } from '../src/model/train/trainer';
import type { Contender, SetupOptions } from './contender';
import { branchedBatch, cnnBatch } from './workloads';

class Ours implements Contender {
  private step_: CompiledStep | null = null;
  private indices = new Uint32Array(0);
  private loss: number | null = null;
  private engine: Engine | null = null;
  private readonly name_: string;

  constructor(readonly backend: 'webgpu' | 'cpu') {
    this.name_ = backend === 'webgpu' ? 'ours' : 'ours-cpu';
  }

  get name(): string {
    return this.name_;
  }

  async setup({ batch, model, mode }: SetupOptions): Promise<void> {
    this.dispose();
    resetNameScope();
    const m = examples[model].build();
    const tuning = (new URLSearchParams(location.search).get('tuning') ?? 'auto') as TuningMode;
    this.engine = this.backend === 'webgpu' ? await GpuEngine.create(undefined, { tuning }) : new CpuEngine();
    const cnn = model === 'seed-cnn';
    const trainer = await Trainer.compile(m, this.engine, { optimizer: 'adam', loss: cnn ? 'sparse_categorical_crossentropy' : 'mse' });
    if (cnn) {
      const data = cnnBatch(batch);
      await this.engine.attach({ inputs: [{ data: data.x, shape: [batch, 28, 28, 1] }], targets: [{ data: Uint32Array.from(data.labels), shape: [batch] }] });
    } else {
      const data = branchedBatch(batch);
      await this.engine.attach({ inputs: [{ data: data.x, shape: [batch, 3] }], targets: [{ data: data.y1, shape: [batch, 1] }, { data: data.y2, shape: [batch, 1] }] });
    }
    const program = buildProgram(m, trainer.layout, { batch, training: mode === 'train', losses: mode === 'train' ? trainer.config.losses : undefined });
    this.step_ = await this.engine.compile(program);
    this.indices = Uint32Array.from({ length: batch }, (_, i) => i);
  }

  async step(): Promise<void> {
    const s = this.step_;
    if (!s || !this.engine) throw new Error('ours: step() before setup()');
    if (!s.program.training) {
      s.run(this.indices);
      await s.readOutputs();
      return;
    }
    this.engine.resetMetrics();
    s.run(this.indices);
    const sums = await this.engine.readMetrics();
    this.loss = s.program.metrics.outputs.reduce((t, o) => t + sums[o.lossSlot], 0) / s.program.batch;
  }

  lastLoss(): number | null {
    return this.loss;
  }

  variants(): { label: string; variant: string; ms?: number }[] {
    return this.step_?.variants?.() ?? [];
  }

  memory(): number {
    return this.engine?.memory().bytes ?? 0;
  }

  dispose(): void {
    this.step_?.dispose();
    this.engine?.dispose();
    this.step_ = null;
    this.engine = null;
  }
}

export async function ours(): Promise<Contender> {
  return new Ours('webgpu');
}

export async function oursCpu(): Promise<Contender> {
  return new Ours('cpu');
}
