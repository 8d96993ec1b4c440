// The run as Keras's fit() prints it (verbose=1, one line per finished epoch and a live line for
// the epoch under way), and the per-epoch history as a tab-separated table to paste anywhere.

import type { EpochPoint, Progress } from '../worker/protocol.ts';

const BAR = 30;

/** A log value as Keras prints it: 4 decimals, or scientific notation for tiny values. */
export function logValue(v: number): string {
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(4) : v.toFixed(4);
}

/** Keras's progress bar: `[=====>....]`, all `=` when the epoch is done. */
export function progressBar(step: number, steps: number): string {
  const filled = Math.floor((BAR * Math.min(step, steps)) / steps);
  const head = filled === 0 ? '' : `${'='.repeat(filled - 1)}${step < steps ? '>' : '='}`;
  return `[${head}${'.'.repeat(BAR - filled)}]`;
}

const metrics = (logs: Record<string, number>): string =>
  Object.entries(logs)
    .map(([k, v]) => ` - ${k}: ${logValue(v)}`)
    .join('');

function timing(seconds: number | undefined, steps: number): string {
  if (seconds === undefined) return '';
  const perStep = (seconds * 1000) / steps;
  const step = perStep >= 1000 ? `${(perStep / 1000).toFixed(0)}s/step` : perStep >= 1 ? `${Math.round(perStep)}ms/step` : `${Math.round(perStep * 1000)}us/step`;
  return ` - ${Math.round(seconds)}s ${step}`;
}

/**
 * The fit() log: two lines per finished epoch, then the epoch under way (with `liveLoss`, the
 * smoothed loss so far) while `progress` is past the last finished one.
 */
export function fitLog(epochs: readonly EpochPoint[], totalEpochs: number, stepsPerEpoch: number, progress: Progress | null, liveLoss: number | null): string[] {
  const lines: string[] = [];
  for (const e of epochs) {
    lines.push(`Epoch ${e.epoch}/${totalEpochs}`);
    lines.push(`${stepsPerEpoch}/${stepsPerEpoch} ${progressBar(stepsPerEpoch, stepsPerEpoch)}${timing(e.seconds, stepsPerEpoch)}${metrics(e.logs)}`);
  }
  const last = epochs.at(-1)?.epoch ?? 0;
  if (progress && progress.epoch > last && progress.step < progress.stepsPerEpoch) {
    const eta = progress.samplesPerSec > 0 ? ` - ETA: ${Math.round(progress.etaSec)}s` : '';
    lines.push(`Epoch ${progress.epoch}/${totalEpochs}`);
    lines.push(`${progress.step}/${progress.stepsPerEpoch} ${progressBar(progress.step, progress.stepsPerEpoch)}${eta}${liveLoss === null ? '' : ` - loss: ${logValue(liveLoss)}`}`);
  }
  return lines;
}

/** The history's columns: epoch, seconds, then every log key in the order Keras logs them. */
export function historyColumns(epochs: readonly EpochPoint[]): string[] {
  const keys: string[] = [];
  for (const e of epochs) for (const k of Object.keys(e.logs)) if (!keys.includes(k)) keys.push(k);
  return ['epoch', 'seconds', ...keys];
}

/** The history as tab-separated text with a header row (pastes into a spreadsheet as columns). */
export function historyTsv(epochs: readonly EpochPoint[]): string {
  const columns = historyColumns(epochs);
  const rows = epochs.map((e) =>
    columns.map((c) => (c === 'epoch' ? String(e.epoch) : c === 'seconds' ? (e.seconds?.toFixed(1) ?? '') : e.logs[c] === undefined ? '' : String(e.logs[c]))).join('\t'),
  );
  return [columns.join('\t'), ...rows].join('\n');
}
