// A model's own training settings (compile() in code or a file, fit()'s arguments) onto the
// page's: what fits is applied, the rest is named in a short note, and values the page would
// refuse (a batch larger than the training images) leave that setting as it was.

import type { CompileArgs } from '../model/index.ts';
import type { FitSettings } from '../model/io/types.ts';
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
      next.learningRate = learningRate;
      out.applied.push(`learning rate ${learningRate}`);
    } else if (learningRate !== undefined) {
      out.notApplied.push('the learning-rate schedule (the page trains with one fixed rate)');
    }
    for (const [k, v] of Object.entries(rest)) if (v !== null && v !== undefined) out.notApplied.push(`${k} ${show(v)} (the page uses Keras's default)`);
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
    next[key] = v;
    out.applied.push(`${label} ${v}`);
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
