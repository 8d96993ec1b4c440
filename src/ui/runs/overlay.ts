// Which earlier runs the charts draw under the current one. Every run in the list (kept from
// earlier page loads, or of this session) has an "overlay" checkbox; a run the user never
// ticked or unticked follows the default: this session's last few ended runs, and, picked once
// when the kept runs are read back, the last few kept runs of the data set the page trains on.
// Runs are numbered by their place in the list, oldest first, as the list numbers them.

import type { DatasetKind } from '../../worker/datasets.ts';
import { OVERLAID, type RunRecord } from '../runs.ts';

export type NumberedRun = RunRecord & { number: number; kept: boolean };

/** The user's choice per run id (true: overlay it; false: do not); a run not named follows the default. */
export type OverlayChoice = Record<string, boolean>;

/** The whole run list, oldest first: the kept runs, then this session's, each with its number. */
export function numberedRuns(kept: RunRecord[], session: RunRecord[]): NumberedRun[] {
  return [...kept.map((r) => ({ ...r, kept: true })), ...session.map((r) => ({ ...r, kept: false }))].map((r, i) => ({ ...r, number: i + 1 }));
}

/** Whether a run can be overlaid at all: the current run is drawn as itself, a running one has no end yet. */
export const canOverlay = (run: RunRecord, current: string | null): boolean => run.id !== current && run.status !== 'running';

/** The runs the charts overlay, oldest first. */
export function overlaidRuns(kept: RunRecord[], session: RunRecord[], current: string | null, choice: OverlayChoice): NumberedRun[] {
  const recent = new Set(
    session
      .filter((r) => canOverlay(r, current))
      .slice(-OVERLAID)
      .map((r) => r.id),
  );
  return numberedRuns(kept, session).filter((r) => canOverlay(r, current) && (choice[r.id] ?? recent.has(r.id)));
}

/** The kept runs overlaid by default after a reload: the last OVERLAID that trained on `dataset`. */
export function defaultKeptOverlay(kept: RunRecord[], dataset: DatasetKind | null): OverlayChoice {
  const same = kept.filter((r) => r.dataset === dataset && r.status !== 'running' && r.epochs.length + r.curve.length > 0);
  return Object.fromEntries(same.slice(-OVERLAID).map((r) => [r.id, true]));
}

/** The legend's name of an overlaid run: its number, how it ended, and for a kept run when it ran. */
export function overlayName(r: NumberedRun): string {
  const when = r.kept ? `, ${new Date(r.startedAt).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })}` : '';
  return `run ${r.number} (${r.status}${when}): ${r.label}`;
}
