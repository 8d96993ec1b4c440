// A model's own training settings (compile() in code or a file, fit()'s arguments) onto the
// page's: what fits is applied, the rest is named in a short note, and values the page would
// refuse (a batch larger than the training images) leave that setting as it was.

import type { CompileArgs } from '../model/index.ts';
import type { FitSettings } from '../model/io/types.ts';
import {
  ADADELTA_DEFAULTS, ADAGRAD_DEFAULTS, ADAMAX_DEFAULTS, ADAMW_WEIGHT_DECAY, ADAM_DEFAULTS, GRADIENT_DEFAULTS, NADAM_DEFAULTS, RMSPROP_DEFAULTS, SGD_DEFAULTS,
} from '../ops/optimizers.ts';
import { OPTIMIZER_CHOICES, validateSettings, type LossChoice, type OptimizerChoice, type TrainSettings } from '../worker/settings.ts';

export interface AppliedSettings {
  settings: TrainSettings;
  /** "optimizer sgd", "learning rate 0.01", ... */
  applied: string[];
  /** "momentum 0.9 (the page uses Keras's default)", ... */
  notApplied: string[];
}

const LOSSES: Record<string, LossChoice> = {
  sparse_categorical_crossentropy: 'sparse_categorical_crossentropy',
  SparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
};

function lossChoice(loss: CompileArgs['loss']): LossChoice | null {
  if (typeof loss === 'string') return LOSSES[loss] ?? null;
  if (loss && typeof loss === 'object' && !Array.isArray(loss) && 'className' in loss && typeof loss.className === 'string' && LOSSES[loss.className]) {
    const config = (loss as { config?: Record<string, unknown> }).config ?? {};
    const logits = config.from_logits ?? config.fromLogits;
    return logits === true ? 'sparse_categorical_crossentropy_from_logits' : 'sparse_categorical_crossentropy';
  }
  return null;
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Keras's defaults per optimizer: the page trains with these, so only other values need a note. */
const KERAS_DEFAULTS: Record<OptimizerChoice, Record<string, unknown>> = {
  adam: { ...GRADIENT_DEFAULTS, ...ADAM_DEFAULTS },
  adamw: { ...GRADIENT_DEFAULTS, ...ADAM_DEFAULTS, weightDecay: ADAMW_WEIGHT_DECAY },
  sgd: { ...GRADIENT_DEFAULTS, ...SGD_DEFAULTS },
  rmsprop: { ...GRADIENT_DEFAULTS, ...RMSPROP_DEFAULTS },
  adagrad: { ...GRADIENT_DEFAULTS, ...ADAGRAD_DEFAULTS },
  adadelta: { ...GRADIENT_DEFAULTS, ...ADADELTA_DEFAULTS },
  adamax: { ...GRADIENT_DEFAULTS, ...ADAMAX_DEFAULTS },
  nadam: { ...GRADIENT_DEFAULTS, ...NADAM_DEFAULTS },
};

/** Equal up to float32 rounding (files store hyperparameters as float32: 0.9 reads 0.8999999761581421). */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
  return a === b || (a === null && (b === 0 || b === false));
}

/** A float32-rounded number written back as its short decimal (0.0010000000474974513 -> 0.001). */
function tidy(v: number): number {
  const short = Number(v.toPrecision(7));
  return Math.fround(short) === Math.fround(v) ? short : v;
}

function fromCompile(compile: CompileArgs, next: TrainSettings, out: AppliedSettings): void {
  const opt = compile.optimizer;
  if (typeof opt === 'string') {
    if ((OPTIMIZER_CHOICES as readonly string[]).includes(opt)) next.optimizer = opt as OptimizerChoice;
    out.applied.push(`optimizer ${opt}`);
  } else if (opt && typeof opt === 'object') {
    const { kind, learningRate, ...rest } = opt as { kind: OptimizerChoice; learningRate?: unknown };
    next.optimizer = kind;
    out.applied.push(`optimizer ${kind}`);
    if (typeof learningRate === 'number') {
      next.learningRate = tidy(learningRate);
      out.applied.push(`learning rate ${next.learningRate}`);
    } else if (learningRate !== undefined) {
      out.notApplied.push('the learning-rate schedule (the page trains with one fixed rate)');
    }
    const defaults = KERAS_DEFAULTS[kind] ?? {};
    for (const [k, v] of Object.entries(rest)) {
      if (v !== null && v !== undefined && !sameValue(v, defaults[k])) out.notApplied.push(`${k} ${show(v)} (the page uses Keras's default, ${show(defaults[k] ?? 'none')})`);
    }
  }
  const loss = lossChoice(compile.loss);
  if (loss) {
    next.loss = loss;
    out.applied.push(loss === 'sparse_categorical_crossentropy' ? 'loss sparse_categorical_crossentropy' : 'loss sparse_categorical_crossentropy (from logits)');
  } else if (compile.loss !== undefined) {
    out.notApplied.push(`loss ${show(compile.loss)} (Fashion-MNIST's integer labels train with sparse categorical crossentropy)`);
  }
  if (compile.lossWeights !== undefined) out.notApplied.push('lossWeights');
}

function fromFit(fit: FitSettings, next: TrainSettings, out: AppliedSettings): void {
  const take = <K extends 'epochs' | 'batchSize' | 'validationSplit'>(key: K, label: string): void => {
    const v = fit[key];
    if (typeof v !== 'number') return;
    next[key] = tidy(v);
    out.applied.push(`${label} ${next[key]}`);
  };
  take('epochs', 'epochs');
  take('batchSize', 'batch size');
  take('validationSplit', 'validation split');
  if (fit.shuffle === false) out.notApplied.push('shuffle=False (the page always shuffles)');
  for (const c of fit.callbacks ?? []) out.notApplied.push(`the ${c.className} callback`);
}

/** The page's settings with the model's own applied where they fit. */
export function trainingFromCode(current: TrainSettings, compile?: CompileArgs, fit?: FitSettings): AppliedSettings {
  const next = { ...current };
  const out: AppliedSettings = { settings: next, applied: [], notApplied: [] };
  if (compile) fromCompile(compile, next, out);
  if (fit) fromFit(fit, next, out);
  // A value the page refuses keeps the page's own (the message says which).
  const errors = validateSettings(next);
  for (const key of Object.keys(errors) as (keyof TrainSettings)[]) {
    if (next[key] === current[key]) continue;
    out.notApplied.push(`${key} ${show(next[key])} (${errors[key]})`);
    (next as Record<string, unknown>)[key] = current[key];
    out.applied = out.applied.filter((a) => !a.toLowerCase().replace(/ /g, '').startsWith(key.toLowerCase()));
  }
  return out;
}

/** One line for the page: "Applied: ...; not applied: ...", or null when the code had no settings. */
export function settingsNote(a: AppliedSettings): string | null {
  const parts: string[] = [];
  if (a.applied.length > 0) parts.push(`Training settings applied: ${a.applied.join(', ')}.`);
  if (a.notApplied.length > 0) parts.push(`Not applied: ${a.notApplied.join('; ')}.`);
  return parts.length > 0 ? parts.join(' ') : null;
}
