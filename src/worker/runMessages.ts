// What the training run says when a fit fails: a NaN loss (which weights are kept, the learning
// rate to try) and a lost GPU device (where the run, moved to a new device, will go on from).

import type { NonFiniteLossError } from '../model/train/trainer.ts';
import type { ResumePoint } from './runBackup.ts';

/** "the end of epoch 2" or "epoch 3, step 4": where a point stands, counted over the whole run. */
export function pointName({ snapshot, fitBase }: ResumePoint): string {
  const epoch = fitBase + snapshot.epoch;
  if (snapshot.step > 0) return `epoch ${epoch + 1}, step ${snapshot.step}`;
  return epoch === 0 ? 'the start of training' : `the end of epoch ${epoch}`;
}

/** After a lost device: where the new one stands (`stored`: the point came from the run's backup in the browser). */
export function deviceLostMessage(lost: string, point: ResumePoint | null, stored: boolean): string {
  const at = point ? pointName(point) : 'the start of training';
  const source = !point ? at : stored ? `its last backup (${at})` : `its last snapshot in memory (${at})`;
  return `Training stopped: ${lost} A new device holds the weights and optimizer state from ${source}; press Resume to go on from there.`;
}

/** A NaN loss in a fit that began `fitBase` epochs into the run (the trainer has put the kept weights back). */
export function nanMessage(e: NonFiniteLossError, fitBase: number, learningRate: number): string {
  const k = e.kept;
  const kept =
    k.step > 0 || k.epoch + fitBase > 1
      ? `The weights from epoch ${k.epoch + fitBase}, step ${k.step}, the last good ones, are kept.`
      : 'No step finished with a finite loss, so the initial weights are kept.';
  return `Training stopped: ${e.message} Try a learning rate of ${learningRate / 10} or lower. ${kept}`;
}
