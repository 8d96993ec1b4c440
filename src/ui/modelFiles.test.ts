// Reading a model file on the page: a saved file comes back whole, a damaged one is refused with
// a short message before anything in the store changes.
import { describe, expect, it } from 'vitest';
import { resetNameScope } from '../model/index';
import { seedCnn } from '../model/examples';
import { modelFile, parseJsonText, readModel } from './modelFiles';

describe('readModel', () => {
  resetNameScope();
  const model = seedCnn();
  const { manifest, data } = model.saveWeights();

  it('reads a saved file back, and refuses damaged ones with a short message', () => {
    const file = JSON.parse(JSON.stringify(modelFile(model.toJSON(), manifest)));
    expect(readModel(file, data, 'model.json').weights?.manifest).toEqual(manifest);
    expect(() => readModel(file, data.slice(0, 100), 'model.json')).toThrow(/The weights do not fit the model: .*lies outside the 100-byte blob/);
    expect(() => readModel({ ...file, modelTopology: { class_name: 'Lambda', config: {} } }, data, 'model.json')).toThrow(/model.json is not a valid model: .*unknown model class "Lambda"/);
    expect(() => readModel({ ...file, weightsManifest: 'x' }, data, 'model.json')).toThrow(/has no weightsManifest/);
    const garbage = `{"format": ${'x'.repeat(1_000_000)}`;
    let message = '';
    try {
      parseJsonText(garbage, 'model.json');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^model.json is not JSON: /);
    expect(message.length).toBeLessThan(300);
  });
});
