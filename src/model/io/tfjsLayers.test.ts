// Every layer class we have, one at a time, written as a TF.js model and loaded by the real
// tf.loadLayersModel (tfjs 4.22): it loads, and where our CPU engine runs the layer both predict
// the same numbers. The few layers TF.js lacks are refused by writeTfjs with a clear message.
import { describe, expect, it } from 'vitest';
import { LAYER_CLASS_NAMES, defaultConfig, input, layerFromConfig, layers, missingKernels, model, resetNameScope, type Model } from '../index.ts';
import { assertClose } from '../../../tests/util/check.ts';
import { ourPredict, randomInputs, randomizeWeights, tfjsLoad, tfjsPredict } from '../../../tests/util/tfjs.ts';
import type { HostTensor } from '../train/engine.ts';
import { readTfjs, writeTfjs } from './tfjs.ts';

const REFUSED = ['SpatialDropout2D', 'Normalization'];
/** Merge layers take two inputs: tested apart. */
const MERGES = ['Concatenate', 'Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum'];

function merge(className: string): Model {
  resetNameScope();
  const a = input({ shape: [6] });
  const b = input({ shape: [6] });
  const layer = layerFromConfig(defaultConfig(className as 'Add', 'layer'));
  return model({ inputs: [a, b], outputs: layer.apply([a, b]) as never });
}
const SHAPES = [[8, 8, 3], [6, 4], [6], [4, 6, 6, 3]];

/** The layer with its defaults on the first input rank it accepts. */
function oneLayer(className: string): Model {
  if (className === 'Bidirectional') {
    resetNameScope();
    const x = input({ shape: [6, 4] });
    return model({ inputs: x, outputs: layers.bidirectional({ layer: layers.gru({ units: 3, resetAfter: false }) }).apply(x) as never });
  }
  for (const shape of SHAPES) {
    try {
      resetNameScope();
      const x = input({ shape });
      const overrides = className === 'GRU' ? { resetAfter: false } : {};
      const layer = layerFromConfig({ ...defaultConfig(className as 'Dense', 'layer'), ...overrides });
      return model({ inputs: x, outputs: layer.apply(x) as never });
    } catch {
      // the next rank
    }
  }
  throw new Error(`${className} builds on none of the test shapes`);
}

function inputsFor(m: Model): HostTensor[] {
  const [x] = randomInputs(m.inputs.map((t) => [...t.shape]), 2, 3) as [HostTensor];
  // Embedding reads ids: whole numbers below its input_dim.
  if (m.graphLayers.some((l) => l.className === 'Embedding')) x.data = (x.data as Float32Array).map((v) => Math.floor((v + 1) * 4));
  return [x];
}

describe('tf.loadLayersModel reads every layer writeTfjs writes', () => {
  const classes = LAYER_CLASS_NAMES.filter((c) => c !== 'InputLayer' && !MERGES.includes(c) && !REFUSED.includes(c));
  for (const className of classes) {
    it(className, async () => {
      const m = oneLayer(className);
      randomizeWeights(m, 4);
      const files = writeTfjs(m);
      const theirs = await tfjsLoad(files);
      // Read back here too: the same weights in the same places.
      resetNameScope();
      const back = readTfjs(new TextEncoder().encode(JSON.stringify(files.modelJson)), files.shards);
      expect(back.model.getWeights()).toEqual(m.getWeights());
      expect(theirs.countParams()).toBe(m.countParams());
      if (missingKernels(m.graphLayers)) {
        // No CPU kernels for this layer yet: check each TF.js variable holds the weight it should (both in Keras order).
        expect(theirs.weights.map((w) => Float32Array.from(w.read().dataSync()))).toEqual(m.getWeights());
        return;
      }
      const x = inputsFor(m);
      assertClose((await ourPredict(m, x))[0]!, (await tfjsPredict(theirs, x))[0]!, { atol: 1e-4, rtol: 1e-4 }, className);
    }, 30_000);
  }

  for (const className of MERGES.filter((c) => c !== 'Subtract')) {
    it(`${className} (two inputs)`, async () => {
      const m = merge(className);
      const theirs = await tfjsLoad(writeTfjs(m));
      const x = randomInputs([[null, 6], [null, 6]], 3, 8);
      assertClose((await ourPredict(m, x))[0]!, (await tfjsPredict(theirs, x))[0]!, { atol: 1e-5, rtol: 1e-5 }, className);
    });
  }

  it('refuses the layers TF.js cannot load, naming the layer and what to do', () => {
    for (const className of REFUSED) expect(() => writeTfjs(oneLayer(className))).toThrow(new RegExp(`${className} "layer": TF.js has no ${className} layer`));
    expect(() => writeTfjs(merge('Subtract'))).toThrow(/Subtract "layer": TF.js has no Subtract layer/);
    resetNameScope();
    const x = input({ shape: [5, 2] });
    const gru = model({ inputs: x, outputs: layers.gru({ units: 2, name: 'g' }).apply(x) as never });
    expect(() => writeTfjs(gru)).toThrow(/GRU "g" has reset_after=True, which TF.js's GRU does not support; build it with resetAfter: false/);
  });
});
