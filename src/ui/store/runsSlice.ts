// The runs of this session (src/ui/runs.ts records): Start adds one and trains it; the worker's
// messages fill in the current one (curve, epochs, engine, how it ended). Earlier runs stay for
// the charts' overlay (runs/overlay.ts: the user's choice per run, or the default); results and Look inside belong to the current run only.

import type { StateCreator } from 'zustand';
import { EXAMPLE_TITLES } from '../../worker/examples.ts';
import { datasetFor } from '../../worker/datasets.ts';
import { buildModel, type ModelSpec } from '../../worker/modelSpec.ts';
import type { TrainSettings } from '../../worker/settings.ts';
import type { WeightManifestEntry } from '../../model/index.ts';
import type { EpochPoint, Phase } from '../../worker/protocol.ts';
import { extendCurve, newRun, statusOf, type RunRecord } from '../runs.ts';
import type { OverlayChoice } from '../runs/overlay.ts';
import type { Store } from './store.ts';

export interface RunsSlice {
  runs: RunRecord[];
  /** The id of the run the page shows (training or last trained), or null. */
  currentRun: string | null;
  /** The model the curves, results and Look inside belong to (trained or loaded with weights); stale once the page's differs. */
  shownSpec: ModelSpec | null;
  /** Clears the current run's views, records a new run of the page's model and settings, and trains it. */
  startTraining: () => void;
  /** Which runs the user chose to overlay in the charts, or not (runs/overlay.ts); the others follow the default. */
  overlayChoice: OverlayChoice;
  setOverlay: (id: string, on: boolean) => void;
  /** Updates the current run from a worker message. */
  updateRun: (change: { curve?: RunRecord['curve']; epoch?: EpochPoint; engine?: string; phase?: Phase }) => void;
  /** Clears the views and has the worker take a model with trained weights (from the browser or files), evaluated as it is. */
  importTrained: (spec: ModelSpec, weights: { manifest: WeightManifestEntry[]; data: ArrayBuffer }, settings: TrainSettings) => void;
}

let counter = 0;

export const createRunsSlice: StateCreator<Store, [], [], RunsSlice> = (set, get) => ({
  runs: [],
  currentRun: null,
  shownSpec: null,
  overlayChoice: {},
  setOverlay: (id, on) => set({ overlayChoice: { ...get().overlayChoice, [id]: on } }),
  startTraining: () => {
    const { spec, settings, example, send, clearRun } = get();
    const fits = datasetFor(buildModel(spec));
    if ('error' in fits) return;
    counter += 1;
    const id = `${Date.now().toString(36)}-${counter}`;
    const title = example ? EXAMPLE_TITLES[example] : `${spec.name} (edited)`;
    const run = newRun(id, title, structuredClone(spec), { ...settings }, fits.kind);
    clearRun();
    set({ runs: [...get().runs, run], currentRun: id, shownSpec: run.spec, phase: 'loading' });
    send({ type: 'train', spec, settings });
  },
  importTrained: (spec, weights, settings) => {
    get().clearRun();
    set({ currentRun: null, shownSpec: structuredClone(spec) });
    get().send({ type: 'import', spec, manifest: weights.manifest, weights: weights.data, settings });
  },
  updateRun: (change) => {
    const id = get().currentRun;
    if (!id) return;
    set({
      runs: get().runs.map((r) => {
        if (r.id !== id || r.status !== 'running') return r;
        const status = change.phase ? statusOf(change.phase) : null;
        return {
          ...r,
          ...(change.curve ? { curve: extendCurve(r.curve, change.curve) } : {}),
          ...(change.epoch ? { epochs: [...r.epochs, change.epoch] } : {}),
          ...(change.engine ? { engine: change.engine } : {}),
          ...(status ? { status } : {}),
        };
      }),
    });
  },
});
