// npm run summary -- NAME|FILE [--layout classic|keras3] [--line-length N] [--json]
// Prints the Keras summary of a built-in example (src/model/examples.ts) or of a model file
// read through readModelFiles (.keras, .h5, .json (Keras to_json() or a TF.js model.json), .py).
// Errors are one line on stderr with a non-zero exit.

import { summaryRows } from '../src/model/index.ts';
import { examples } from '../src/model/examples.ts';
import { firstLine, loadModel } from './modelFiles.ts';

interface Options {
  target: string;
  layout: 'classic' | 'keras3';
  json: boolean;
  /** Keras's summary(line_length=N); Keras 3 prints at the terminal width - 4 by default. */
  lineLength?: number;
}

const USAGE = `usage: npm run summary -- NAME|FILE [--layout classic|keras3] [--line-length N] [--json]\nexamples: ${Object.keys(examples).join(', ')}`;

function parseArgs(argv: string[]): Options {
  let target: string | undefined;
  let layout: Options['layout'] = 'classic';
  let json = false;
  let lineLength: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--layout' || arg.startsWith('--layout=')) {
      const value = arg.includes('=') ? arg.slice('--layout='.length) : argv[++i];
      if (value !== 'classic' && value !== 'keras3') throw new Error(`--layout must be classic or keras3, got ${value ?? 'nothing'}`);
      layout = value;
    } else if (arg === '--line-length') {
      const value = argv[++i];
      lineLength = Number(value);
      if (!Number.isInteger(lineLength) || lineLength < 40 || lineLength > 1000) throw new Error(`--line-length must be a whole number from 40 to 1000, got ${value ?? 'nothing'}`);
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (target === undefined) target = arg;
    else throw new Error(`only one model at a time, got ${target} and ${arg}`);
  }
  if (target === undefined) throw new Error(`missing NAME or FILE (${USAGE.split('\n')[1]})`);
  return { target, layout, json, ...(lineLength ? { lineLength } : {}) };
}

async function main(): Promise<void> {
  try {
    const options = parseArgs(process.argv.slice(2));
    const { model: m } = await loadModel([options.target], options.layout);
    console.log(options.json ? JSON.stringify(summaryRows(m), null, 2) : m.summary({ layout: options.layout, ...(options.lineLength ? { lineLength: options.lineLength } : {}) }));
  } catch (error) {
    console.error(`summary: ${firstLine(error)}`);
    process.exit(1);
  }
}

void main();
