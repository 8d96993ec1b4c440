// `npm run train -- --model seed-cnn|seed-cnn-functional|branched [--engine webgpu|cpu] [--epochs N]
//   [--batch-size B] [--lr X] [--limit N] [--seed S] [--validation-split F] [--patience P]
//   [--test-each-epoch true] [--out FILE]`
// Trains a built-in model from the terminal: the CPU engine in Node, or WebGPU in headless Chromium.
import { writeFileSync } from 'node:fs';
import { loadFashionMnistFromDir } from '../src/data/nodeFiles';
import { CpuEngine } from '../src/model/train/cpuEngine';
import { TRAIN_DEFAULTS, train, type TrainOptions, type TrainResult } from '../src/model/train/headless';
import { launchChromium, startVite } from './browser';

const FLAGS: Record<string, keyof TrainOptions> = {
  '--model': 'model',
  '--epochs': 'epochs',
  '--batch-size': 'batchSize',
  '--lr': 'learningRate',
  '--limit': 'limit',
  '--seed': 'seed',
  '--validation-split': 'validationSplit',
  '--patience': 'patience',
};

function parse(argv: string[]): { opts: TrainOptions; engine: 'cpu' | 'webgpu'; out: string | null } {
  const opts: TrainOptions = { ...TRAIN_DEFAULTS };
  let engine: 'cpu' | 'webgpu' = 'cpu';
  let out: string | null = null;
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--test-each-epoch') {
      opts.testEachEpoch = value === 'true';
    } else if (flag === '--engine') {
      if (value !== 'cpu' && value !== 'webgpu') throw new Error(`--engine must be cpu or webgpu, got ${value}`);
      engine = value;
    } else if (flag === '--out') {
      out = value;
    } else if (FLAGS[flag] === 'model') {
      opts.model = value;
    } else if (FLAGS[flag]) {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`${flag} must be a number, got ${value}`);
      (opts as unknown as Record<string, number>)[FLAGS[flag]] = n;
    } else {
      throw new Error(`unknown option ${flag}. Options: ${[...Object.keys(FLAGS), '--engine', '--out'].join(' ')}`);
    }
  }
  return { opts, engine, out };
}

async function inChromium(opts: TrainOptions): Promise<TrainResult> {
  const { server, url } = await startVite();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    page.on('console', (msg) => console.log(msg.text()));
    await page.goto(`${url}/scripts/train-page/index.html?opts=${encodeURIComponent(JSON.stringify(opts))}`);
    await page.waitForFunction(() => window.__train?.done === true, null, { timeout: 0, polling: 1000 });
    const state = await page.evaluate(() => window.__train);
    if (state.error || !state.result) throw new Error(state.error ?? 'no result');
    return state.result;
  } finally {
    await browser.close();
    await server.close();
  }
}

async function main(): Promise<void> {
  const { opts, engine, out } = parse(process.argv.slice(2));
  const result = engine === 'cpu' ? await train(opts, new CpuEngine(), () => loadFashionMnistFromDir(), (l) => console.log(l)) : await inChromium(opts);
  console.log(`Trained ${result.history.epoch.length} epochs in ${result.seconds.toFixed(0)} s (${result.samplesPerSecond.toFixed(1)} samples/s) on ${result.engine}`);
  if (out) {
    writeFileSync(out, JSON.stringify(result, null, 2));
    console.log(`Wrote ${out}`);
  }
}

main().catch((e) => {
  console.error(`train: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
