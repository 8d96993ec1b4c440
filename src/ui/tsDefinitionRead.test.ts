// The page's TypeScript view reads back: for every built-in example, the code the page shows
// rebuilds a model with the same Keras JSON as the example built in code (the shared-layer
// example is left out: specs describe each layer by one call; the reader's own test covers it).
import { describe, expect, it } from 'vitest';
import { readTypeScript } from '../model/io/typescript/index.ts';
import { modelToJSON, resetNameScope } from '../model/index.ts';
import { examples } from '../model/examples.ts';
import { specFromModel } from '../worker/modelSpec.ts';
import { tsDefinition } from './tsDefinition.ts';

describe('readTypeScript(tsDefinition(spec))', () => {
  for (const [key, example] of Object.entries(examples).filter(([k]) => k !== 'shared-two-heads')) {
    it(`rebuilds ${key}`, () => {
      resetNameScope();
      const original = example.build();
      const json = JSON.stringify(modelToJSON(original));
      const read = readTypeScript(tsDefinition(specFromModel(original)));
      expect(JSON.stringify(modelToJSON(read.model))).toBe(json);
      expect(read.model.countParams()).toBe(original.countParams());
    });
  }
});
