// The models on the page: model A (picked or edited) and model B (the comparison), each kept as
// the last spec that built; the editor's draft of A with the model API's error when it does not.

import type { StateCreator } from 'zustand';
import { exampleSpec, type ExampleKey } from '../../worker/examples.ts';
import { buildModel, SpecError, type ModelSpec } from '../../worker/modelSpec.ts';
import type { Store } from './store.ts';

export interface EditError {
  /** The layer the error is about, when there is one. */
  layer?: string;
  message: string;
}

export interface ModelSlice {
  spec: ModelSpec;
  /** The example A came from, or null once edited or loaded. */
  example: ExampleKey | null;
  draft: ModelSpec;
  editError: EditError | null;
  compareSpec: ModelSpec;
  compareExample: ExampleKey;
  pickExample: (key: ExampleKey) => void;
  /** Try an edit: it becomes the model if it builds; otherwise the error shows and the model stays. */
  editDraft: (draft: ModelSpec) => void;
  setSpec: (spec: ModelSpec, example: ExampleKey | null) => void;
  pickCompare: (key: ExampleKey) => void;
}

export const createModelSlice: StateCreator<Store, [], [], ModelSlice> = (set) => ({
  spec: exampleSpec('seed-cnn'),
  example: 'seed-cnn',
  draft: exampleSpec('seed-cnn'),
  editError: null,
  compareSpec: exampleSpec('seed-cnn-functional'),
  compareExample: 'seed-cnn-functional',
  pickExample: (key) => {
    const spec = exampleSpec(key);
    set({ spec, draft: structuredClone(spec), example: key, editError: null });
  },
  editDraft: (draft) => {
    try {
      buildModel(draft);
      set({ draft, spec: structuredClone(draft), example: null, editError: null });
    } catch (e) {
      const error = e instanceof SpecError ? { message: e.message, ...(e.layer ? { layer: e.layer } : {}) } : { message: String(e) };
      set({ draft, editError: error });
    }
  },
  setSpec: (spec, example) => set({ spec, draft: structuredClone(spec), example, editError: null }),
  pickCompare: (key) => set({ compareSpec: exampleSpec(key), compareExample: key }),
});
