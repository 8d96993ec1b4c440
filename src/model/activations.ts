// The activations a layer may name. The executor needs a kernel for each, so
// the list is closed and checked when a layer is created.

import { oneOf } from './validate.ts';

export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'softmax', 'tanh'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export function checkActivation(where: string, value: unknown): ActivationName {
  if (value === undefined || value === null) return 'linear';
  return oneOf(where, 'activation', value, ACTIVATIONS);
}
