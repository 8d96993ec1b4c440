// The worker's side of loading a trained model: the file is checked before anything is replaced,
// so a bad one leaves the current run (and its model) as it was.
import { describe, expect, it } from 'vitest';
import { resetNameScope } from '../model/index';
import { seedCnn } from '../model/examples';
import { specFromModel } from './modelSpec';
import { Playground } from './playground';
import type { FromWorker } from './protocol';
import { DEFAULT_SETTINGS } from './settings';

describe('loading a model with weights', () => {
  resetNameScope();
  const model = seedCnn();
  const { manifest, data } = model.saveWeights();

  it('the worker rejects weights that do not fit before it touches the current run or the data', async () => {
    const messages: FromWorker[] = [];
    const playground = new Playground((m) => void messages.push(m));
    const bad = manifest.map((e, i) => (i === 0 ? { ...e, shape: [3, 3, 1, 16] } : e));
    await playground.handle({ type: 'import', spec: specFromModel(model), manifest: bad, weights: data, settings: DEFAULT_SETTINGS });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ type: 'error', kind: 'input' });
    expect((messages[0] as { message: string }).message).toMatch(/"conv2d\/kernel" has shape \[3, 3, 1, 32\] in the model but \[3, 3, 1, 16\]/);
  });
});
