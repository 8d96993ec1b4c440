// The convolution variants and Embedding against real Keras 3.15.1 (tests/fixtures/keras,
// written by make_conv.py): the configs load, summary() is Keras's character for character, and
// under the same deterministic weights the outputs for a fixed input are Keras's (reference ops
// and fast CPU ops, 1e-4).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertClose } from '../../tests/util/check';
import { predictOn } from '../../tests/util/layerContract';
import { fromJSON, resetNameScope, type DataSet } from './index.ts';
import { CpuEngine } from './train/cpuEngine';
import { referenceOps } from './train/cpuOps';

const DIR = new URL('../../tests/fixtures/keras/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, DIR), 'utf8');

interface Tensor {
  shape: number[];
  values: number[];
}

interface IO {
  inputs: Tensor[];
  weights: Tensor[];
  outputs: Tensor[];
}

for (const name of ['conv_layers', 'embedding_dense']) {
  describe(`Keras 3.15.1 fixture ${name}`, () => {
    const load = () => {
      resetNameScope();
      return fromJSON(read(`keras3.15.1_${name}.to_json`));
    };

    it("prints Keras 3's summary character for character", () => {
      const expected = read(`keras3.15.1_${name}.summary.txt`).replace(/\n$/, '');
      const width = expected.split('\n')[1]!.length;
      expect(load().summary({ layout: 'keras3', lineLength: width })).toBe(expected);
    });

    it("computes Keras's outputs under Keras's weights (reference and fast CPU ops)", async () => {
      const io = JSON.parse(read(`keras3.15.1_${name}.io.txt`)) as IO;
      const model = load();
      const weights = model.graphLayers.flatMap((l) => l.weights);
      expect(weights.map((w) => w.shape)).toEqual(io.weights.map((w) => w.shape));
      weights.forEach((w, k) => w.values.set(io.weights[k]!.values));
      const batch = io.inputs[0]!.shape[0]!;
      const data: DataSet = {
        inputs: io.inputs.map((t) => ({ data: Float32Array.from(t.values), shape: t.shape })),
        targets: model.outputs.map(() => ({ data: new Uint32Array(batch), shape: [batch] })),
      };
      for (const engine of [new CpuEngine(referenceOps), new CpuEngine()]) {
        const outputs = await predictOn(engine, model, data);
        io.outputs.forEach((t, k) => assertClose(outputs[k]!, t.values, { atol: 1e-4, rtol: 1e-4 }, `${name} output ${k}`));
      }
    });
  });
}
