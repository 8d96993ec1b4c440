// The points a training run can go on from: every snapshot its fits take (at epoch ends, on
// Pause, and when its backups are due), the newest kept in memory and, where the page backs the
// run up, written to IndexedDB too; and the weights training started from. After a lost device
// the run goes on from the newer of its stored backup and the snapshot in memory.

import type { BackupHook } from '../model/train/fitSnapshot.ts';
import type { ResumePoint, RunBackup } from './runBackup.ts';

/** How far a point stands in its run, to tell the newer of two apart. */
const position = (p: ResumePoint): [number, number] => [p.fitBase + p.snapshot.epoch, p.snapshot.step];

/** The newer of two points (`a` when they stand at the same step). */
export function newerPoint(a: ResumePoint | null, b: ResumePoint | null): ResumePoint | null {
  if (!a || !b) return a ?? b;
  const [pa, pb] = [position(a), position(b)];
  return pa[0] > pb[0] || (pa[0] === pb[0] && pa[1] >= pb[1]) ? a : b;
}

export class RunPoints {
  /** The newest snapshot a fit took (or the point the run was last resumed at). */
  last: ResumePoint | null = null;
  /** The weights the run's first fit started from (a lost device before any snapshot starts over from them). */
  start: Float32Array | null = null;

  /** A fit's snapshot hook (the fit began `fitBase` epochs into the run): keeps each snapshot, and has `backup` write it. */
  hook(backup: RunBackup | null, fitBase: number): BackupHook {
    const writer = backup?.writerFor(fitBase) ?? null;
    return {
      // Without storage only epoch ends and Pause take one (each is a read of the whole state).
      due: (step) => writer?.due(step) ?? false,
      save: (snapshot) => {
        this.last = { snapshot, fitBase };
        writer?.save(snapshot);
      },
    };
  }

  /** Where to go on after a lost device: the newer of the run's stored backup (written out first) and the last snapshot; the stored one on a tie. */
  async recovery(backup: RunBackup | null): Promise<{ point: ResumePoint | null; stored: boolean }> {
    const stored = backup ? await backup.newest() : null;
    const point = newerPoint(stored, this.last);
    return { point, stored: point !== null && point === stored };
  }
}
