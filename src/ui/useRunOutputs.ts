// The output names of the current run's model (the page's model before any run), for charts
// and results that colour each output the same way.

import { useMemo } from 'react';
import { buildModel } from '../worker/modelSpec.ts';
import { useStore } from './store/store.ts';

export function useRunOutputs(): string[] {
  const runSpec = useStore((s) => s.runs.find((r) => r.id === s.currentRun)?.spec);
  const pageSpec = useStore((s) => s.spec);
  const spec = runSpec ?? pageSpec;
  return useMemo(() => buildModel(spec).outputs.map((t) => t.layer.name), [spec]);
}
