// InputLayer: the source of a graph. Creating one records its (input-less)
// node at once, as Keras does, so input() returns a tensor immediately.
// Its config type and registry entry are here too.

import { Layer, checkArgs, type BaseConfig } from '../layer.ts';
import { defaultNameScope } from '../naming.ts';
import { Node, type SymbolicTensor } from '../tensor.ts';
import type { Shape } from '../../ops/shapes.ts';
import { bool, checkKeys, describe, fail, featureShape, positiveInt } from '../validate.ts';
import type { ConfigInput, LayerEntry } from './entry.ts';

export interface InputLayerConfig extends BaseConfig {
  className: 'InputLayer';
  batchInputShape: Shape;
}

export interface InputArgs {
  /** Feature shape without the batch dimension, e.g. [28, 28, 1]. */
  shape: (number | null)[];
  batchSize?: number;
  name?: string;
}

export interface InputLayerArgs {
  inputShape: (number | null)[];
  batchSize?: number;
  name?: string;
}

export class InputLayer extends Layer {
  constructor(batchShape: Shape, name: string | undefined) {
    const { base, oneBased } = defaultNameScope.inputBase;
    super('InputLayer', name === undefined ? {} : { name }, base, oneBased);
    this.built = true;
    this.inboundNodes.push(new Node(this, 0, [], [batchShape]));
  }

  protected inferShape(): Shape {
    return fail(this.where, `an InputLayer cannot be applied to tensors; use its output (input() returns it).`);
  }

  getConfig(): InputLayerConfig {
    return { className: 'InputLayer', name: this.name, trainable: this.trainable, batchInputShape: [...this.output.shape] };
  }
}

function batchShapeOf(where: string, shape: unknown, batchSize: unknown): Shape {
  const features = featureShape(where, 'shape', shape);
  const batch = batchSize === undefined ? null : positiveInt(where, 'batchSize', batchSize);
  return [batch, ...features];
}

/** keras.Input: a symbolic tensor of shape [null, ...shape]. */
export function input(args: InputArgs): SymbolicTensor {
  checkArgs('Input', args);
  const where = typeof args.name === 'string' ? `InputLayer "${args.name}"` : 'InputLayer';
  checkKeys(where, args, ['shape', 'batchSize', 'name']);
  if (args.shape === undefined) fail(where, `needs a shape, e.g. input({shape: [28, 28, 1]}).`);
  return new InputLayer(batchShapeOf(where, args.shape, args.batchSize), args.name).output;
}

/** keras.layers.InputLayer, e.g. as the first layer of a Sequential. */
export function inputLayer(args: InputLayerArgs): InputLayer {
  checkArgs('InputLayer', args);
  const where = typeof args.name === 'string' ? `InputLayer "${args.name}"` : 'InputLayer';
  checkKeys(where, args, ['inputShape', 'batchSize', 'name']);
  if (args.inputShape === undefined) fail(where, `needs an inputShape, e.g. {inputShape: [28, 28, 1]}.`);
  return new InputLayer(batchShapeOf(where, args.inputShape, args.batchSize), args.name);
}

/** An InputLayer from its config: input({shape, batchSize, name}) read from batchInputShape. */
function inputFromConfig(config: ConfigInput): InputLayer {
  checkArgs('InputLayer', config);
  const where = typeof config.name === 'string' ? `InputLayer "${config.name}"` : 'InputLayer';
  checkKeys(where, config, ['className', 'name', 'trainable', 'batchInputShape']);
  if (config.trainable !== undefined) bool(where, 'trainable', config.trainable);
  const batchShape = config.batchInputShape;
  if (!Array.isArray(batchShape) || batchShape.length < 1) {
    fail(where, `batchInputShape must be a list like [null, 28, 28, 1], got ${describe(batchShape)}.`);
  }
  const args: InputArgs = { shape: batchShape.slice(1) };
  if (batchShape[0]) args.batchSize = batchShape[0] as number;
  if (config.name !== undefined) args.name = config.name as string;
  return input(args).layer as InputLayer;
}

export const INPUT_LAYER: LayerEntry<'InputLayer'> = {
  fromConfig: inputFromConfig,
  nameBase: 'input',
  factory: 'input',
  options: [{ key: 'batchInputShape', type: 'shape', label: 'shape', initial: [null, 28, 28, 1] }],
  sample: null,
};
