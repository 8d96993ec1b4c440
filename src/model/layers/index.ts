// The `layers` namespace: one factory per layer, TensorFlow.js style
// (layers.conv2d({filters: 32, kernelSize: 3})). Options are camelCase.

import { Activation, Dense, Dropout, Flatten, type ActivationArgs, type DenseArgs, type DropoutArgs } from './core.ts';
import { AveragePooling2D, Conv2D, MaxPooling2D, type Conv2DArgs, type Pooling2DArgs } from './conv.ts';
import { Add, Concatenate, type ConcatenateArgs } from './merge.ts';
import { GlobalAveragePooling2D, type GlobalPooling2DArgs } from './globalPooling.ts';
import { Rescaling, type RescalingArgs } from './rescaling.ts';
import { GRU, LSTM, SimpleRNN, type RecurrentArgs } from './recurrent.ts';
import { Bidirectional, TimeDistributed, type BidirectionalArgs, type TimeDistributedArgs } from './wrappers.ts';
import type { LayerArgs } from '../layer.ts';

export { inputLayer } from './input.ts';

export const dense = (args: DenseArgs): Dense => new Dense(args);
export const conv2d = (args: Conv2DArgs): Conv2D => new Conv2D(args);
export const maxPooling2d = (args: Pooling2DArgs = {}): MaxPooling2D => new MaxPooling2D(args);
export const averagePooling2d = (args: Pooling2DArgs = {}): AveragePooling2D => new AveragePooling2D(args);
export const flatten = (args: LayerArgs = {}): Flatten => new Flatten(args);
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
export const activation = (args: ActivationArgs): Activation => new Activation(args);
export const concatenate = (args: ConcatenateArgs = {}): Concatenate => new Concatenate(args);
export const add = (args: LayerArgs = {}): Add => new Add(args);
export const globalAveragePooling2d = (args: GlobalPooling2DArgs = {}): GlobalAveragePooling2D => new GlobalAveragePooling2D(args);
export const rescaling = (args: RescalingArgs): Rescaling => new Rescaling(args);
export const simpleRnn = (args: RecurrentArgs): SimpleRNN => new SimpleRNN(args);
export const lstm = (args: RecurrentArgs): LSTM => new LSTM(args);
export const gru = (args: RecurrentArgs): GRU => new GRU(args);
export const bidirectional = (args: BidirectionalArgs): Bidirectional => new Bidirectional(args);
export const timeDistributed = (args: TimeDistributedArgs): TimeDistributed => new TimeDistributed(args);
