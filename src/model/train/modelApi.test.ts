// model.compile / model.fit: the Keras spelling of training, on the model itself.
import { describe, expect, it } from 'vitest';
import { layers, sequential } from '../index';
import { rng } from '../../../tests/util/check';

function blobs(n: number, size: number, seed: number) {
  const r = rng(seed);
  const data = new Uint8Array(n * size * size);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const q = Math.floor(r() * 4);
    labels[i] = q;
    const cy = (q >> 1) * (size / 2) + Math.floor(r() * (size / 2));
    const cx = (q & 1) * (size / 2) + Math.floor(r() * (size / 2));
    data[i * size * size + cy * size + cx] = 255;
  }
  return { x: { data, shape: [n, size, size, 1], scale: 1 / 255 }, y: { data: labels, shape: [n] } };
}

function smallCnn(seed: number) {
  const m = sequential({ seed });
  m.add(layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [8, 8, 1] }));
  m.add(layers.maxPooling2d({ poolSize: 2 }));
  m.add(layers.flatten());
  m.add(layers.dense({ units: 4, activation: 'softmax' }));
  return m;
}

describe('model.compile / model.fit (the Keras spelling)', () => {
  it('trains through the model itself, on the CPU engine where there is no WebGPU', async () => {
    const { x, y } = blobs(256, 8, 7);
    const m = smallCnn(4);
    await expect(m.fit(x, y)).rejects.toThrow(/call compile/);
    await m.compile({ optimizer: { kind: 'adam', learningRate: 0.01 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    expect(m.trainer.engine.kind).toBe('cpu');
    const before = m.getWeights()[0].slice();
    const h = await m.fit(x, y, { epochs: 3, batchSize: 32 });
    expect(h.history.accuracy[2]).toBeGreaterThan(h.history.accuracy[0]);
    // fit leaves the trained weights in the layers; setWeights goes back into the engine.
    expect(m.getWeights()[0]).not.toEqual(before);
    const trained = await m.evaluate(x, y);
    m.initializeWeights(4);
    const fresh = await m.evaluate(x, y);
    expect(fresh.loss).toBeGreaterThan(trained.loss);
    expect((await m.predict(x))[0].length).toBe(256 * 4);
  });
});
