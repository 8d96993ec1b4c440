// Layers whose registry entry says they have no kernels yet (entry.kernels 'none'): a model
// holding one is described, saved and exported, but compiling it for training, evaluation or
// prediction fails up front, on either engine, with this message (the page shows it by Start).

import type { Layer } from '../layer.ts';
import { LAYERS } from './registry.ts';

/** The error for a layer without kernels: 'LSTM "lstm" has no training kernels yet: ...'. */
export function noKernelsMessage(where: string): string {
  return `${where} has no training kernels yet: a model holding it cannot be trained, evaluated or run for predictions here; its summary, JSON and Python export work.`;
}

/** Why these layers cannot run (the first one without kernels), or null when all can. */
export function missingKernels(layers: readonly Layer[]): string | null {
  const layer = layers.find((l) => LAYERS[l.className].kernels === 'none');
  return layer ? noKernelsMessage(layer.where) : null;
}
