// The TypeScript reader: the README's code and hand-written API code become the models they
// describe (parameter counts are Keras's own figures for these architectures), compile() comes
// along, and anything outside the API's subset is refused quickly with its line and column.
import { describe, expect, it } from 'vitest';
import { modelToJSON, resetNameScope } from '../../index.ts';
import { seedCnn, sharedTwoHeads } from '../../examples.ts';
import { CodeError } from '../codeError.ts';
import { readTypeScript } from './index.ts';

const SEED_TS = `import { layers, sequential } from './src/model';

// The seed's CNN (Keras: 333,526 parameters)
const m = sequential({ name: 'seed' });
m.add(layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [28, 28, 1] }));
m.add(layers.maxPooling2d({ poolSize: 2 }));
m.add(layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu', padding: 'same' }));
m.add(layers.maxPooling2d({ poolSize: 2 }));
m.add(layers.flatten());
m.add(layers.dense({ units: 100, activation: 'relu' }));
m.add(layers.dropout({ rate: 0.4 }));
m.add(layers.dense({ units: 10, activation: 'softmax' }));
m.summary();
await m.compile({ optimizer: { kind: 'sgd', learningRate: 0.01, momentum: 0.9 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
`;

/** Expects readTypeScript(code) to throw a CodeError at line:column whose message contains `says`. */
function refuses(code: string, line: number, column: number, says: string): CodeError {
  let error: unknown;
  try {
    readTypeScript(code);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CodeError);
  const e = error as CodeError;
  expect(e.message).toContain(says);
  expect([e.line, e.column]).toEqual([line, column]);
  return e;
}

describe('readTypeScript', () => {
  it("reads the seed CNN with Keras's parameter count, its layer names and its compile()", () => {
    const read = readTypeScript(SEED_TS);
    expect(read.format).toBe('TypeScript code');
    expect(read.model.countParams()).toBe(333_526);
    expect(read.model.layers.map((l) => l.name)).toEqual(['conv2d', 'max_pooling2d', 'conv2d_1', 'max_pooling2d_1', 'flatten', 'dense', 'dropout', 'dense_1']);
    expect(read.model.name).toBe('seed');
    expect(read.compile).toEqual({ optimizer: { kind: 'sgd', learningRate: 0.01, momentum: 0.9 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    expect(read.weightsLoaded).toBe(false);
    // Apart from its name and dropout rate, the same JSON as the example built in code.
    resetNameScope();
    const direct = modelToJSON(seedCnn()) as unknown as { config: { layers: { config: Record<string, unknown> }[] } };
    const fromCode = modelToJSON(read.model) as unknown as typeof direct;
    expect(fromCode.config.layers.map((l) => ({ ...l.config, rate: 0 }))).toEqual(direct.config.layers.map((l) => ({ ...l.config, rate: 0 })));
  });

  it("reads the README's first TypeScript block (its last model, the functional one)", () => {
    const readme = `import { layers, sequential, input, model } from './src/model';

const m = sequential();
m.add(layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [28, 28, 1] }));
m.add(layers.maxPooling2d({ poolSize: 2 }));
// ...
console.log(m.summary());          // the tf.keras 2.x text, character for character
m.summary({ layout: 'keras3' });   // Keras 3's table

const inputs = input({ shape: [3], name: 'input_layer' });
const x = layers.dense({ units: 10, activation: 'relu' }).apply(inputs);
const f = model({ inputs, outputs: [layers.dense({ units: 1 }).apply(x)] });
`;
    const read = readTypeScript(readme);
    // Dense(10) on 3 features, then Dense(1): (3*10+10) + (10+1) = 51, as Keras counts.
    expect(read.model.countParams()).toBe(51);
    expect(read.model.inputs[0]!.shape).toEqual([null, 3]);
    expect(read.notes.some((n) => n.includes('2 models'))).toBe(true);
  });

  it('reads a layer kept in a const and applied twice (one layer, two calls), and lets rebinding', () => {
    const code = `import { layers, input, model } from './src/model';
const left = input({ shape: [16] });
const right = input({ shape: [16] });
const shared = layers.dense({ units: 8, activation: 'relu', name: 'shared' });
const a = shared.apply(left);
const b = shared.apply(right);
let merged = layers.concatenate().apply([a, b]);
merged = layers.activation({ activation: 'linear' }).apply(merged);
const same = layers.dense({ units: 1, activation: 'sigmoid', name: 'same' }).apply(merged);
const diff = layers.dense({ units: 4, activation: 'softmax', name: 'diff' }).apply(merged);
const m = model({ inputs: [left, right], outputs: [same, diff], name: 'siamese' });
`;
    const read = readTypeScript(code);
    // Shared Dense 16*8+8 = 136, then 17 + 68 on the 16 concatenated features.
    expect(read.model.countParams()).toBe(136 + 17 + 68);
    expect(read.model.graphLayers.find((l) => l.name === 'shared')!.inboundNodes).toHaveLength(2);
    resetNameScope();
    expect(read.model.countParams()).toBe(sharedTwoHeads().countParams());
  });

});

describe('readTypeScript refusals', () => {
  it('refuses code that is not the model API, at the line and column, saying what is allowed', () => {
    refuses("import { layers } from './src/model';\nconst s = require('fs');", 2, 11, 'found a call of `require`, which is not defined');
    refuses('const m = sequential();\neval("1")', 2, 1, 'allowed calls');
    refuses("fetch('https://x')", 1, 1, 'found a call of `fetch`, which is not defined');
    refuses('const w = window;', 1, 11, 'found `window`, which is not defined');
    refuses('for (;;) {}', 1, 1, 'found a for loop');
    refuses('while (true) {}', 1, 1, 'found a while loop');
    refuses('function f() {}', 1, 1, 'found a function');
    refuses('const f = () => 1;', 1, 11, 'found a function');
    refuses("import { readFileSync } from 'fs';", 1, 10, 'may import only layers, sequential, input, model');
    refuses('const m = sequential();\nm.fit(x, y);', 2, 1, 'a model here offers add(layer), summary() and compile');
    refuses('const a = 1;\nconst a = 2;', 2, 7, '`a` is already defined');
    refuses('const a = 1;\na = 2;', 2, 1, '`a` is a const');
    refuses('const m = sequential();\nm.add(layers.dense({ units: 4 })', 2, 33, 'bracket or quote is not closed');
    refuses("const m = sequential();\nm.add(layers.dense({ units: 'x' }));", 2, 7, 'layers.dense(...)');
    refuses("const m = sequential();\nm.add(layers.evil({}));", 2, 14, 'not a layer here');
    refuses('const o = { __proto__: 1 };', 1, 13, 'not an option name');
    refuses('const s = `a${1}`;', 1, 11, 'template string');
    refuses('const m = sequential();\nm.add(layers.dense({ units: 4 }) +);', 2, 35, 'does not parse');
    refuses('const n = new Date();', 1, 11, '`new` expression');
    refuses('layers.constructor.constructor("1")()', 1, 1, 'allowed calls');
    refuses('// nothing', 1, 11, 'makes no model');
  });

  it('ends quickly on hostile input: deep nesting, huge code, many statements', () => {
    const started = Date.now();
    refuses(`const a = ${'['.repeat(100)}1${']'.repeat(100)};`, 1, 51, 'nests more than 40 levels');
    expect(() => readTypeScript(`const a = ${'['.repeat(5000)}1${']'.repeat(5000)};`)).toThrow(CodeError);
    expect(() => readTypeScript('x'.repeat(300_000))).toThrow(/200000 is read/);
    refuses('1\n'.repeat(25_000), 1, 1, 'statements');
    refuses(`const a = [${'1,'.repeat(5000)}];`, 1, 11, 'at most 1000 items');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
