// The fit() log reads like Keras's verbose=1 output, and the history table pastes as columns.
import { describe, expect, it } from 'vitest';
import { fitLog, historyTsv, logValue, progressBar } from './fitLog';

describe('fit log', () => {
  it('prints finished epochs as Keras does, then the epoch under way', () => {
    const epochs = [{ epoch: 1, seconds: 9.2, logs: { loss: 0.63124, accuracy: 0.77651, val_loss: 0.45471, val_accuracy: 0.837 } }];
    const progress = { epoch: 2, epochs: 3, step: 141, stepsPerEpoch: 282, samplesPerSec: 1000, etaSec: 12.4 };
    expect(fitLog(epochs, 3, 282, progress, 0.41234)).toEqual([
      'Epoch 1/3',
      '282/282 [==============================] - 9s 33ms/step - loss: 0.6312 - accuracy: 0.7765 - val_loss: 0.4547 - val_accuracy: 0.8370',
      'Epoch 2/3',
      '141/282 [==============>...............] - ETA: 12s - loss: 0.4123',
    ]);
  });

  it('draws bars 30 wide at every step and prints tiny values in scientific notation', () => {
    for (let s = 0; s <= 7; s++) expect(progressBar(s, 7)).toHaveLength(32);
    expect(progressBar(0, 7)).toBe(`[${'.'.repeat(30)}]`);
    expect(logValue(0.00012345)).toBe('1.2345e-4');
    expect(logValue(0)).toBe('0.0000');
  });

  it('copies the history as tab-separated columns', () => {
    const tsv = historyTsv([
      { epoch: 1, seconds: 2.04, logs: { loss: 0.5, y1_output_loss: 0.2 } },
      { epoch: 2, logs: { loss: 0.4, y1_output_loss: 0.1 } },
    ]);
    expect(tsv).toBe('epoch\tseconds\tloss\ty1_output_loss\n1\t2.0\t0.5\t0.2\n2\t\t0.4\t0.1');
  });
});
