// Public API of the model layer: Keras-style models in TypeScript.
//   const m = sequential();
//   m.add(layers.conv2d({filters: 32, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [28, 28, 1]}));
//   const inputs = input({shape: [3]}); const y = layers.dense({units: 1}).apply(inputs);
//   const f = model({inputs, outputs: y});

import { LayerModel, Sequential, type ModelArgs, type SequentialArgs } from './model.ts';

export * as layers from './layers/index.ts';
export { input, InputLayer, type InputArgs, type InputLayerArgs } from './layers/input.ts';
export { Dense, Flatten, Dropout, Activation, type DenseArgs, type DropoutArgs, type ActivationArgs } from './layers/core.ts';
export { Conv2D, Pooling2D, MaxPooling2D, AveragePooling2D, type Conv2DArgs, type Pooling2DArgs } from './layers/conv.ts';
export { Add, Concatenate, type ConcatenateArgs } from './layers/merge.ts';
export { Layer, type LayerArgs } from './layer.ts';
export { LayerWeight } from './weight.ts';
export { LAYERS, LAYER_CLASS_NAMES, configFields, defaultConfig, isLayerClassName, layerFromConfig, layerOptions } from './layers/registry.ts';
export { takesInputList } from './layers/inputList.ts';
export { isDefault, type AnyOption, type LayerEntry, type OptionSpec, type OptionType } from './layers/entry.ts';
export { LayerModel, Sequential, type ModelArgs, type SequentialArgs } from './model.ts';
export { SymbolicTensor, Node } from './tensor.ts';
export { resetNameScope } from './naming.ts';
export { setSeed, Random } from './random.ts';
export { ACTIVATIONS, type ActivationName } from '../ops/activations.ts';
export { INITIALIZERS, INITIALIZER_CLASS_NAMES, changedArgs, type Initializer, type InitializerName, type InitializerSpec } from './initializers.ts';
export { CONSTRAINT_CLASS_NAMES, REGULARIZER_CLASS_NAMES, changedSpecArgs, type Constraint, type ConstraintSpec, type Regularizer, type RegularizerSpec } from './regularizers.ts';
export type * from './configs.ts';
export * from '../ops/shapes.ts';
export * from './summary.ts';
export * from './summaryClassic.ts';
export * from './summaryKeras3.ts';
export * from './compare.ts';
export { modelToJSON, modelToJSONString, modelFromJSON, modelFromJSON as fromJSON, type KerasModelJson } from './serialize.ts';
export * from './weightsIO.ts';
export * from './python.ts';
export { missingKernels } from './layers/kernels.ts';
export { SimpleRNN, LSTM, GRU, type RecurrentArgs } from './layers/recurrent.ts';
export { Bidirectional, TimeDistributed, type BidirectionalArgs, type TimeDistributedArgs } from './layers/wrappers.ts';

export type Model = LayerModel;

export function sequential(args: SequentialArgs = {}): Sequential {
  return new Sequential(args);
}

export function model(args: ModelArgs): LayerModel {
  return new LayerModel(args);
}

// Training: callbacks, the trainer behind model.compile/fit, the CPU engine. The WebGPU engine is
// imported from './train/gpuEngine' (its kernels load as browser modules).
export { EarlyStopping, BestWeights, type Callback, type Logs, type TrainingControl } from './train/callbacks.ts';
export { ReduceLROnPlateau, LearningRateScheduler, CsvLogger, historyToCsv } from './train/lrCallbacks.ts';
export { optimizerToKeras, optimizerFromKeras, optimizerToPython } from './train/optimizerKeras.ts';
export { Trainer, NonFiniteLossError, type FitArgs, type History } from './train/trainer.ts';
export { CpuEngine } from './train/cpuEngine.ts';
export type { Engine, HostTensor, DataSet, OptimizerConfig } from './train/engine.ts';
export type { CompileArgs, OptimizerArg, LossName } from './train/config.ts';
export { compileToKeras, compileFromKeras, compilePython, compileArgsFromModelJson, type KerasCompileConfig } from './train/compileConfig.ts';
export { resolveLoss, lossToKeras, lossToPython, LOSS_NAMES, METRIC_NAMES, type LossArg, type LossSpec } from './train/lossConfig.ts';
