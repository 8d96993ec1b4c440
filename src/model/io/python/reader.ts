// readPython: Keras model-building code, pasted by a learner, read as data into our model (see
// interpreter.ts: nothing is executed). Names follow the Keras that would run the code: with the
// classic layout tf.keras 2.x's (input_1, model), with the Keras 3 layout Keras 3's
// (input_layer, functional); each paste is one fresh Keras session.

import { defaultNameScope, resetNameScope } from '../../naming.ts';
import type { LoadedModel, NamingLayout } from '../types.ts';
import { PythonCodeError, SourceText } from './errors.ts';
import { Interpreter } from './interpreter.ts';
import { parsePython } from './syntax.ts';
import type { ModelEntry } from './values.ts';

export interface PythonModel extends LoadedModel {
  /** How many model.summary() calls the code makes. */
  summaries: number;
  /** model.load_weights('x.weights.h5')'s file name. */
  weightsFile?: string;
}

export interface ReadPythonOptions {
  /** Whose automatic names: 'classic' (tf.keras 2.x, the default) or 'keras3'. */
  layout?: NamingLayout;
}

/** The model the code means: the one assigned to `model`, else the last one assigned, else the last one made. */
function chooseModel(models: ModelEntry[], notes: string[], src: SourceText): ModelEntry {
  if (models.length === 0) {
    throw src.error(src.text.length, `found no model; allowed: code that builds one with keras.Sequential(...) or keras.Model(inputs, outputs).`);
  }
  const named = models.filter((m) => m.variable === 'model');
  const assigned = models.filter((m) => m.variable !== undefined);
  const chosen = named.at(-1) ?? assigned.at(-1) ?? models.at(-1)!;
  if (models.length > 1) {
    const why = named.length > 0 ? 'the one assigned to `model`' : assigned.length > 0 ? 'the last one assigned to a name' : 'the last one';
    notes.push(`The code builds ${models.length} models (${models.map((m) => `"${m.model.name}"`).join(', ')}); kept ${why}: "${chosen.model.name}".`);
  }
  return chosen;
}

export function readPython(code: string, opts: ReadPythonOptions = {}): PythonModel {
  if (typeof code !== 'string') throw new PythonCodeError(1, 1, 'found no code; allowed: Python source text.');
  // Windows line ends and a byte-order mark (editors show neither) would be syntax errors to the parser.
  const src = new SourceText(code.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n'));
  const tree = parsePython(src);
  const previous = defaultNameScope.layout;
  defaultNameScope.layout = opts.layout ?? 'classic';
  resetNameScope();
  try {
    const interpreter = new Interpreter(src);
    interpreter.run(tree.topNode);
    const chosen = chooseModel(interpreter.models, interpreter.notes, src);
    if (!chosen.model.built) {
      throw src.error(src.text.length, `found the model "${chosen.model.name}" without an input shape; allowed: a first layer with input_shape=(...), or keras.Input(shape=(...)) first.`);
    }
    const result: PythonModel = {
      model: chosen.model,
      weightsLoaded: false,
      format: 'Python code',
      notes: interpreter.notes,
      summaries: interpreter.summaries,
    };
    if (chosen.compile) result.compile = chosen.compile;
    if (chosen.fit) result.fit = chosen.fit;
    if (interpreter.weightsFile !== undefined) {
      result.weightsFile = interpreter.weightsFile;
      interpreter.notes.push(`model.load_weights('${interpreter.weightsFile}'): load that file alongside to get its weights.`);
    }
    return result;
  } finally {
    defaultNameScope.layout = previous;
  }
}
