// The page's loss setting: the two losses Fashion-MNIST's integer labels allow, validated like
// the other settings (URLs and messages can carry anything).
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, LOSS_CHOICES, validateSettings, type TrainSettings } from './settings';

describe('loss setting', () => {
  it('accepts both choices and refuses others with the list', () => {
    for (const loss of LOSS_CHOICES) expect(validateSettings({ ...DEFAULT_SETTINGS, loss })).toEqual({});
    expect(validateSettings({ ...DEFAULT_SETTINGS, loss: 'mse' } as unknown as TrainSettings).loss).toMatch(/Choose a loss: sparse_categorical_crossentropy or sparse_categorical_crossentropy_from_logits/);
  });
});
