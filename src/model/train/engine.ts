// What the trainer asks of an engine (WebGPU or CPU): hold the packed weights, the optimizer
// state and the metric accumulators; hold the data; compile a Program once and run it on
// batches given as row indices into that data. Reads are explicit and asynchronous.
import type { OptimizerConfig } from '../../ops/optimizers';
import type { ParamLayout, Program } from './program';

export type { OptimizerConfig } from '../../ops/optimizers';

/** An array on the host: float32 values, or bytes / integers (labels), with an optional scale for bytes (1/255 for images). */
export interface HostTensor {
  data: Float32Array | Uint8Array | Uint32Array;
  /** [count, ...feature dims] */
  shape: number[];
  /** Multiplier applied when a Uint8Array is read as floats. Default 1. */
  scale?: number;
}

/** A data set: one array per model input and (for training/evaluation) one per output. */
export interface DataSet {
  inputs: HostTensor[];
  targets: HostTensor[];
}

/** Everything needed to resume training exactly: weights and optimizer state. */
export interface EngineState {
  params: Float32Array;
  slots: Float32Array;
  /** Optimizer iterations and running beta powers (see OptimizerState). */
  counters: Float64Array;
}

/** Which kernel variant a heavy instruction uses, and its time when tuning measured it (ms per run). */
export interface VariantRow {
  label: string;
  op: string;
  variant: string;
  ms?: number;
  /** Every timed variant's ms per run. */
  times?: Record<string, number>;
}

export interface CompiledStep {
  readonly program: Program;
  /** Enqueues one run on rows `indices` of the attached data (length = program.batch); training programs also update the weights. */
  run(indices: Uint32Array): void;
  /** Per-instruction milliseconds of one run (engines that can measure it). */
  profile?(indices: Uint32Array): Promise<{ label: string; ms: number }[]>;
  /** Per heavy instruction: the kernel variant it runs and its tuned time (WebGPU; see gpu/tuner.ts). */
  variants?(): VariantRow[];
  /** The model outputs of the last run. */
  readOutputs(): Promise<Float32Array[]>;
  dispose(): void;
}

export interface Engine {
  readonly kind: 'webgpu' | 'cpu';
  /** Adapter or CPU description, for the UI and logs. */
  readonly description: string;
  /** Sets the packed weights and a fresh optimizer. */
  init(layout: ParamLayout, params: Float32Array, optimizer: OptimizerConfig): Promise<void>;
  /** Makes `data` the set that steps index into (replacing the previous one). */
  attach(data: DataSet): Promise<void>;
  compile(program: Program): Promise<CompiledStep>;
  readParams(): Promise<Float32Array>;
  /** The packed weight gradients of the last training run (same layout as the weights). */
  readGrads(): Promise<Float32Array>;
  writeParams(params: Float32Array): void;
  readState(): Promise<EngineState>;
  writeState(state: EngineState): void;
  /** The learning rate the next step will use (a schedule's value at the current iteration). */
  getLearningRate(): number;
  /** Sets the learning rate of the following steps (callbacks); refused when a schedule drives it. */
  setLearningRate(lr: number): void;
  /** Metric accumulators (program.metrics slots), summed over runs since the last reset. */
  resetMetrics(): void;
  readMetrics(): Promise<Float64Array>;
  /** Sets the accumulators to sums read earlier (a resumed epoch goes on with its running means). */
  writeMetrics(sums: Float64Array): void;
  /** Live GPU buffers and bytes (zeros for the CPU engine): memory must stay flat across steps. */
  memory(): { buffers: number; bytes: number };
  dispose(): void;
}

export const MAX_METRIC_SLOTS = 64;
