// Bidirectional and TimeDistributed: layers that hold another layer, as Keras 3 builds them.
// Bidirectional runs a recurrent layer forward ("forward_lstm") and a copy backward
// ("backward_lstm", goBackwards flipped) and merges the two outputs; TimeDistributed applies its
// layer to every step of [N, T, ...]. Their weights are the held layers', under Keras's paths
// (forward_lstm/lstm_cell/kernel, conv2d/kernel). No kernels yet (entry.kernels 'none').

import type { Shape } from '../../ops/shapes.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import type { Random } from '../random.ts';
import { describe, fail, oneOf, shapeText } from '../validate.ts';
import { LayerWeight } from '../weight.ts';
import { configArgs, type ConfigInput, type LayerEntry, type NestedLayerConfig } from './entry.ts';
import { Recurrent, recurrentDefaults, recurrentFromConfig, type RecurrentConfig } from './recurrent.ts';
import type { LayerConfig } from './registry.ts';
import { NO_PENALTIES } from './penalties.ts';

export const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'] as const;
export type MergeMode = (typeof MERGE_MODES)[number];

export interface BidirectionalConfig extends BaseConfig {
  className: 'Bidirectional';
  /** The forward layer's config (Keras writes the forward copy, named forward_<name>). */
  layer: RecurrentConfig;
  mergeMode: MergeMode;
  /** The backward layer's config; null in code: Keras derives it from `layer`. */
  backwardLayer: RecurrentConfig | null;
}

export interface TimeDistributedConfig extends BaseConfig {
  className: 'TimeDistributed';
  layer: LayerConfig;
}

export interface BidirectionalArgs extends LayerArgs {
  /** A SimpleRNN, LSTM or GRU; Keras makes its forward and backward copies from its config. */
  layer: Recurrent;
  mergeMode?: MergeMode;
  backwardLayer?: Recurrent | null;
}

export interface TimeDistributedArgs extends LayerArgs {
  layer: Layer;
}

/** A held layer's weight declared by its wrapper under Keras's path (forward_lstm/lstm_cell/kernel): the same values; trained iff the held layer and its weight are. */
class HeldWeight extends LayerWeight {
  constructor(where: string, layer: Layer, private readonly held: LayerWeight) {
    super(where, { name: `${layer.name}/${held.name}`, shape: held.shape, initializer: held.initializer, trainable: layer.trainable && held.trainable }, 0);
  }

  override get allocated(): boolean {
    return this.held.allocated;
  }

  override get values(): Float32Array {
    return this.held.values;
  }

  override reinitialize(rng: Random): void {
    this.held.reinitialize(rng);
  }
}

function layerArg(where: string, option: string, value: unknown): Layer {
  if (!(value instanceof Layer)) fail(where, `${option} must be a layer, e.g. layers.lstm({units: 16}), got ${describe(value)}.`);
  return value;
}

/** Python's str.removeprefix. */
const removePrefix = (text: string, prefix: string): string => (text.startsWith(prefix) ? text.slice(prefix.length) : text);

/** Keras's backward copy of a layer: the same config, goBackwards flipped, named backward_<name>. */
function backwardConfig(layer: RecurrentConfig): RecurrentConfig {
  return { ...layer, goBackwards: !layer.goBackwards, name: `backward_${removePrefix(layer.name, 'backward_')}` };
}

export class Bidirectional extends Layer {
  readonly forwardLayer: Recurrent;
  readonly backwardLayer: Recurrent;
  readonly mergeMode: MergeMode;

  constructor(args: BidirectionalArgs) {
    const where = openArgs('Bidirectional', args, 'bidirectional', ['layer', 'mergeMode', 'backwardLayer']);
    const layer = layerArg(where, 'layer', args.layer);
    if (!(layer instanceof Recurrent)) fail(where, `layer must be a SimpleRNN, LSTM or GRU, got ${layer.where}.`);
    if (args.mergeMode === null) fail(where, `mergeMode null (the two outputs as a list) is not supported: a layer here has one output. Use 'concat', 'sum', 'mul' or 'ave'.`);
    const mergeMode = args.mergeMode === undefined ? 'concat' : oneOf(where, 'mergeMode', args.mergeMode, MERGE_MODES);
    const given = args.backwardLayer === undefined || args.backwardLayer === null ? null : layerArg(where, 'backwardLayer', args.backwardLayer);
    if (given !== null && !(given instanceof Recurrent)) fail(where, `backwardLayer must be a SimpleRNN, LSTM or GRU, got ${given.where}.`);
    const config = layer.getConfig();
    const forward = recurrentFromConfig({ ...config, name: `forward_${removePrefix(config.name, 'forward_')}` });
    const backward = given ?? recurrentFromConfig(backwardConfig(config));
    if (forward.goBackwards === backward.goBackwards) fail(where, `the forward and backward layers must differ in goBackwards; both have ${String(forward.goBackwards)}.`);
    if (forward.returnSequences !== backward.returnSequences) fail(where, `the forward and backward layers must agree on returnSequences.`);
    super('Bidirectional', args, 'bidirectional');
    this.forwardLayer = forward;
    this.backwardLayer = backward;
    this.mergeMode = mergeMode;
  }

  protected inferShape(inputs: Shape[]): Shape {
    const forward = this.forwardLayer.computeOutputShape(inputs);
    const backward = this.backwardLayer.computeOutputShape(inputs);
    if (shapeText(forward) !== shapeText(backward)) {
      fail(this.where, `the forward layer outputs ${shapeText(forward)} but the backward layer ${shapeText(backward)}; give both the same units.`);
    }
    if (this.mergeMode !== 'concat') return forward;
    return [...forward.slice(0, -1), 2 * (forward[forward.length - 1] as number)];
  }

  protected override build(inputs: Shape[]): void {
    for (const held of [this.forwardLayer, this.backwardLayer]) {
      held.buildInside(inputs);
      for (const w of held.weights) this.weights.push(new HeldWeight(this.where, held, w));
    }
  }

  getConfig(): BidirectionalConfig {
    return {
      className: 'Bidirectional', ...this.baseConfig(), layer: this.forwardLayer.getConfig(), mergeMode: this.mergeMode,
      backwardLayer: this.backwardLayer.getConfig(),
    };
  }
}

export class TimeDistributed extends Layer {
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    const where = openArgs('TimeDistributed', args, 'time_distributed', ['layer']);
    const layer = layerArg(where, 'layer', args.layer);
    if (layer.className === 'InputLayer' || layer.takesList) fail(where, `cannot wrap ${layer.where}: it takes one tensor per step, like Dense or Conv2D.`);
    if (layer.inboundNodes.length > 0) fail(where, `${layer.where} is already applied in a model; wrap a new layer.`);
    super('TimeDistributed', args, 'time_distributed');
    this.layer = layer;
  }

  /** [N, T, ...step] -> [N, T, ...the layer's output for one step]. */
  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    if (shape.length < 3) {
      fail(this.where, `needs an input of rank >= 3 (batch, timesteps, ...), got ${shapeText(shape)}. Give input() a shape like [timesteps, features].`);
    }
    const [batch, steps, ...step] = shape;
    const out = this.layer.computeOutputShape([batch!, ...step]);
    return [out[0]!, steps!, ...out.slice(1)];
  }

  protected override build([input]: Shape[]): void {
    const [batch, , ...step] = input!;
    this.layer.buildInside([[batch!, ...step]]);
    for (const w of this.layer.weights) this.weights.push(new HeldWeight(this.where, this.layer, w));
  }

  getConfig(): TimeDistributedConfig {
    return { className: 'TimeDistributed', ...this.baseConfig(), layer: this.layer.getConfig() };
  }
}

function nestedConfig(where: string, option: string, value: unknown): ConfigInput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, `${option} must be a layer config {className, name, ...}, got ${describe(value)}.`);
  return value as ConfigInput;
}

const whereOf = (className: string, config: ConfigInput): string => `${className} "${typeof config.name === 'string' ? config.name : '?'}"`;

/** The editor's new Bidirectional: an LSTM of 16 units, both copies at Keras's defaults. */
const NEW_LAYER = recurrentDefaults('LSTM', 'lstm', 16);

export const BIDIRECTIONAL: LayerEntry<'Bidirectional'> = {
  fromConfig: (config, nested) => {
    const where = whereOf('Bidirectional', config);
    const { layer, backwardLayer, ...rest } = configArgs('Bidirectional', config);
    const held = (option: string, value: unknown): Layer => nested(nestedConfig(where, option, value));
    const backward = backwardLayer === undefined || backwardLayer === null ? {} : { backwardLayer: held('backwardLayer', backwardLayer) };
    return new Bidirectional({ ...rest, layer: held('layer', layer), ...backward } as unknown as BidirectionalArgs);
  },
  nameBase: 'bidirectional',
  factory: 'bidirectional',
  options: [
    { key: 'layer', type: 'layer', label: 'layer', initial: { ...NEW_LAYER, name: 'forward_lstm' } as unknown as NestedLayerConfig, python: 'positional' },
    { key: 'mergeMode', type: 'select', label: 'merge mode', choices: MERGE_MODES, default: 'concat' },
    { key: 'backwardLayer', type: 'layer', default: null, initial: backwardConfig(NEW_LAYER) as unknown as NestedLayerConfig },
  ],
  sample: { inputs: [[4, 3]], options: { layer: recurrentDefaults('GRU', 'forward_gru', 2), backwardLayer: null, mergeMode: 'sum' } },
  kernels: 'none',
  // Python and TypeScript pass the layer Keras copies (forward_lstm -> lstm) and a backward layer only where Keras would not derive the same.
  codeConfig: (config) => {
    const layer = { ...config.layer, name: removePrefix(config.layer.name, 'forward_') };
    const derived = config.backwardLayer === null || JSON.stringify(backwardConfig(layer)) === JSON.stringify(config.backwardLayer);
    return { ...config, layer, backwardLayer: derived ? null : config.backwardLayer };
  },
};

export const TIME_DISTRIBUTED: LayerEntry<'TimeDistributed'> = {
  fromConfig: (config, nested) => {
    const { layer, ...rest } = configArgs('TimeDistributed', config);
    return new TimeDistributed({ ...rest, layer: nested(nestedConfig(whereOf('TimeDistributed', config), 'layer', layer)) } as unknown as TimeDistributedArgs);
  },
  nameBase: 'time_distributed',
  factory: 'timeDistributed',
  options: [
    {
      key: 'layer', type: 'layer', label: 'layer', python: 'positional',
      initial: { className: 'Dense', name: 'dense', trainable: true, units: 8, activation: 'linear', useBias: true, kernelInitializer: 'glorotUniform', biasInitializer: 'zeros', ...NO_PENALTIES },
    },
  ],
  sample: { inputs: [[3, 5]], options: { layer: { className: 'Dense', name: 'step_dense', trainable: true, units: 2, activation: 'tanh', useBias: true, kernelInitializer: 'glorotUniform', biasInitializer: 'zeros', ...NO_PENALTIES } } },
  kernels: 'none',
};
