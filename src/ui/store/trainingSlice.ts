// Training: the settings, the worker's phase and engine, and the live curves. Batch points are
// smoothed as they arrive and thinned (every other point dropped) past a bound, so charts stay fast.

import type { StateCreator } from 'zustand';
import type { BatchPoint, EpochPoint, ErrorKind, Phase, Progress } from '../../worker/protocol.ts';
import type { AutoChoice } from '../../worker/engineChoice.ts';
import { DEFAULT_SETTINGS, type EngineKind, type TrainSettings } from '../../worker/settings.ts';
import type { Store } from './store.ts';

export const MAX_BATCH_POINTS = 600;
const SMOOTHING = 0.9;

export interface ChartPoint {
  step: number;
  loss: number;
  smooth: number;
  [output: string]: number;
}

export type WebGpuState = { status: 'checking' } | { status: 'ok'; adapter: string } | { status: 'unavailable'; reason: string };

export interface TrainingSlice {
  settings: TrainSettings;
  webgpu: WebGpuState;
  engine: { kind: EngineKind; description: string; note?: string } | null;
  /** The Auto engine's timings and reason for the current run (null when an engine was picked by hand). */
  autoChoice: AutoChoice | null;
  phase: Phase;
  phaseDetail: string | null;
  batchPoints: ChartPoint[];
  epochPoints: EpochPoint[];
  progress: Progress | null;
  error: { kind: ErrorKind; message: string } | null;
  /** Running smoothed loss (debiased EMA) and how many points went into it. */
  ema: { value: number; count: number };
  setSetting: <K extends keyof TrainSettings>(key: K, value: TrainSettings[K]) => void;
  setSettings: (settings: TrainSettings) => void;
  clearRun: () => void;
  addBatches: (points: BatchPoint[], progress: Progress) => void;
}

export const createTrainingSlice: StateCreator<Store, [], [], TrainingSlice> = (set, get) => ({
  settings: DEFAULT_SETTINGS,
  webgpu: { status: 'checking' },
  engine: null,
  autoChoice: null,
  phase: 'idle',
  phaseDetail: null,
  batchPoints: [],
  epochPoints: [],
  progress: null,
  error: null,
  ema: { value: 0, count: 0 },
  setSetting: (key, value) => set({ settings: { ...get().settings, [key]: value } }),
  setSettings: (settings) => set({ settings }),
  clearRun: () => set({ autoChoice: null, batchPoints: [], epochPoints: [], progress: null, error: null, ema: { value: 0, count: 0 }, results: null, inside: null, insideBefore: null }),
  addBatches: (points, progress) => {
    let { value, count } = get().ema;
    let list = get().batchPoints.slice();
    const curve: { step: number; loss: number }[] = [];
    for (const p of points) {
      value = SMOOTHING * value + (1 - SMOOTHING) * p.loss;
      count += 1;
      const smooth = value / (1 - SMOOTHING ** count);
      list.push({ step: p.step, loss: p.loss, smooth, ...p.outputs });
      curve.push({ step: p.step, loss: smooth });
      if (list.length > MAX_BATCH_POINTS) list = list.filter((_, i) => i % 2 === 0 || i === list.length - 1);
    }
    set({ batchPoints: list, progress, ema: { value, count } });
    get().updateRun({ curve });
  },
});
