// The CPU engine's wasm kernels on a worker pool: 2 and 3 threads train to the very bytes of one
// thread (each thread owns whole rows of every GEMM, whole images of col2im, whole channels of
// the bias gradient, so no sum changes order), and a disposed engine leaves no thread behind.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { input, layers, model, resetNameScope, type Model } from '../index';
import { seedCnn } from '../examples';
import { rng } from '../../../tests/util/check';
import { CpuEngine } from './cpuEngine';
import { Trainer } from './trainer';

const compileArgs = { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] } as const;

function stridedCnn(): Model {
  const img = input({ shape: [28, 28, 1] });
  let x = layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(img);
  x = layers.conv2d({ filters: 12, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
  x = layers.maxPooling2d({ poolSize: 2 }).apply(x);
  x = layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(x);
  x = layers.conv2d({ filters: 16, kernelSize: 1, activation: 'tanh' }).apply(x);
  x = layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x);
  return model({ inputs: img, outputs: layers.dense({ units: 10, activation: 'softmax' }).apply(layers.flatten().apply(x)) });
}

async function train(make: () => Model, threads: number): Promise<{ params: Float32Array; loss: number[]; description: string }> {
  const r = rng(1);
  const n = 256;
  const x = { data: Uint8Array.from({ length: n * 784 }, () => Math.floor(r() * 256)), shape: [n, 28, 28, 1], scale: 1 / 255 };
  const y = { data: Uint8Array.from({ length: n }, () => Math.floor(r() * 10)), shape: [n] };
  resetNameScope();
  const m = make();
  m.initializeWeights(42);
  const engine = new CpuEngine({ kernels: 'wasm', threads });
  try {
    const t = await Trainer.compile(m, engine, compileArgs);
    const history = await t.fit(x, y, { epochs: 1, batchSize: 128, seed: 3 });
    return { params: await t.engine.readParams(), loss: history.history.loss, description: engine.description };
  } finally {
    engine.dispose();
  }
}

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('CPU engine on wasm threads', () => {
  for (const [name, make] of [['seed CNN', seedCnn], ['strided/padded CNN', stridedCnn]] as const) {
    it(`trains the ${name} with Adam to the same bytes on 1, 2 and 3 threads`, async () => {
      const one = await train(make, 1);
      expect(one.description).toBe('CPU (WebAssembly SIMD, 1 thread)');
      for (const threads of [2, 3]) {
        const many = await train(make, threads);
        expect(many.description).toBe(`CPU (WebAssembly SIMD, ${threads} threads)`);
        expect(many.loss).toEqual(one.loss);
        expect(bytes(many.params).equals(bytes(one.params)), `${threads} threads: weights differ from 1 thread`).toBe(true);
      }
      expect(Number.isFinite(one.loss[0])).toBe(true);
    }, 120_000);
  }

  it('refuses an impossible thread count with the fix', () => {
    expect(() => new CpuEngine({ kernels: 'wasm', threads: 0 })).toThrow(/threads must be an integer in 1\.\.64/);
  });

  it('leaves no thread running once disposed: a process that trains on 3 threads exits', () => {
    const engineUrl = new URL('./cpuEngine.ts', import.meta.url).href;
    const trainerUrl = new URL('./trainer.ts', import.meta.url).href;
    const examplesUrl = new URL('../examples.ts', import.meta.url).href;
    const script = `(async () => {
      const { CpuEngine } = await import(${JSON.stringify(engineUrl)});
      const { Trainer } = await import(${JSON.stringify(trainerUrl)});
      const { seedCnn } = await import(${JSON.stringify(examplesUrl)});
      const m = seedCnn(); m.initializeWeights(1);
      const engine = new CpuEngine({ kernels: 'wasm', threads: 3 });
      const t = await Trainer.compile(m, engine, { optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
      const x = { data: new Float32Array(128 * 784), shape: [128, 28, 28, 1] };
      const y = { data: new Uint32Array(128), shape: [128] };
      await t.fit(x, y, { epochs: 1, batchSize: 128 });
      engine.dispose();
      console.log(engine.description); })();`;
    const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
    const out = execFileSync(tsx, ['--eval', script], { timeout: 60_000, encoding: 'utf8', input: '' });
    expect(out.trim()).toBe('CPU (WebAssembly SIMD, 3 threads)');
  }, 90_000);
});
