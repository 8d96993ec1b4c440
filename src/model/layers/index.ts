// The `layers` namespace: one factory per layer, TensorFlow.js style
// (layers.conv2d({filters: 32, kernelSize: 3})). Options are camelCase.

import { Activation, Dense, Dropout, Flatten, type ActivationArgs, type DenseArgs, type DropoutArgs } from './core.ts';
import { AveragePooling2D, Conv2D, MaxPooling2D, type Conv2DArgs, type Pooling2DArgs } from './conv.ts';
import { Add, Concatenate, type ConcatenateArgs } from './merge.ts';
import { GlobalAveragePooling2D, type GlobalPooling2DArgs } from './globalPooling.ts';
import { Rescaling, type RescalingArgs } from './rescaling.ts';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPooling1D, type Pooling1DArgs } from './pooling1d.ts';
import { Permute, Reshape, type PermuteArgs, type ReshapeArgs } from './reshape.ts';
import { Cropping2D, UpSampling2D, ZeroPadding2D, type Cropping2DArgs, type UpSampling2DArgs, type ZeroPadding2DArgs } from './padding2d.ts';
import { Average, Maximum, Minimum, Multiply, Subtract } from './mergeElementwise.ts';
import { GaussianDropout, GaussianNoise, SpatialDropout2D, type GaussianNoiseArgs, type RateArgs } from './noise.ts';
import { PReLU, type PReLUArgs } from './prelu.ts';
import { ELU, LeakyReLU, ReLU, Softmax, type ELUArgs, type LeakyReLUArgs, type ReLUArgs, type SoftmaxArgs } from './activationLayers.ts';
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
export const globalMaxPooling2d = (args: GlobalPooling2DArgs = {}): GlobalMaxPooling2D => new GlobalMaxPooling2D(args);
export const globalAveragePooling1d = (args: GlobalPooling2DArgs = {}): GlobalAveragePooling1D => new GlobalAveragePooling1D(args);
export const globalMaxPooling1d = (args: GlobalPooling2DArgs = {}): GlobalMaxPooling1D => new GlobalMaxPooling1D(args);
export const maxPooling1d = (args: Pooling1DArgs = {}): MaxPooling1D => new MaxPooling1D(args);
export const averagePooling1d = (args: Pooling1DArgs = {}): AveragePooling1D => new AveragePooling1D(args);
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
export const permute = (args: PermuteArgs): Permute => new Permute(args);
export const zeroPadding2d = (args: ZeroPadding2DArgs = {}): ZeroPadding2D => new ZeroPadding2D(args);
export const cropping2d = (args: Cropping2DArgs = {}): Cropping2D => new Cropping2D(args);
export const upSampling2d = (args: UpSampling2DArgs = {}): UpSampling2D => new UpSampling2D(args);
export const subtract = (args: LayerArgs = {}): Subtract => new Subtract(args);
export const multiply = (args: LayerArgs = {}): Multiply => new Multiply(args);
export const average = (args: LayerArgs = {}): Average => new Average(args);
export const maximum = (args: LayerArgs = {}): Maximum => new Maximum(args);
export const minimum = (args: LayerArgs = {}): Minimum => new Minimum(args);
export const spatialDropout2d = (args: RateArgs): SpatialDropout2D => new SpatialDropout2D(args);
export const gaussianNoise = (args: GaussianNoiseArgs): GaussianNoise => new GaussianNoise(args);
export const gaussianDropout = (args: RateArgs): GaussianDropout => new GaussianDropout(args);
export const reLU = (args: ReLUArgs = {}): ReLU => new ReLU(args);
export const leakyReLU = (args: LeakyReLUArgs = {}): LeakyReLU => new LeakyReLU(args);
export const elu = (args: ELUArgs = {}): ELU => new ELU(args);
export const softmax = (args: SoftmaxArgs = {}): Softmax => new Softmax(args);
export const pReLU = (args: PReLUArgs = {}): PReLU => new PReLU(args);
