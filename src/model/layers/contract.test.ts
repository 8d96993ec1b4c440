// The layer contract (Keras's run_layer_test), run for every class in the registry from its
// registry sample, so a new class is tested without a test of its own: the inferred output shape
// is the executed one (CPU engine, fast and reference ops agreeing), countParams is its weights'
// sizes trainable and not, a model holding the layer round-trips through Keras JSON with the same
// summary and Python export, and its gradients match finite differences on the reference ops.
// A class without kernels yet (registry entry kernels: 'none') skips the execution checks and
// must instead refuse to compile, naming itself.
// tests/gpu/contract.gpu.ts holds the same layers to the WebGPU engine.
import { describe, expect, it } from 'vitest';
import { contractCase, contractClasses, executable, inferredSize, predictOn } from '../../../tests/util/layerContract';
import { assertClose } from '../../../tests/util/check';
import { checkGradients } from '../../../tests/util/gradcheck';
import { CpuEngine } from '../train/cpuEngine';
import { referenceOps } from '../train/cpuOps';
import { modelFromJSON, modelToJSONString } from '../serialize';
import { toKerasPython } from '../python';
import { summaryRows } from '../summary';

const BATCH = 3;

describe.each(contractClasses())('layer contract: %s', (className) => {
  it.skipIf(!executable(className))('executes to its inferred output shape; fast CPU ops agree with the reference', async () => {
    const c = contractCase(className, BATCH);
    const expected = inferredSize(c, BATCH);
    const [fast] = await predictOn(new CpuEngine(), c.bare, c.data);
    const [reference] = await predictOn(new CpuEngine(referenceOps), c.bare, c.data);
    expect(fast.length).toBe(expected);
    expect(reference.length).toBe(expected);
    expect(c.bare.outputs[0].shape.slice(1)).toEqual(c.layer.output.shape.slice(1));
    assertClose(fast, reference, { atol: 1e-5, rtol: 1e-4 }, `${className} output, fast vs reference`);
  });

  it('counts its parameters as its weights, trainable and not, as summary() does', () => {
    const { layer, model } = contractCase(className, BATCH);
    const sizes = (ws: { values: Float32Array }[]) => ws.reduce((n, w) => n + w.values.length, 0);
    expect(layer.countParams()).toBe(sizes(layer.weights));
    expect(sizes(layer.trainableWeights) + sizes(layer.nonTrainableWeights)).toBe(layer.countParams());
    const summary = summaryRows(model);
    expect(summary.rows.find((r) => r.name === layer.name)?.params).toBe(layer.countParams());
    const all = model.graphLayers.flatMap((l) => l.weights);
    expect(summary.totalParams).toBe(sizes(all));
    expect(summary.trainableParams).toBe(sizes(model.graphLayers.flatMap((l) => l.trainableWeights)));
  });

  it('round-trips through Keras JSON with the same config, summary and Python export', () => {
    const { layer, model } = contractCase(className, BATCH);
    const json = modelToJSONString(model);
    const back = modelFromJSON(json);
    expect(modelToJSONString(back)).toBe(json);
    expect(back.graphLayers.find((l) => l.name === layer.name)?.getConfig()).toEqual(layer.getConfig());
    expect(back.summary()).toBe(model.summary());
    expect(toKerasPython(back)).toBe(toKerasPython(model));
    expect(toKerasPython(model)).toContain(`layers.${className}(`);
  });

  it.skipIf(!executable(className))('backpropagates as finite differences of the loss say (reference ops)', async () => {
    const c = contractCase(className, BATCH);
    // Every weight element of these small models is checked, except the few at a relu/max kink.
    const { checked, kinks } = await checkGradients(c.model, c.data, c.losses, 10);
    const elements = c.model.graphLayers.reduce((n, l) => n + l.countParams(), 0);
    expect(checked + kinks).toBeGreaterThanOrEqual(Math.min(elements, 40));
  });

  it.runIf(!executable(className))('without kernels: compiling a model holding it fails up front, naming the layer', async () => {
    const c = contractCase(className, BATCH);
    const message = `${c.layer.where} has no training kernels yet`;
    await expect(predictOn(new CpuEngine(), c.model, c.data)).rejects.toThrow(message);
    await expect(c.model.compile({ loss: 'sparse_categorical_crossentropy', engine: new CpuEngine() })).rejects.toThrow(message);
  });
});
