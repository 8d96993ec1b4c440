// The model a spec describes, built once per spec (specs in the store always build).

import { useMemo } from 'react';
import type { Model } from '../model/index.ts';
import { buildModel, type ModelSpec } from '../worker/modelSpec.ts';

export function useModel(spec: ModelSpec): Model {
  return useMemo(() => buildModel(spec), [spec]);
}
