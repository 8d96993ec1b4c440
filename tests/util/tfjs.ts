// The real TensorFlow.js (tfjs 4.22, CPU backend) as the independent reference for our TF.js
// files: load a model.json and its shards the way tf.loadLayersModel loads them over HTTP (through
// the weightsManifest), predict with it, and our CPU engine's prediction to compare against.
import * as tf from '@tensorflow/tfjs';
import type { LayerModel } from '../../src/model/functional.ts';
import { CpuEngine } from '../../src/model/train/cpuEngine.ts';
import type { HostTensor } from '../../src/model/train/engine.ts';
import { rng } from './check.ts';

export { tf };

export interface Files {
  modelJson: unknown;
  shards: { name: string; data: Uint8Array }[];
}

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/** tf.loadLayersModel over the files: shards found by the manifest's paths, as tf.io.http would fetch them. */
export async function tfjsLoad({ modelJson, shards }: Files): Promise<tf.LayersModel> {
  await tf.setBackend('cpu');
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson as tf.io.ModelJSON, async (manifest) => {
    const specs = manifest.flatMap((g) => g.weights);
    const parts = manifest.flatMap((g) => g.paths.map((p) => {
      const shard = shards.find((s) => base(s.name) === base(p));
      if (!shard) throw new Error(`no shard ${p}`);
      return shard.data.slice().buffer;
    }));
    return [specs, tf.io.concatenateArrayBuffers(parts)];
  });
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

/** Seeded inputs for every model input ([count, ...shape]). */
export function randomInputs(shapes: (number | null)[][], count: number, seed: number): HostTensor[] {
  const r = rng(seed);
  return shapes.map((shape) => {
    const dims = [count, ...shape.slice(1).map((d) => d ?? 1)];
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = r() * 2 - 1;
    return { data, shape: dims };
  });
}

export async function tfjsPredict(model: tf.LayersModel, x: HostTensor[]): Promise<Float32Array[]> {
  const inputs = x.map((t) => tf.tensor(Float32Array.from(t.data), t.shape));
  const out = model.predict(inputs.length === 1 ? inputs[0]! : inputs);
  const list = Array.isArray(out) ? out : [out];
  return Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
}

export async function ourPredict(model: LayerModel, x: HostTensor[]): Promise<Float32Array[]> {
  await model.compile({ optimizer: 'sgd', loss: 'mse', engine: new CpuEngine() });
  return model.predict(x.length === 1 ? x[0]! : x);
}

/** Every weight set to seeded values (variances positive), so a misplaced weight shows. */
export function randomizeWeights(model: LayerModel, seed: number): void {
  const r = rng(seed);
  for (const layer of model.graphLayers) {
    for (const w of layer.weights) {
      const positive = /variance/.test(w.name);
      for (let i = 0; i < w.values.length; i++) w.values[i] = positive ? 0.5 + r() : r() - 0.5;
    }
  }
}
