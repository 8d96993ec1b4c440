// The one interface every framework in the benchmark implements, ours included. A contender
// lives alone in its own page (TF.js keeps one global backend, so its CPU and WebGPU variants
// cannot share a page); the Node driver interleaves steps across those pages.

export type BenchModel = 'seed-cnn' | 'branched';
export type BenchMode = 'train' | 'predict';

export interface SetupOptions {
  batch: number;
  model: BenchModel;
  mode: BenchMode;
}

export interface Contender {
  /** Unique id, used by `--filter` and in the results: 'tfjs-webgpu', 'jaxjs-webgpu', 'ours'. */
  readonly name: string;
  /** What the numbers run on, in words: 'webgpu', 'cpu'. */
  readonly backend: string;
  /** Builds the model and its fixed (seeded) inputs on the device. Called once per workload. */
  setup(opts: SetupOptions): Promise<void>;
  /** One training step including reading the loss back once at the end, or one predict including reading the result. */
  step(): Promise<void>;
  /** The loss the last training step read back: a sanity check that the step really trains. */
  lastLoss?(): number | null;
  /** Ours: each heavy instruction's kernel variant and its tuned ms per run (src/gpu/tuner.ts). */
  variants?(): { label: string; variant: string; ms?: number }[];
  /** GPU bytes held, if the framework can tell. */
  memory?(): number;
  /** Frees everything setup() made; the next setup() starts clean. */
  dispose(): void;
}

/** How the registry makes a contender: lazily, so a page only loads the framework it runs. */
export type ContenderFactory = () => Promise<Contender>;
