// Embedding, as Keras 3: integer ids (any shape) -> rows of a trainable [inputDim, outputDim]
// table, appended as a last axis. Ids arrive as float32 holding integers (the engines' one input
// type; Keras casts them to int32, truncating); an id outside [0, inputDim) reads zeros.
// mask_zero (masking) is not supported.

import type { Shape } from '../../ops/shapes.ts';
import { initializerArg, type Initializer } from '../initializers.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { describe, fail, positiveInt, shapeText } from '../validate.ts';
import { configArgs, type KerasItem, type LayerEntry, type OptionSpec } from './entry.ts';
import { weightPenaltyArgs, weightPenaltyKeys, weightPenaltyOptions, type WeightPenalties, type WeightPenaltyArgs } from './penalties.ts';

const WEIGHTS = ['embeddings'] as const;

export interface EmbeddingConfig extends BaseConfig, WeightPenalties<'embeddings'> {
  className: 'Embedding';
  inputDim: number;
  outputDim: number;
  embeddingsInitializer: Initializer;
}

export interface EmbeddingArgs extends LayerArgs, WeightPenaltyArgs<'embeddings'> {
  /** Vocabulary size: ids run from 0 to inputDim - 1. */
  inputDim: number;
  outputDim: number;
  /** Default 'randomUniform' (Keras's 'uniform': RandomUniform(-0.05, 0.05)). */
  embeddingsInitializer?: Initializer;
  /** Keras's mask_zero: only false runs here. */
  maskZero?: false;
}

export class Embedding extends Layer {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly penalties: WeightPenalties<'embeddings'>;

  constructor(args: EmbeddingArgs) {
    const where = openArgs('Embedding', args, 'embedding', ['inputDim', 'outputDim', 'embeddingsInitializer', 'maskZero', ...weightPenaltyKeys(WEIGHTS)]);
    if (args.maskZero !== undefined && args.maskZero !== false) {
      fail(where, `maskZero ${describe(args.maskZero)} is not supported; only false (no masking here). Leave it out and keep id 0 as an ordinary token.`);
    }
    const inputDim = positiveInt(where, 'inputDim', args.inputDim);
    const outputDim = positiveInt(where, 'outputDim', args.outputDim);
    const init = initializerArg(where, 'embeddingsInitializer', args.embeddingsInitializer, 'randomUniform');
    const penalties = weightPenaltyArgs(where, args, WEIGHTS);
    super('Embedding', args, 'embedding');
    this.penalties = penalties;
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.embeddingsInitializer = init;
  }

  protected inferShape([input]: Shape[]): Shape {
    const shape = input!;
    if (shape.length < 2) fail(this.where, `needs ids of shape (batch, ...), got ${shapeText(shape)}. Give input() a shape like [20] for sequences of 20 ids.`);
    return [...shape, this.outputDim];
  }

  protected override build(): void {
    this.addWeight('embeddings', [this.inputDim, this.outputDim], this.embeddingsInitializer, {
      regularizer: this.penalties.embeddingsRegularizer, constraint: this.penalties.embeddingsConstraint,
    }); // [vocab, dim]
  }

  getConfig(): EmbeddingConfig {
    return {
      className: 'Embedding', ...this.baseConfig(), inputDim: this.inputDim, outputDim: this.outputDim,
      embeddingsInitializer: this.embeddingsInitializer, ...this.penalties,
    };
  }
}

export const EMBEDDING: LayerEntry<'Embedding'> = {
  fromConfig: (config) => new Embedding(configArgs('Embedding', config) as unknown as EmbeddingArgs),
  nameBase: 'embedding',
  factory: 'embedding',
  options: [
    { key: 'inputDim', type: 'int', label: 'vocabulary size', initial: 1000, python: 'positional' },
    { key: 'outputDim', type: 'int', label: 'output dim', initial: 16, python: 'positional' },
    { key: 'embeddingsInitializer', type: 'initializer', default: 'randomUniform' },
    ...(weightPenaltyOptions(WEIGHTS) as OptionSpec<EmbeddingConfig>[]),
  ],
  keras: [
    'inputDim', 'outputDim', 'embeddingsInitializer',
    ...(weightPenaltyKeys(WEIGHTS) as KerasItem<EmbeddingConfig>[]),
    { key: 'mask_zero', value: false, accepted: [false, null] },
  ],
  sample: { inputs: [[4]], options: { inputDim: 3, outputDim: 2 } },
};
