// The page's training settings: every wrong value gets its own message before anything runs
// (the worker checks again before building the model or touching the GPU).
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, validateSettings, type TrainSettings } from './settings';

const errorsOf = (change: Partial<Record<keyof TrainSettings, unknown>>) => validateSettings({ ...DEFAULT_SETTINGS, ...change } as TrainSettings);

describe('validateSettings', () => {
  it('accepts the defaults', () => {
    expect(validateSettings(DEFAULT_SETTINGS)).toEqual({});
  });

  it('defaults to the Auto engine and still takes a forced WebGPU or CPU (links from before Auto)', () => {
    expect(DEFAULT_SETTINGS.engine).toBe('auto');
    expect(errorsOf({ engine: 'webgpu' })).toEqual({});
    expect(errorsOf({ engine: 'cpu' })).toEqual({});
  });

  const cases: [string, Partial<Record<keyof TrainSettings, unknown>>, keyof TrainSettings, RegExp][] = [
    ['batch size 0', { batchSize: 0 }, 'batchSize', /whole number from 1 to 4096/],
    ['a fractional batch size', { batchSize: 2.5 }, 'batchSize', /whole number/],
    ['a batch larger than the data', { trainSize: 100, validationSplit: 0.1, batchSize: 91 }, 'batchSize', /at most the 90 training images/],
    ['learning rate 0', { learningRate: 0 }, 'learningRate', /above 0/],
    ['a negative learning rate', { learningRate: -0.01 }, 'learningRate', /above 0/],
    ['a NaN learning rate', { learningRate: NaN }, 'learningRate', /above 0/],
    ['an infinite learning rate', { learningRate: Infinity }, 'learningRate', /at most 10/],
    ['a learning rate that is a string', { learningRate: '0.1' }, 'learningRate', /above 0/],
    ['epochs 0', { epochs: 0 }, 'epochs', /whole number from 1/],
    ['fractional epochs', { epochs: 1.5 }, 'epochs', /whole number/],
    ['negative epochs', { epochs: -1 }, 'epochs', /whole number/],
    ['validation split 1', { validationSplit: 1 }, 'validationSplit', /below 1/],
    ['a negative validation split', { validationSplit: -0.1 }, 'validationSplit', /at least 0/],
    ['a NaN validation split', { validationSplit: NaN }, 'validationSplit', /at least 0/],
    ['a split that leaves no training images', { trainSize: 10, validationSplit: 0.95 }, 'validationSplit', /leaves no training or no validation images/],
    ['an unknown engine', { engine: 'gpu' }, 'engine', /Choose Auto, WebGPU or CPU/],
  ];
  for (const [name, change, field, message] of cases) {
    it(`rejects ${name}`, () => {
      const errors = errorsOf(change);
      expect(errors[field]).toMatch(message);
    });
  }
});
