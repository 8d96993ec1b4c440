// The shapes every model file format shares: files as named bytes in, a model (with its weights,
// compile() settings and fit() settings when the file carries them) out, and back. Each format
// lives in its own module under src/model/io; files.ts picks one by file name.

import type { LayerModel } from '../functional.ts';
import type { CompileArgs } from '../train/config.ts';

/** The playground's own model file's format tag (src/ui/modelFiles.ts): a model.json whose manifest gives offsets into weights.bin. */
export const PLAYGROUND_FORMAT = 'webgpu-keras-playground/1';

/** One file: its name (the extension chooses the format) and its bytes. */
export interface NamedBytes {
  name: string;
  data: Uint8Array;
}

/** Keras's automatic names: tf.keras 2.x's (input_1, model) or Keras 3's (input_layer, functional). */
export type NamingLayout = 'classic' | 'keras3';

/** A callback as model.fit(callbacks=[...]) names it, with its Keras arguments in snake_case. */
export interface CallbackSpec {
  className: 'EarlyStopping' | 'ModelCheckpoint' | 'ReduceLROnPlateau' | 'CSVLogger' | 'BackupAndRestore' | 'TerminateOnNaN';
  config: Record<string, unknown>;
}

/** The model.fit(...) arguments that are training settings (the data arguments are not kept). */
export interface FitSettings {
  epochs?: number;
  batchSize?: number;
  validationSplit?: number;
  shuffle?: boolean;
  callbacks?: CallbackSpec[];
}

export interface LoadedModel {
  model: LayerModel;
  /** True when the file(s) carried weights and they were loaded into `model`. */
  weightsLoaded: boolean;
  /** compile()'s settings when the file has them (a .keras compile_config, an .h5 training_config, Python's model.compile). */
  compile?: CompileArgs;
  fit?: FitSettings;
  /** What was read, for messages: "Keras 3 .keras file", "Python code", ... */
  format: string;
  /** Things read but not kept (an optimizer's saved state, a Python call that only prints), one line each. */
  notes: string[];
}

export type WriteFormat = 'keras' | 'h5' | 'weights.h5' | 'json' | 'keras3-json' | 'tfjs' | 'python';

export interface WriteOptions {
  /** Written into the files that carry training settings (.keras compile_config, .h5 training_config, Python model.compile). */
  compile?: CompileArgs;
  /** The file name without extension (default: the model's name). */
  baseName?: string;
}
