// npm run convert -- IN [IN2 ...] OUT [--keras3] [--weights] [--layout classic|keras3]
// Any model file readModelFiles reads to any format writeModelFiles writes, chosen by OUT's name:
// .keras, .h5, .weights.h5, .json (Keras to_json(); --keras3 for Keras 3's), .py (--weights also
// writes OUT.weights.h5 and loads it in the code), or a folder/ or model.json for TF.js
// (model.json + shards there). Inputs may be a model file, a TF.js model.json (its shards are
// picked up from beside it) or folder, or a model file plus a .weights.h5. Says what it wrote;
// errors are one line on stderr with a non-zero exit.

import { firstLine, loadModel, saveModel } from './modelFiles.ts';

const USAGE = 'usage: npm run convert -- IN [IN2 ...] OUT [--keras3] [--weights] [--layout classic|keras3]\n'
  + 'OUT: .keras, .h5, .weights.h5, .json (Keras JSON; --keras3 for Keras 3 to_json), .py, or DIR/ or DIR/model.json (TF.js)';

interface Options {
  inputs: string[];
  out: string;
  keras3: boolean;
  weights: boolean;
  layout: 'classic' | 'keras3';
}

function parseArgs(argv: string[]): Options {
  const paths: string[] = [];
  const options = { keras3: false, weights: false, layout: 'classic' as Options['layout'] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--keras3') options.keras3 = true;
    else if (arg === '--weights') options.weights = true;
    else if (arg === '--layout') {
      const v = argv[++i];
      if (v !== 'classic' && v !== 'keras3') throw new Error(`--layout must be classic or keras3, got ${v ?? 'nothing'}`);
      options.layout = v;
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg} (${USAGE.split('\n')[0]})`);
    else paths.push(arg);
  }
  if (paths.length < 2) throw new Error(`give at least one input and the output (${USAGE.split('\n')[0]})`);
  return { ...options, inputs: paths.slice(0, -1), out: paths[paths.length - 1]! };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const loaded = await loadModel(options.inputs, options.layout);
  for (const note of loaded.notes) console.error(`convert: note: ${note}`);
  const written = await saveModel(loaded.model, options.out, {
    keras3: options.keras3,
    weights: options.weights,
    ...(loaded.compile ? { compile: loaded.compile } : {}),
  });
  const carriesWeights = !['json', 'keras3-json'].includes(written.format) && (written.format !== 'python' || options.weights);
  const weights = !carriesWeights ? `no weights (${written.format === 'python' ? 'add --weights for them' : 'model JSON holds none'})` : loaded.weightsLoaded ? 'with its weights' : `with fresh weights (none were read from ${loaded.source})`;
  console.log(`Wrote ${written.paths.join(', ')}: model "${loaded.model.name}" from ${loaded.format} (${loaded.source}), ${weights}.`);
}

main().catch((error: unknown) => {
  console.error(`convert: ${firstLine(error)}`);
  process.exit(1);
});
