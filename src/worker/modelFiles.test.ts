// The worker's open/download: a model written out opens again as the same spec (and weights
// when the files carry them); files that are not a model fail with their names in the message.
import { describe, expect, it } from 'vitest';
import { resetNameScope } from '../model/index.ts';
import { seedCnn } from '../model/examples.ts';
import { openModelFiles, writeModel } from './modelFiles.ts';
import { buildModel, specFromModel } from './modelSpec.ts';

describe('openModelFiles / writeModel', () => {
  it('opens what it wrote: the same spec, no weights from a JSON-only file', async () => {
    resetNameScope();
    const m = seedCnn();
    const files = await writeModel(m, 'json', { baseName: 'seed' });
    expect(files.map((f) => f.name)).toEqual(['seed.json']);
    const opened = await openModelFiles(files, 'classic', () => m);
    expect(opened.spec).toEqual(specFromModel(m));
    expect(opened.weights).toBeUndefined();
    expect(buildModel(opened.spec).countParams()).toBe(333_526);
  });

  it('names the files in its errors and refuses nothing at all', async () => {
    const junk = [{ name: 'junk.json', data: new Uint8Array([1, 2, 3]) }];
    await expect(openModelFiles(junk, 'classic', () => seedCnn())).rejects.toThrow(/junk\.json/);
    await expect(openModelFiles([], 'classic', () => seedCnn())).rejects.toThrow('No files were chosen.');
  });
});
