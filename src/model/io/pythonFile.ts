// A model as a Python file: toKerasPython's Keras code and, when the weights go with it, a
// model.load_weights("<base>.weights.h5") line plus that .weights.h5 file beside the .py, so
// running the script rebuilds the model with its trained weights.

import type { LayerModel } from '../functional.ts';
import { toKerasPython } from '../python.ts';
import type { CompileArgs } from '../train/config.ts';
import { fail } from '../validate.ts';
import type { NamedBytes } from './types.ts';
import { writeWeightsH5 } from './weightsH5.ts';

export interface PythonFileOptions {
  compile?: CompileArgs;
  /** File name without extension (default: the model's name). */
  baseName?: string;
  /** Also write <base>.weights.h5 and load it in the code. */
  weights?: boolean;
}

const encoder = new TextEncoder();

/** The code with model.load_weights(...) once the model is built (before compile; Keras allows either). */
export function pythonLoadingWeights(code: string, weightsFile: string): string {
  const lines = code.replace(/\n$/, '').split('\n');
  // toKerasPython ends the model's construction with model.summary() (then model.compile, if any).
  const built = lines.lastIndexOf('model.summary()');
  if (built < 0) fail('Python export', `no model.summary() line after which to load the weights.`);
  lines.splice(built + 1, 0, `model.load_weights(${JSON.stringify(weightsFile)})`);
  return `${lines.join('\n')}\n`;
}

export async function writePythonFile(model: LayerModel, opts: PythonFileOptions = {}): Promise<NamedBytes[]> {
  const base = opts.baseName ?? model.name;
  const code = toKerasPython(model, opts.compile);
  if (!opts.weights) return [{ name: `${base}.py`, data: encoder.encode(code) }];
  const weightsFile = { name: `${base}.weights.h5`, data: await writeWeightsH5(model) };
  return [{ name: `${base}.py`, data: encoder.encode(pythonLoadingWeights(code, weightsFile.name)) }, weightsFile];
}
