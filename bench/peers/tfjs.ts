// TensorFlow.js contenders: the WebGPU backend and the plain-JS CPU backend. The models are
// built with tf.layers exactly as the Keras seed program declares them (glorotUniform kernels,
// the tf.layers default), compiled with adam; a training step is trainOnBatch on tensors
// already on the device, which reads the loss back before it resolves.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { Contender, SetupOptions } from '../contender';
import { branchedBatch, cnnBatch } from '../workloads';

function seedCnn(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [28, 28, 1] }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', padding: 'same' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 100, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.4 }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

function branched(): tf.LayersModel {
  const input = tf.input({ shape: [3] });
  const h1 = tf.layers.dense({ units: 10, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const h2 = tf.layers.dense({ units: 10, activation: 'relu' }).apply(h1) as tf.SymbolicTensor;
  const out1 = tf.layers.dense({ units: 1 }).apply(h2) as tf.SymbolicTensor;
  const h3 = tf.layers.dense({ units: 10, activation: 'relu' }).apply(h2) as tf.SymbolicTensor;
  const out2 = tf.layers.dense({ units: 1 }).apply(h3) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [out1, out2] });
}

class TfjsContender implements Contender {
  readonly name: string;
  private model: tf.LayersModel | null = null;
  private x: tf.Tensor | null = null;
  private targets: tf.Tensor[] = [];
  private mode: SetupOptions['mode'] = 'train';
  private loss: number | null = null;
  private peakBytes: number | null = null;

  constructor(readonly backend: 'webgpu' | 'cpu') {
    this.name = `tfjs-${backend}`;
  }

  async setup({ batch, model, mode }: SetupOptions): Promise<void> {
    this.dispose();
    this.mode = mode;
    this.loss = null;
    this.peakBytes = null;
    if (model === 'seed-cnn') {
      const data = cnnBatch(batch);
      this.model = seedCnn();
      this.model.compile({ optimizer: tf.train.adam(), loss: 'sparseCategoricalCrossentropy' });
      this.x = tf.tensor4d(data.x, [batch, 28, 28, 1]);
      this.targets = [tf.tensor2d(Float32Array.from(data.labels), [batch, 1])];
    } else {
      const data = branchedBatch(batch);
      this.model = branched();
      this.model.compile({ optimizer: tf.train.adam(), loss: ['meanSquaredError', 'meanSquaredError'] });
      this.x = tf.tensor2d(data.x, [batch, 3]);
      this.targets = [tf.tensor2d(data.y1, [batch, 1]), tf.tensor2d(data.y2, [batch, 1])];
    }
  }

  async step(): Promise<void> {
    if (!this.model || !this.x) throw new Error(`${this.name}: step() before setup()`);
    if (this.peakBytes === null) {
      // The first (warm-up) step runs under tf.profile, which reports the step's peak tensor bytes.
      const info = await tf.profile(() => this.runStep());
      this.peakBytes = info.peakBytes;
      return;
    }
    await this.runStep();
  }

  private async runStep(): Promise<void> {
    if (!this.model || !this.x) throw new Error(`${this.name}: step() before setup()`);
    if (this.mode === 'train') {
      const y = this.targets.length === 1 ? this.targets[0] : this.targets;
      const loss = await this.model.trainOnBatch(this.x, y); // resolves with the loss, read back
      this.loss = Array.isArray(loss) ? loss[0] : loss; // [total, per output...] for two outputs
      return;
    }
    const out = this.model.predict(this.x);
    const outputs = Array.isArray(out) ? out : [out];
    await Promise.all(outputs.map((t) => t.data()));
    tf.dispose(outputs);
  }

  lastLoss(): number | null {
    return this.loss;
  }

  /** The larger of the bytes held now and the profiled step's peak (0 on the CPU backend). */
  memory(): number {
    if (this.backend === 'cpu') return 0;
    const info = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
    return Math.max(info.numBytesInGPU ?? 0, this.peakBytes ?? 0);
  }

  dispose(): void {
    this.model?.dispose();
    tf.dispose([...(this.x ? [this.x] : []), ...this.targets]);
    this.model = null;
    this.x = null;
    this.targets = [];
  }
}

async function create(backend: 'webgpu' | 'cpu'): Promise<Contender> {
  if (!(await tf.setBackend(backend))) throw new Error(`TensorFlow.js could not start its ${backend} backend`);
  await tf.ready();
  return new TfjsContender(backend);
}

export const tfjsWebgpu = (): Promise<Contender> => create('webgpu');
export const tfjsCpu = (): Promise<Contender> => create('cpu');
