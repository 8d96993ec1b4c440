// npm run summary -- NAME|FILE.json [--layout classic|keras3] [--json]
// Prints the Keras summary of a built-in example (src/model/examples.ts) or
// of a Keras model config file (model.to_json() text or a TF.js model.json).
// Errors are one line on stderr with a non-zero exit.

import { readFileSync } from 'node:fs';
import { fromJSON, resetNameScope, summaryRows, type Model } from '../src/model/index.ts';
import { examples } from '../src/model/examples.ts';

interface Options {
  target: string;
  layout: 'classic' | 'keras3';
  json: boolean;
}

const USAGE = `usage: npm run summary -- NAME|FILE.json [--layout classic|keras3] [--json]\nexamples: ${Object.keys(examples).join(', ')}`;

function parseArgs(argv: string[]): Options {
  let target: string | undefined;
  let layout: Options['layout'] = 'classic';
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') json = true;
    else if (arg === '--layout' || arg.startsWith('--layout=')) {
      const value = arg.includes('=') ? arg.slice('--layout='.length) : argv[++i];
      if (value !== 'classic' && value !== 'keras3') throw new Error(`--layout must be classic or keras3, got ${value ?? 'nothing'}`);
      layout = value;
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else if (target === undefined) target = arg;
    else throw new Error(`only one model at a time, got ${target} and ${arg}`);
  }
  if (target === undefined) throw new Error(`missing NAME or FILE.json (${USAGE.split('\n')[1]})`);
  return { target, layout, json };
}

function load(target: string): Model {
  resetNameScope();
  const example = Object.hasOwn(examples, target) ? examples[target] : undefined;
  if (example) return example.build();
  let text: string;
  try {
    text = readFileSync(target, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`cannot read ${target} (${code}); it is neither a file nor an example (${Object.keys(examples).join(', ')})`, { cause: error });
  }
  return fromJSON(text);
}

function main(): void {
  try {
    const options = parseArgs(process.argv.slice(2));
    const m = load(options.target);
    console.log(options.json ? JSON.stringify(summaryRows(m), null, 2) : m.summary({ layout: options.layout }));
  } catch (error) {
    console.error(`summary: ${((error as Error).message ?? String(error)).split('\n')[0]}`);
    process.exit(1);
  }
}

main();
