// npm run predict -- MODEL_FILE [MORE_FILES] [--input fashion-mnist-test|FILE.json] [--count N] [--json] [--layout classic|keras3]
// Runs a model file (anything readModelFiles reads; a folder means its TF.js model.json) on the
// CPU engine. --json prints exactly {"outputs": [...]}, one nested array per model output shaped
// [N, ...]; otherwise a table: for a 10-way softmax the argmax class and its probability per
// sample, else the numbers. Notes (a model without weights, ...) go to stderr; errors are one
// line on stderr with a non-zero exit.

import './relaxedSimd.ts';
import { readFileSync } from 'node:fs';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_FILES, gunzip, parseIdx } from '../src/data/idx.ts';
import { DEFAULT_DATA_DIR, readFilesFrom } from '../src/data/nodeFiles.ts';
import { CpuEngine } from '../src/model/train/cpuEngine.ts';
import type { HostTensor } from '../src/model/train/engine.ts';
import type { LayerModel } from '../src/model/functional.ts';
import { firstLine, loadModel } from './modelFiles.ts';
import { nest, shapeOf, table } from './predictFormat.ts';

const USAGE = 'usage: npm run predict -- MODEL_FILE [MORE_FILES] [--input fashion-mnist-test|FILE.json] [--count N] [--json] [--layout classic|keras3]';
const MAX_COUNT = 10_000;

interface Options {
  files: string[];
  input: string;
  count: number;
  json: boolean;
  layout: 'classic' | 'keras3';
}

function parseArgs(argv: string[]): Options {
  const options: Options = { files: [], input: 'fashion-mnist-test', count: 16, json: false, layout: 'classic' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--json') options.json = true;
    else if (arg === '--input') options.input = value();
    else if (arg === '--count') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1 || n > MAX_COUNT) throw new Error(`--count must be a whole number from 1 to ${MAX_COUNT}`);
      options.count = n;
    } else if (arg === '--layout') {
      const v = value();
      if (v !== 'classic' && v !== 'keras3') throw new Error(`--layout must be classic or keras3, got ${v}`);
      options.layout = v;
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg} (${USAGE})`);
    else options.files.push(arg);
  }
  if (options.files.length === 0) throw new Error(`missing MODEL_FILE (${USAGE})`);
  return options;
}

const dims = (shape: readonly (number | null)[]): string => `(${shape.map((d) => d ?? 'None').join(', ')})`;

async function fashionMnistTest(model: LayerModel, count: number): Promise<{ x: HostTensor; labels: Uint8Array }> {
  const read = readFilesFrom(DEFAULT_DATA_DIR);
  const images = parseIdx(await gunzip(await read(FASHION_MNIST_FILES.testImages), FASHION_MNIST_FILES.testImages), FASHION_MNIST_FILES.testImages);
  const labels = parseIdx(await gunzip(await read(FASHION_MNIST_FILES.testLabels), FASHION_MNIST_FILES.testLabels), FASHION_MNIST_FILES.testLabels);
  const n = Math.min(count, images.dims[0]!);
  const want = model.inputs[0]!.shape.slice(1);
  // An MLP reading flat pixels ([784]) or 2-D images ([28, 28]) gets the same numbers reshaped.
  if (want.some((d) => d === null) || want.reduce((a, b) => a! * b!, 1) !== 784) {
    throw new Error(`fashion-mnist-test gives 28x28 images but the model's input is ${dims(model.inputs[0]!.shape)}; pass --input FILE.json`);
  }
  return { x: { data: images.data.subarray(0, n * 784), shape: [n, ...(want as number[])], scale: 1 / 255 }, labels: labels.data.subarray(0, n) };
}

function fileInput(model: LayerModel, path: string, count: number): HostTensor {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read --input ${path}: ${firstLine(error).slice(0, 200)}`, { cause: error });
  }
  let shape = shapeOf(json, path);
  const want = model.inputs[0]!.shape;
  const flat = Float32Array.from((json as number[]).flat(Infinity as 1) as number[]);
  // One sample without the batch axis is a batch of one.
  if (shape.length === want.length - 1) shape = [1, ...shape];
  const fits = shape.length === want.length && want.every((d, i) => i === 0 || d === null || d === shape[i]);
  if (!fits) throw new Error(`--input ${path} has shape [${shape.join(', ')}] but the model's input is ${dims(want)}`);
  const n = Math.min(count, shape[0]!);
  const per = flat.length / shape[0]!;
  return { data: flat.subarray(0, n * per), shape: [n, ...shape.slice(1)] };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const loaded = await loadModel(options.files, options.layout);
  const { model } = loaded;
  if (model.inputs.length !== 1) throw new Error(`${loaded.source} has ${model.inputs.length} inputs; predict feeds single-input models`);
  for (const note of loaded.notes) console.error(`predict: note: ${note}`);
  if (!loaded.weightsLoaded) console.error(`predict: note: ${loaded.source} carries no weights; these are the predictions of fresh (random) weights`);
  const fashion = options.input === 'fashion-mnist-test';
  const { x, labels } = fashion ? await fashionMnistTest(model, options.count) : { x: fileInput(model, options.input, options.count), labels: undefined };
  await model.compile({ optimizer: 'sgd', loss: 'mse', engine: new CpuEngine() });
  const flat = await model.predict(x);
  const n = x.shape[0]!;
  const outputs = flat.map((values, i) => {
    const rest = model.outputs[i]!.shape.slice(1);
    return nest(values, [n, ...(rest.some((d) => d === null) ? [values.length / n] : (rest as number[]))]);
  });
  if (options.json) console.log(JSON.stringify({ outputs }));
  else console.log(table(flat, model.outputs.map((t) => t.layer.name), n, fashion ? { names: FASHION_MNIST_CLASSES, labels } : undefined));
}

main().catch((error: unknown) => {
  console.error(`predict: ${firstLine(error)}`);
  process.exit(1);
});
