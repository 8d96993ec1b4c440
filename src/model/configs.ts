// Validated layer configurations in the playground's camelCase spelling. An executor or UI
// switches on `className` and reads these fields; the Keras JSON (snake_case) is derived from
// them in kerasConfig.ts. Each config type lives next to its layer class; the union is the
// registry's (layers/registry.ts).

export type { BaseConfig } from './layer.ts';
export type { InputLayerConfig } from './layers/input.ts';
export type { DenseConfig, FlattenConfig, DropoutConfig, ActivationConfig } from './layers/core.ts';
export type { Conv2DConfig, Pooling2DConfig } from './layers/conv.ts';
export type { ConcatenateConfig, AddConfig } from './layers/merge.ts';
export type { LayerConfig, LayerClassName, ConfigOf } from './layers/registry.ts';
