// The charts' overlay: this session's last OVERLAID ended runs by default, kept runs only when
// chosen (the default choice: the last OVERLAID of the page's data set), the user's tick or
// untick wins, the current or running run never; numbers follow the list, oldest first.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../worker/settings';
import { OVERLAID, newRun, type RunRecord } from '../runs';
import { defaultKeptOverlay, numberedRuns, overlaidRuns, overlayName } from './overlay';

const spec = { name: 'm' } as unknown as RunRecord['spec'];

function run(id: string, status: RunRecord['status'], dataset: RunRecord['dataset'] = 'fashion-mnist'): RunRecord {
  const r = newRun(id, `model ${id}`, spec, DEFAULT_SETTINGS, dataset);
  return { ...r, status, startedAt: '2026-12-01T10:00:00.000Z', curve: [{ step: 1, loss: 1 }], epochs: [{ epoch: 1, logs: { loss: 1 } }] };
}

describe('overlay', () => {
  const kept = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'].map((id, i) => run(id, i === 5 ? 'stopped' : 'finished', i === 1 ? 'regression' : 'fashion-mnist'));
  const session = ['s1', 's2', 's3', 's4', 's5', 's6'].map((id, i) => run(id, i === 5 ? 'running' : 'finished'));

  it('numbers the list oldest first, kept runs before this session', () => {
    expect(numberedRuns(kept, session).map((r) => `${r.number}${r.kept ? 'k' : 's'}`)).toEqual(['1k', '2k', '3k', '4k', '5k', '6k', '7s', '8s', '9s', '10s', '11s', '12s']);
  });

  it('draws the last few ended session runs, not the current or a running one, and no kept run unchosen', () => {
    const ids = overlaidRuns(kept, session, 's6', {}).map((r) => r.id);
    expect(OVERLAID).toBe(4);
    expect(ids).toEqual(['s2', 's3', 's4', 's5']);
    expect(overlaidRuns(kept, session, 's5', {}).map((r) => r.id)).toEqual(['s1', 's2', 's3', 's4']);
  });

  it('picks by default the last few kept runs of the data set the page trains on', () => {
    expect(defaultKeptOverlay(kept, 'fashion-mnist')).toEqual({ k3: true, k4: true, k5: true, k6: true });
    expect(defaultKeptOverlay(kept, 'regression')).toEqual({ k2: true });
    expect(defaultKeptOverlay(kept, null)).toEqual({});
    // A kept run with nothing to draw is not picked.
    expect(defaultKeptOverlay([{ ...kept[0]!, curve: [], epochs: [] }], 'fashion-mnist')).toEqual({});
  });

  it("follows the user's choice over the default, both ways, and never draws the current run", () => {
    const choice = { ...defaultKeptOverlay(kept, 'regression'), k1: true, s4: false, s6: true };
    const drawn = overlaidRuns(kept, session, 's6', choice);
    expect(drawn.map((r) => r.id)).toEqual(['k1', 'k2', 's2', 's3', 's5']);
    expect(drawn.map((r) => r.number)).toEqual([1, 2, 8, 9, 11]);
    // Deleted from the list: gone from the charts, even when it was chosen.
    expect(overlaidRuns(kept.slice(1), session, 's6', choice).map((r) => r.id)).toEqual(['k2', 's2', 's3', 's5']);
  });

  it('names a kept run with when it ran, a session run without', () => {
    const [k, s] = [numberedRuns(kept, session)[0]!, numberedRuns(kept, session)[6]!];
    expect(overlayName(s)).toBe('run 7 (finished): model s1 · Adam 0.001 · batch 32 · 3 epochs · seed 0');
    expect(overlayName(k)).toMatch(/^run 1 \(finished, .*12.*\): model k1 · Adam/);
  });
});
