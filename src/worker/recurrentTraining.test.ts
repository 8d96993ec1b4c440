// A model holding a layer without kernels (an LSTM reading Fashion-MNIST's rows as 28 steps) is
// refused by the worker before it loads the data or starts an engine, with the message the page
// shows next to its disabled Start button.
import { describe, expect, it } from 'vitest';
import { layers, missingKernels, resetNameScope, sequential } from '../model/index';
import { fashionMnistMismatch } from './examples';
import { specFromModel } from './modelSpec';
import { Playground } from './playground';
import type { FromWorker } from './protocol';
import { DEFAULT_SETTINGS } from './settings';

describe('training a model with a layer that has no kernels yet', () => {
  resetNameScope();
  const model = sequential({ name: 'rows' });
  model.add(layers.lstm({ units: 16, inputShape: [28, 28] }));
  model.add(layers.dense({ units: 10, activation: 'softmax' }));
  const message = 'LSTM "lstm" has no training kernels yet: a model holding it cannot be trained, evaluated or run for predictions here; its summary, JSON and Python export work.';

  it('fits Fashion-MNIST in shape, so the kernels are what the page names', () => {
    expect(fashionMnistMismatch(model)).toBeNull();
    expect(missingKernels(model.graphLayers)).toBe(message);
  });

  it('the worker refuses it up front: one input error, no data loaded, no engine', async () => {
    const messages: FromWorker[] = [];
    const playground = new Playground((m) => void messages.push(m));
    await playground.handle({ type: 'train', spec: specFromModel(model), settings: DEFAULT_SETTINGS });
    expect(messages).toEqual([{ type: 'error', kind: 'input', message }, { type: 'phase', phase: 'error' }]);
  });
});
