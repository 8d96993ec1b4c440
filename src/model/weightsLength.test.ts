// A weights blob must be exactly what its manifest describes: a longer one is refused too.
import { expect, it } from 'vitest';
import { layers, sequential } from './index';

it('loadWeights refuses a blob with bytes beyond its manifest and leaves the weights unchanged', () => {
  const m = sequential({ seed: 1 });
  m.add(layers.dense({ units: 3, inputShape: [2] }));
  const { manifest, data } = m.saveWeights();
  const before = m.getWeights();
  const longer = new Uint8Array(data.byteLength + 4);
  longer.set(new Uint8Array(data));
  longer.fill(7, 0, data.byteLength);
  expect(() => m.loadWeights(manifest, longer)).toThrow(/blob has \d+ bytes but the manifest describes \d+/);
  expect(m.getWeights()).toEqual(before);
});
