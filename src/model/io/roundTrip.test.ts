// Every built-in example through every writable format and back: the same config (Keras JSON),
// the same summary, and, for the formats that carry weights, the same weights and predictions on
// the CPU engine. The readers and writers are checked against real Keras and TF.js files in their
// own tests; this one checks that the formats agree with each other for every example.
import { describe, expect, it } from 'vitest';
import { examples } from '../examples.ts';
import type { LayerModel } from '../functional.ts';
import { modelToJSON } from '../modelJson.ts';
import { Random, resetNameScope } from '../index.ts';
import { CpuEngine } from '../train/cpuEngine.ts';
import type { HostTensor } from '../train/engine.ts';
import { readModelFiles, writeModelFiles } from './files.ts';
import type { WriteFormat } from './types.ts';

/** Seeded inputs for every model input, batch 3. */
function inputsFor(model: LayerModel): HostTensor[] {
  const rng = new Random(7);
  return model.inputs.map((t) => {
    const shape = [3, ...t.shape.slice(1).map((d) => d ?? 1)];
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => rng.symmetric(1));
    return { data, shape };
  });
}

async function predict(model: LayerModel, x: HostTensor[]): Promise<Float32Array[]> {
  await model.compile({ engine: new CpuEngine(), optimizer: 'sgd', loss: 'mse' });
  return model.predict(x.length === 1 ? x[0]! : x);
}

/**
 * The Keras JSON, with a Sequential's input shape kept in one place: tf.keras 2.x writes it on the
 * first layer too (batch_input_shape), Keras 3 only on the InputLayer; both build the same model.
 */
function config(model: LayerModel): unknown {
  const json = modelToJSON(model);
  if (json.class_name !== 'Sequential') return json;
  const layers = (json.config.layers as { config: Record<string, unknown> }[]).map((l, i) => {
    if (i !== 1) return l;
    const { batch_input_shape: _shape, ...rest } = l.config;
    return { ...l, config: rest };
  });
  return { ...json, config: { ...json.config, layers } };
}

const WITH_WEIGHTS: WriteFormat[] = ['keras', 'h5', 'tfjs'];
const CONFIG_ONLY: WriteFormat[] = ['json', 'keras3-json'];

describe.each(Object.entries(examples))('%s through every format', (_key, example) => {
  it.each(WITH_WEIGHTS)('%s keeps config, summary, weights and predictions', async (format) => {
    resetNameScope();
    const model = example.build();
    const x = inputsFor(model);
    const expected = await predict(model, x);
    const files = await writeModelFiles(model, format);
    resetNameScope();
    const back = await readModelFiles(files);
    expect(back.weightsLoaded).toBe(true);
    expect(config(back.model)).toEqual(config(model));
    expect(back.model.summary()).toBe(model.summary());
    expect(back.model.getWeights()).toEqual(model.getWeights());
    const got = await predict(back.model, x);
    got.forEach((out, i) => expect(Array.from(out)).toEqual(Array.from(expected[i]!)));
  });

  it.each(CONFIG_ONLY)('%s keeps config and summary', async (format) => {
    resetNameScope();
    const model = example.build();
    const back = await readModelFiles(await writeModelFiles(model, format));
    expect(config(back.model)).toEqual(config(model));
    expect(back.model.summary()).toBe(model.summary());
  });

  it('.weights.h5 onto the same architecture, and Python code with its .weights.h5', async () => {
    resetNameScope();
    const model = example.build();
    const x = inputsFor(model);
    const expected = await predict(model, x);
    resetNameScope();
    const fresh = example.build();
    expect(fresh.getWeights()).not.toEqual(model.getWeights());
    await readModelFiles(await writeModelFiles(model, 'weights.h5'), { onto: fresh });
    expect(fresh.getWeights()).toEqual(model.getWeights());

    const files = await writeModelFiles(model, 'python', { weights: true, baseName: 'm' });
    resetNameScope();
    const back = await readModelFiles(files);
    expect(back.model.summary()).toBe(model.summary());
    const got = await predict(back.model, x);
    got.forEach((out, i) => expect(Array.from(out)).toEqual(Array.from(expected[i]!)));
  });
});
