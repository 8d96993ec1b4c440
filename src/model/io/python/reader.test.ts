// The Python reader against real Keras 3.15.1 (fixtures written by
// tests/fixtures/keras/io/python/make_python.py): the textbook's three pastes, verbatim, build
// the models Keras builds from them - Keras's summary text character for character and Keras's
// names with the Keras 3 layout, tf.keras 2.x's names and the classic golden text (issue 3, the
// book's printout) with the classic layout - plus their compile() and fit() settings. A fourth
// paste checks positional arguments, Keras objects and recurrent layers the same way.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { branched, seedCnn, seedCnnFunctional } from '../../examples';
import { fromJSON, modelToJSON, resetNameScope, summaryRows } from '../../index';
import { readPython } from './index';

const DIR = new URL('../../../../tests/fixtures/keras/io/python/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, DIR), 'utf8');
/** The textbook's three pastes, and one with positional arguments, Keras objects and recurrent layers. */
const SEEDS = ['seed_sequential', 'seed_functional', 'seed_two_outputs', 'options_functional'] as const;

beforeEach(() => resetNameScope());

/**
 * Keras 3 turns a first layer's input_shape into an InputLayer of the Sequential and drops it
 * from the layer's config; we keep it on the layer as tf.keras 2.x did. The input shape is
 * compared through the summary rows instead.
 */
function withoutLayerInputShapes(json: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(json)) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  for (const layer of copy.config.layers) if (layer.class_name !== 'InputLayer') delete layer.config.batch_input_shape;
  return copy;
}

describe('the textbook pastes against Keras 3.15.1', () => {
  for (const seed of SEEDS) {
    it(`${seed}: Keras's summary text, names and config with the Keras 3 layout`, () => {
      const expected = read(`${seed}.summary.txt`).replace(/\n$/, '');
      const names = JSON.parse(read(`${seed}.names.json`)) as { model: string; layers: string[]; inputs: string[] };
      const { model, summaries } = readPython(read(`${seed}.py`), { layout: 'keras3' });
      expect(summaries).toBe(1);
      const width = expected.split('\n')[1]!.length;
      expect(model.summary({ layout: 'keras3', lineLength: width })).toBe(expected);
      expect(model.name).toBe(names.model);
      expect(model.layers.map((l) => l.name)).toEqual(names.layers);
      expect(model.inputs.map((t) => t.layer.name)).toEqual(names.inputs);
      // Keras's own to_json read by our JSON reader: the same layers, options, shapes and counts.
      resetNameScope();
      const keras = fromJSON(read(`${seed}.to_json`));
      expect(withoutLayerInputShapes(modelToJSON(model))).toEqual(withoutLayerInputShapes(modelToJSON(keras)));
      expect(summaryRows(model)).toEqual(summaryRows(keras));
    });
  }

  it("names like tf.keras 2.x with the classic layout (input_1, model, conv2d_input) and prints the book's text", () => {
    const sequential = readPython(read('seed_sequential.py')).model;
    expect(sequential.name).toBe('sequential');
    expect(sequential.inputs[0]!.layer.name).toBe('conv2d_input');
    resetNameScope();
    expect(sequential.summary()).toBe(seedCnn().summary());
    const functional = readPython(read('seed_functional.py')).model;
    expect(functional.name).toBe('model');
    expect(functional.inputs[0]!.layer.name).toBe('input_1');
    resetNameScope();
    expect(functional.summary()).toBe(seedCnnFunctional().summary());
    const two = readPython(read('seed_two_outputs.py')).model;
    resetNameScope();
    expect(two.summary()).toBe(branched().summary());
    expect(summaryRows(two).totalParams).toBe(282);
  });

  it("reads the Sequential paste's compile() and fit() settings, keeping the callbacks' Keras arguments", () => {
    const r = readPython(read('seed_sequential.py'));
    expect(r.format).toBe('Python code');
    expect(r.weightsLoaded).toBe(false);
    expect(r.compile).toEqual({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    expect(r.fit).toEqual({
      epochs: 20,
      callbacks: [
        { className: 'ModelCheckpoint', config: { filepath: 'best-cnn-model.keras', save_best_only: true } },
        { className: 'EarlyStopping', config: { patience: 2, restore_best_weights: true } },
      ],
    });
    expect(r.notes.join('\n')).toContain('Fashion-MNIST');
  });

  it('starts a fresh session per paste and restores the page\'s naming afterwards', () => {
    readPython(read('seed_functional.py'), { layout: 'keras3' });
    const again = readPython(read('seed_functional.py'), { layout: 'keras3' }).model;
    expect(again.name).toBe('functional');
    expect(again.layers[1]!.name).toBe('conv2d');
    resetNameScope();
    expect(seedCnnFunctional().inputs[0]!.layer.name).toBe('input_1');
  });
});
