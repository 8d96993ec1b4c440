// The real-Keras model files of tests/fixtures/keras/io (made by make_io.py) and what Keras
// computed from them, for the src/model/io tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import type { LayerModel } from '../../src/model/functional';
import { CpuEngine } from '../../src/model/train/cpuEngine';
import type { HostTensor } from '../../src/model/train/engine';

export const IO_DIR = fileURLToPath(new URL('../fixtures/keras/io/', import.meta.url));

export function ioFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(IO_DIR + name));
}

export function ioText(name: string): string {
  return readFileSync(IO_DIR + name, 'utf8');
}

export interface KerasExpected {
  params: number;
  trainable_params: number;
  layer_names: string[];
  inputs: number[][] | string;
  /** One [16, units] array per output. */
  predictions: number[][][];
}

export function ioExpected(model: string): KerasExpected {
  return JSON.parse(ioText(`${model}.expected.json`)) as KerasExpected;
}

/** A .keras zip's config.json (parsed) and model.weights.h5 bytes. */
export function kerasArchive(name: string): { config: unknown; weights: Uint8Array } {
  const files = unzipSync(ioFixture(name));
  return { config: JSON.parse(new TextDecoder().decode(files['config.json'])), weights: files['model.weights.h5']! };
}

/** The model's 16 inputs as Keras got them: the Fashion-MNIST test images / 255, or the stored rows. */
export function kerasInputs(model: string): HostTensor {
  const { inputs } = ioExpected(model);
  if (typeof inputs !== 'string') return { data: Float32Array.from(inputs.flat()), shape: [inputs.length, inputs[0]!.length] };
  return { data: ioFixture('fashion_test16.u8'), shape: [16, 28, 28, 1], scale: 1 / 255 };
}

/** Our predictions on the CPU engine. */
export async function predictOnCpu(model: LayerModel, x: HostTensor): Promise<Float32Array[]> {
  await model.compile({ engine: new CpuEngine(), optimizer: 'sgd', loss: 'mse' });
  return model.predict(x);
}

export function maxAbsDiff(ours: ArrayLike<number>, keras: readonly number[][]): number {
  const flat = keras.flat();
  if (flat.length !== ours.length) return Infinity;
  let max = 0;
  for (let i = 0; i < flat.length; i++) max = Math.max(max, Math.abs(ours[i]! - flat[i]!));
  return max;
}
