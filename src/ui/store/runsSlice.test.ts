// The session's runs: Start records the model and settings and trains them; the worker's
// messages fill in only the current run; how it ends (finished, stopped, failed) is kept; the
// curve stays bounded; a second Start keeps the first run for the charts' overlay.
import { describe, expect, it } from 'vitest';
import type { ToWorker } from '../../worker/protocol';
import { MAX_CURVE } from '../runs';
import { useStore } from './store';

describe('runs', () => {
  it('records each Start, fills in the current run only, and keeps how each ended', () => {
    const sent: ToWorker[] = [];
    useStore.setState({ send: (m) => void sent.push(m) });
    const s = () => useStore.getState();
    s().startTraining();
    expect(sent).toEqual([{ type: 'train', spec: s().spec, settings: s().settings }]);
    const first = s().runs[0]!;
    expect(first).toMatchObject({ model: 'Ch. 8 CNN (Sequential)', dataset: 'fashion-mnist', status: 'running' });
    expect(first.label).toBe('Ch. 8 CNN (Sequential) · Adam 0.001 · batch 32 · 3 epochs · seed 0');

    s().updateRun({ curve: Array.from({ length: 3 * MAX_CURVE }, (_, i) => ({ step: i + 1, loss: 1 / (i + 1) })) });
    s().updateRun({ epoch: { epoch: 1, logs: { loss: 0.5 } }, engine: 'CPU' });
    s().updateRun({ phase: 'stopped' });
    const stopped = s().runs[0]!;
    expect(stopped.status).toBe('stopped');
    expect(stopped.curve.length).toBeLessThanOrEqual(MAX_CURVE);
    expect(stopped.curve.at(-1)).toEqual({ step: 3 * MAX_CURVE, loss: 1 / (3 * MAX_CURVE) });
    expect(stopped.epochs).toEqual([{ epoch: 1, logs: { loss: 0.5 } }]);
    // A message after the run ended changes nothing.
    s().updateRun({ phase: 'done' });
    expect(s().runs[0]!.status).toBe('stopped');

    s().setSetting('optimizer', 'rmsprop');
    s().pickExample('branched');
    s().startTraining();
    expect(s().runs).toHaveLength(2);
    expect(s().runs[1]).toMatchObject({ model: 'Branched model: two outputs y1, y2', dataset: 'regression', status: 'running' });
    expect(s().runs[1]!.label).toContain('RMSprop 0.001');
    s().updateRun({ phase: 'done' });
    expect(s().runs.map((r) => r.status)).toEqual(['stopped', 'finished']);
  });
});
