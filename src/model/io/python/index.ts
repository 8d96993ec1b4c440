// The Python reader: Keras model-building code as our model, read as data, never executed.
export { readPython, type PythonModel, type ReadPythonOptions } from './reader.ts';
export { PythonCodeError } from './errors.ts';
export { CODE_LIMITS } from './syntax.ts';
