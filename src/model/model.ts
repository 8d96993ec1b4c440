// Models, as Keras splits them: the functional model (functional.ts) and Sequential
// (sequential.ts), a chain over it. One import for code that takes either.
export { LayerModel, type ModelArgs, type ModelCompileArgs, type SummaryOptions } from './functional.ts';
export { Sequential, type SequentialArgs } from './sequential.ts';
