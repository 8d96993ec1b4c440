// SimpleRNN, LSTM and GRU as Keras 3 describes them: [N, T, F] -> [N, units] (or [N, T, units]
// with returnSequences), the cell's weights under Keras's paths (lstm_cell/kernel [F, 4u],
// lstm_cell/recurrent_kernel [u, 4u], lstm_cell/bias [4u]; GRU's bias is [2, 3u] with
// resetAfter), Keras's config keys and the registry entries. No kernels yet (entry.kernels
// 'none'): a model holding one is described, saved and exported, not trained.

import { ACTIVATIONS, type ActivationName } from '../../ops/activations.ts';
import type { Shape } from '../../ops/shapes.ts';
import { initializerArg, type Initializer } from '../initializers.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { getGlobalRandom, type Random } from '../random.ts';
import { bool, describe, fail, oneOf, positiveInt, shapeText } from '../validate.ts';
import { LayerWeight } from '../weight.ts';
import { configArgs, type AnyOption, type ConfigInput, type KerasFixed, type KerasItem, type LayerEntry, type OptionSpec } from './entry.ts';

export type RecurrentClassName = 'SimpleRNN' | 'LSTM' | 'GRU';
export const RECURRENT_CLASSES: readonly RecurrentClassName[] = ['SimpleRNN', 'LSTM', 'GRU'];

interface RecurrentFields extends BaseConfig {
  units: number;
  activation: ActivationName;
  useBias: boolean;
  kernelInitializer: Initializer;
  recurrentInitializer: Initializer;
  biasInitializer: Initializer;
  /** Fraction of the inputs dropped while training, in [0, 1). */
  dropout: number;
  /** Fraction of the recurrent state dropped while training, in [0, 1). */
  recurrentDropout: number;
  /** Output every step's state [N, T, units] instead of the last one [N, units]. */
  returnSequences: boolean;
  /** Read the sequence from its last step to its first (the output is not reversed back). */
  goBackwards: boolean;
  /** Keras's unroll: how a backend runs the loop; kept for the round trip, no effect here. */
  unroll: boolean;
}

export interface SimpleRNNConfig extends RecurrentFields {
  className: 'SimpleRNN';
}

export interface LSTMConfig extends RecurrentFields {
  className: 'LSTM';
  recurrentActivation: ActivationName;
  /** Start the forget gate's bias at 1 (Jozefowicz et al., 2015). */
  unitForgetBias: boolean;
  seed: number | null;
}

export interface GRUConfig extends RecurrentFields {
  className: 'GRU';
  recurrentActivation: ActivationName;
  seed: number | null;
  /** Keras 3's default: the reset gate after the recurrent matmul (cuDNN's GRU), two bias rows. */
  resetAfter: boolean;
}

export type RecurrentConfig = SimpleRNNConfig | LSTMConfig | GRUConfig;

/** Every option any of the three takes; each class accepts only its own (see OPTIONS). */
export interface RecurrentArgs extends LayerArgs {
  units: number;
  activation?: ActivationName | null;
  recurrentActivation?: ActivationName | null;
  useBias?: boolean;
  kernelInitializer?: Initializer;
  recurrentInitializer?: Initializer;
  biasInitializer?: Initializer;
  unitForgetBias?: boolean;
  dropout?: number;
  recurrentDropout?: number;
  seed?: number | null;
  returnSequences?: boolean;
  goBackwards?: boolean;
  unroll?: boolean;
  resetAfter?: boolean;
  /** Accepted as false only: a layer here has one output. */
  returnState?: false;
  /** Accepted as false only: no state is carried between batches. */
  stateful?: false;
}

type Spec = OptionSpec<Record<string, unknown>>;

const HEAD: readonly Spec[] = [
  { key: 'units', type: 'int', label: 'units', initial: 32, python: 'positional' },
  { key: 'activation', type: 'activation', label: 'activation', default: 'tanh' },
];
const RECURRENT_ACTIVATION: Spec = { key: 'recurrentActivation', type: 'activation', default: 'sigmoid' };
const INITIALIZERS: readonly Spec[] = [
  { key: 'useBias', type: 'bool', default: true },
  { key: 'kernelInitializer', type: 'initializer', default: 'glorotUniform' },
  { key: 'recurrentInitializer', type: 'initializer', default: 'orthogonal' },
  { key: 'biasInitializer', type: 'initializer', default: 'zeros' },
];
const DROPOUTS: readonly Spec[] = [
  { key: 'dropout', type: 'number', step: 0.05, range: [0, 1], default: 0 },
  { key: 'recurrentDropout', type: 'number', step: 0.05, range: [0, 1], default: 0 },
];
const SEED: Spec = { key: 'seed', type: 'seed', default: null };
const SEQUENCE: readonly Spec[] = [
  { key: 'returnSequences', type: 'bool', label: 'return sequences', default: false },
  { key: 'goBackwards', type: 'bool', label: 'go backwards', default: false },
  { key: 'unroll', type: 'bool', default: false },
];

/** Each class's options in Keras's signature order. */
const OPTIONS: Record<RecurrentClassName, readonly Spec[]> = {
  SimpleRNN: [...HEAD, ...INITIALIZERS, ...DROPOUTS, ...SEQUENCE],
  LSTM: [...HEAD, RECURRENT_ACTIVATION, ...INITIALIZERS, { key: 'unitForgetBias', type: 'bool', default: true }, ...DROPOUTS, SEED, ...SEQUENCE],
  GRU: [...HEAD, RECURRENT_ACTIVATION, ...INITIALIZERS, ...DROPOUTS, SEED, ...SEQUENCE, { key: 'resetAfter', type: 'bool', default: true }],
};

/** Keras's name base, cell name and number of gates (the kernels' width is gates * units). */
const KINDS: Record<RecurrentClassName, { nameBase: string; cell: string; gates: number; factory: string }> = {
  SimpleRNN: { nameBase: 'simple_rnn', cell: 'simple_rnn_cell', gates: 1, factory: 'simpleRnn' },
  LSTM: { nameBase: 'lstm', cell: 'lstm_cell', gates: 4, factory: 'lstm' },
  GRU: { nameBase: 'gru', cell: 'gru_cell', gates: 3, factory: 'gru' },
};

function rate(where: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) fail(where, `${option} must be a number in [0, 1) (the fraction dropped while training), got ${describe(value)}.`);
  return value;
}

/** One option's value, validated; undefined takes the default. */
function optionValue(where: string, option: Spec, value: unknown): unknown {
  if (value === undefined) return option.default;
  switch (option.type) {
    case 'int':
      return positiveInt(where, option.key, value);
    case 'activation':
      return value === null ? 'linear' : oneOf(where, option.key, value, ACTIVATIONS);
    case 'initializer':
      return initializerArg(where, option.key, value, option.default as 'zeros');
    case 'number':
      return rate(where, option.key, value);
    case 'seed':
      if (value !== null && (typeof value !== 'number' || !Number.isInteger(value))) fail(where, `seed must be an integer or null, got ${describe(value)}.`);
      return value;
    default:
      return bool(where, option.key, value);
  }
}

/** LSTM's bias with unit_forget_bias: the bias initializer's values, then ones in the forget gate's slice [units, 2 * units). */
class ForgetGateBias extends LayerWeight {
  private filled = false;

  constructor(where: string, spec: ConstructorParameters<typeof LayerWeight>[1], seed: number, private readonly units: number) {
    super(where, spec, seed);
  }

  override get values(): Float32Array {
    const values = super.values;
    if (!this.filled) {
      values.fill(1, this.units, 2 * this.units);
      this.filled = true;
    }
    return values;
  }

  override reinitialize(rng: Random): void {
    super.reinitialize(rng);
    this.filled = false;
  }
}

export abstract class Recurrent extends Layer {
  readonly units: number;
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  /** Every option, validated, in OPTIONS order. */
  private readonly fields: Record<string, unknown>;

  protected constructor(className: RecurrentClassName, args: RecurrentArgs) {
    const kind = KINDS[className];
    const options = OPTIONS[className];
    const where = openArgs(className, args, kind.nameBase, [...options.map((o) => o.key), 'returnState', 'stateful']);
    const given = args as unknown as Record<string, unknown>;
    if (given.units === undefined) fail(where, `needs units, e.g. {units: 32}.`);
    for (const key of ['returnState', 'stateful']) {
      if (given[key] !== undefined && given[key] !== false) {
        fail(where, `${key} ${describe(given[key])} is not supported: ${key === 'stateful' ? 'no state is carried between batches' : 'a layer here has one output'}; leave it false.`);
      }
    }
    const fields = Object.fromEntries(options.map((o) => [o.key, optionValue(where, o, given[o.key])]));
    super(className, args, kind.nameBase);
    this.fields = fields;
    this.units = fields.units as number;
    this.returnSequences = fields.returnSequences as boolean;
    this.goBackwards = fields.goBackwards as boolean;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    if (shape.length !== 3) {
      fail(this.where, `needs a 3-D input (batch, timesteps, features), got ${shapeText(shape)}. Give input() a shape like [timesteps, features], e.g. [28, 28].`);
    }
    const [batch, steps, features] = shape;
    if (features === null) fail(this.where, `the features (last dimension) of its input ${shapeText(shape)} must be known.`);
    const built = this.weights[0]?.shape[0];
    if (built !== undefined && built !== features) {
      fail(this.where, `was built for ${built} features per step, got ${shapeText(shape)}. A shared layer needs inputs of the same size.`);
    }
    return this.returnSequences ? [batch!, steps!, this.units] : [batch!, this.units];
  }

  protected override build([input]: Shape[]): void {
    const { cell, gates } = KINDS[this.className as RecurrentClassName];
    const f = this.fields;
    const features = input![2] as number;
    const width = gates * this.units;
    this.addWeight(`${cell}/kernel`, [features, width], f.kernelInitializer as Initializer); // [F, gates * u]
    this.addWeight(`${cell}/recurrent_kernel`, [this.units, width], f.recurrentInitializer as Initializer); // [u, gates * u]
    if (!f.useBias) return;
    const bias = { name: `${cell}/bias`, initializer: f.biasInitializer as Initializer, trainable: true };
    if (f.unitForgetBias === true) {
      this.weights.push(new ForgetGateBias(this.where, { ...bias, shape: [width] }, getGlobalRandom().nextUint32(), this.units)); // [4u]
    } else {
      this.addWeight(bias.name, f.resetAfter === true ? [2, width] : [width], bias.initializer); // [2, 3u] or [gates * u]
    }
  }

  getConfig(): RecurrentConfig {
    return { className: this.className, ...this.baseConfig(), ...this.fields } as unknown as RecurrentConfig;
  }
}

export class SimpleRNN extends Recurrent {
  constructor(args: RecurrentArgs) {
    super('SimpleRNN', args);
  }
}

export class LSTM extends Recurrent {
  constructor(args: RecurrentArgs) {
    super('LSTM', args);
  }
}

export class GRU extends Recurrent {
  constructor(args: RecurrentArgs) {
    super('GRU', args);
  }
}

const CLASSES: Record<RecurrentClassName, new (args: RecurrentArgs) => Recurrent> = { SimpleRNN, LSTM, GRU };

export function isRecurrentClassName(value: unknown): value is RecurrentClassName {
  return typeof value === 'string' && (RECURRENT_CLASSES as readonly string[]).includes(value);
}

/** A recurrent layer from its config (Bidirectional makes its forward and backward layers so). */
export function recurrentFromConfig(from: RecurrentConfig | ConfigInput): Recurrent {
  const config = from as ConfigInput;
  const className = config.className;
  if (!isRecurrentClassName(className)) fail(`${String(className)} "${String(config.name ?? '?')}"`, `is not a recurrent layer (SimpleRNN, LSTM or GRU).`);
  return new CLASSES[className](configArgs(className, config) as unknown as RecurrentArgs);
}

const fixed = (key: string, value: boolean | null, accepted: (boolean | null)[] = [value]): KerasFixed => ({ key, value, accepted });
const REGULARIZERS = ['kernel_regularizer', 'recurrent_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'recurrent_constraint', 'bias_constraint']
  .map((key) => fixed(key, null));

/** Keras 3's get_config order: the RNN's flags, then the cell's options. */
function kerasLayout(className: RecurrentClassName): KerasItem<Record<string, unknown>>[] {
  const has = (key: string): boolean => OPTIONS[className].some((o) => o.key === key);
  const optional = (keys: string[]): string[] => keys.filter(has);
  return [
    'returnSequences', fixed('return_state', false), 'goBackwards', fixed('stateful', false), 'unroll', fixed('zero_output_for_mask', false, [false, true]),
    'units', 'activation', ...optional(['recurrentActivation']), 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer',
    ...optional(['unitForgetBias']), ...REGULARIZERS, 'dropout', 'recurrentDropout', ...optional(['resetAfter', 'seed']),
  ];
}

function entry<K extends RecurrentClassName>(className: K, sample: { units: number }): LayerEntry<K> {
  const kind = KINDS[className];
  return {
    fromConfig: (config) => recurrentFromConfig({ ...config, className }),
    nameBase: kind.nameBase,
    factory: kind.factory,
    options: OPTIONS[className] as unknown as LayerEntry<K>['options'],
    keras: kerasLayout(className) as unknown as LayerEntry<K>['keras'],
    sample: { inputs: [[4, 3]], options: sample as never },
    kernels: 'none',
  };
}

export const SIMPLE_RNN: LayerEntry<'SimpleRNN'> = entry('SimpleRNN', { units: 2 });
export const LSTM_ENTRY: LayerEntry<'LSTM'> = entry('LSTM', { units: 2 });
export const GRU_ENTRY: LayerEntry<'GRU'> = entry('GRU', { units: 2 });

/** A recurrent layer's whole config at its defaults (the editor's nested layer of a new Bidirectional). */
export function recurrentDefaults(className: RecurrentClassName, name: string, units: number): RecurrentConfig {
  const config: Record<string, unknown> = { className, name, trainable: true };
  for (const o of OPTIONS[className] as readonly AnyOption[]) config[o.key] = o.default;
  return { ...config, units } as unknown as RecurrentConfig;
}
