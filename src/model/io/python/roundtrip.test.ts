// Consistency with our own writer: the Python toKerasPython writes for every built-in example and
// for the layer contract model of every registry class
// (and for a compile() line) reads back into the same model config. The Keras fixtures in
// reader.test.ts are the independent check; this one covers every layer option the examples use.
import { describe, expect, it } from 'vitest';
import { examples } from '../../examples';
import { modelToJSON, resetNameScope, summaryRows, toKerasPython } from '../../index';
import type { CompileArgs } from '../../train/config';
import { contractCase, contractClasses } from '../../../../tests/util/layerContract';
import { readPython } from './index';

/**
 * The writer opens a Sequential with an unnamed keras.Input(shape=...) where our Sequential holds
 * the shape on its first layer and names the input after it (conv2d_input): the same model, with
 * the input shape in another place. Those two fields are left out; every other one must match.
 */
function comparable(json: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(json)) as { class_name: string; config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  if (copy.class_name !== 'Sequential') return copy;
  for (const layer of copy.config.layers) {
    if (layer.class_name === 'InputLayer') delete layer.config.name;
    else delete layer.config.batch_input_shape;
  }
  return copy;
}

describe('readPython(toKerasPython(model))', () => {
  for (const [key, example] of Object.entries(examples)) {
    it(`rebuilds ${key} with the same config`, () => {
      resetNameScope();
      const model = example.build();
      const code = toKerasPython(model);
      const read = readPython(code).model;
      expect(comparable(modelToJSON(read))).toEqual(comparable(modelToJSON(model)));
      const rows = (m: typeof model) => summaryRows(m).rows.map((r) => [r.name, r.outputShapes, r.params]);
      expect(rows(read)).toEqual(rows(model));
    });
  }

  it('reads back the compile() line it writes', () => {
    resetNameScope();
    const model = examples.branched!.build();
    const compile: CompileArgs = { optimizer: { kind: 'adam', learningRate: 0.01, beta1: 0.8 }, loss: ['mse', 'mae'], metrics: { y1_output: ['mae'] }, lossWeights: [1, 0.5] };
    const read = readPython(toKerasPython(model, compile));
    expect(read.compile).toEqual(compile);
  });
});

describe('readPython(toKerasPython(model)) for every registry layer class', () => {
  // The layer contract's model of each class (its editor config with the sample's options).
  for (const className of contractClasses()) {
    it(`rebuilds ${className} with the same config`, () => {
      resetNameScope();
      const model = contractCase(className).model;
      const read = readPython(toKerasPython(model)).model;
      expect(modelToJSON(read)).toEqual(modelToJSON(model));
    });
  }
});
