// The values the Python reader's interpreter works with: Python literals, and references to
// Keras names (modules, classes), layers, tensors, models and Keras objects (initializers,
// optimizers, callbacks) that calls create. Also the Keras module table: which names each
// module (keras, keras.layers, ...) has, and how import paths map onto it.

import type { Json } from '../../kerasConfig.ts';
import type { Layer } from '../../layer.ts';
import type { LayerModel } from '../../functional.ts';
import type { SymbolicTensor } from '../../tensor.ts';
import { LAYER_CLASS_NAMES } from '../../layers/registry.ts';
import type { CompileArgs } from '../../train/config.ts';
import type { FitSettings } from '../types.ts';
import { KERAS_POSITIONAL } from './signatures.ts';

export interface PyList {
  t: 'list' | 'tuple';
  items: Value[];
}

export interface PyDict {
  t: 'dict';
  entries: Map<string | number, Value>;
}

/** A model built by the code, with what its methods recorded. */
export interface ModelEntry {
  model: LayerModel;
  /** The variable it was last assigned to. */
  variable?: string;
  compile?: CompileArgs;
  fit?: FitSettings;
}

export type KerasObjectKind = 'initializer' | 'regularizer' | 'constraint' | 'optimizer' | 'callback' | 'loss';

export type Ref =
  /** keras, keras.layers, ... ('' is keras itself; 'tf' is tensorflow, whose only member is keras). */
  | { t: 'module'; path: string }
  /** A Keras class or function, keyed as in KERAS_POSITIONAL: 'layers.Dense', 'Input', 'callbacks.EarlyStopping'. */
  | { t: 'callable'; path: string }
  /** A name imported from a module that is not run here (numpy, matplotlib): any use is refused. */
  | { t: 'foreign'; module: string }
  | { t: 'layer'; layer: Layer }
  | { t: 'tensor'; tensor: SymbolicTensor }
  | { t: 'model'; entry: ModelEntry }
  | { t: 'method'; entry: ModelEntry; name: string }
  | { t: 'object'; kind: KerasObjectKind; className: string; config: Record<string, Json> };

export type Value = number | string | boolean | null | PyList | PyDict | Ref;

export function isRef(v: Value): v is Ref {
  return typeof v === 'object' && v !== null && v.t !== 'list' && v.t !== 'tuple' && v.t !== 'dict';
}

/** What a value is, for messages. */
export function kindOf(v: Value): string {
  if (v === null) return 'None';
  if (typeof v !== 'object') return typeof v === 'string' ? 'a string' : typeof v === 'boolean' ? 'a bool' : 'a number';
  switch (v.t) {
    case 'list':
    case 'tuple':
    case 'dict':
      return `a ${v.t}`;
    case 'module':
      return `the module ${v.path === '' ? 'keras' : v.path === 'tf' ? 'tensorflow' : `keras.${v.path}`}`;
    case 'callable':
      return `keras.${v.path}`;
    case 'foreign':
      return `a name from ${v.module}`;
    case 'layer':
      return `a layer (${v.layer.className})`;
    case 'tensor':
      return 'a tensor';
    case 'model':
      return `a model ("${v.entry.model.name}")`;
    case 'method':
      return `model.${v.name}`;
    case 'object':
      return `a ${v.kind} (${v.className})`;
  }
}

// ---- Keras's modules ----

const ofModule = (prefix: string): string[] => Object.keys(KERAS_POSITIONAL).filter((k) => k.startsWith(`${prefix}.`)).map((k) => k.slice(prefix.length + 1));

const LOSS_CLASSES = [
  'MeanSquaredError', 'MeanAbsoluteError', 'MeanAbsolutePercentageError', 'MeanSquaredLogarithmicError', 'Huber', 'LogCosh',
  'BinaryCrossentropy', 'CategoricalCrossentropy', 'SparseCategoricalCrossentropy', 'KLDivergence', 'Poisson', 'CosineSimilarity',
  'Hinge', 'SquaredHinge', 'CategoricalHinge',
];

/** Each Keras module's submodules and callables (the callables' paths are `${module}.${name}`). */
const MODULES: Record<string, { modules: readonly string[]; callables: readonly string[] }> = {
  '': { modules: ['layers', 'models', 'callbacks', 'optimizers', 'initializers', 'regularizers', 'constraints', 'losses'], callables: ['Sequential', 'Model', 'Input'] },
  layers: { modules: [], callables: [...LAYER_CLASS_NAMES, 'Input'] },
  models: { modules: [], callables: ['Sequential', 'Model'] },
  callbacks: { modules: [], callables: ofModule('callbacks') },
  optimizers: { modules: [], callables: ofModule('optimizers') },
  initializers: { modules: [], callables: ofModule('initializers') },
  regularizers: { modules: [], callables: ofModule('regularizers') },
  constraints: { modules: [], callables: ofModule('constraints') },
  losses: { modules: [], callables: LOSS_CLASSES },
};

/** Callables found under several modules are one thing: keras.Input is layers.Input, models.Model is Model. */
function callablePath(module: string, name: string): string {
  if (name === 'Input' || ((module === 'models' || module === '') && (name === 'Model' || name === 'Sequential'))) return name;
  return `${module}.${name}`;
}

/** A module's member, or undefined. */
export function memberOf(module: string, name: string): Ref | undefined {
  if (module === 'tf') return name === 'keras' ? { t: 'module', path: '' } : undefined;
  const m = MODULES[module];
  if (!m) return undefined;
  if (m.modules.includes(name)) return { t: 'module', path: name };
  if (m.callables.includes(name)) return { t: 'callable', path: callablePath(module, name) };
  return undefined;
}

/** What a module offers, for messages. */
export function membersOf(module: string): string[] {
  if (module === 'tf') return ['keras'];
  const m = MODULES[module];
  return m ? [...m.modules, ...m.callables] : [];
}

/** Modules whose import is harmless (data and plotting): the names are bound, any use is refused. */
const FOREIGN = ['numpy', 'pandas', 'matplotlib', 'matplotlib.pyplot', 'sklearn', 'sklearn.model_selection', 'keras.datasets', 'tensorflow.keras.datasets', 'keras.utils', 'tensorflow.keras.utils'];

/**
 * A dotted import path as a module of the table: keras and tensorflow.keras are '', their
 * submodules by name, tensorflow is 'tf'; a foreign module as such; undefined for anything else.
 */
export function importedModule(path: string): Ref | undefined {
  if (FOREIGN.includes(path) || FOREIGN.some((f) => path.startsWith(`${f}.`))) return { t: 'foreign', module: path };
  if (path === 'tensorflow') return { t: 'module', path: 'tf' };
  const keras = path.startsWith('tensorflow.keras') ? path.slice('tensorflow.'.length) : path;
  if (keras === 'keras') return { t: 'module', path: '' };
  if (!keras.startsWith('keras.')) return undefined;
  const sub = keras.slice('keras.'.length);
  return MODULES[''].modules.includes(sub) ? { t: 'module', path: sub } : undefined;
}
