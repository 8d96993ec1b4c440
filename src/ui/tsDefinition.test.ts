// The TypeScript view of a spec: options at their defaults are left out, pairs read as squares.
import { describe, expect, it } from 'vitest';
import { resetNameScope } from '../model/index.ts';
import { exampleSpec } from '../worker/examples.ts';
import { tsDefinition } from './tsDefinition.ts';

describe('tsDefinition', () => {
  it('writes the seed CNN with the Sequential API', () => {
    resetNameScope();
    expect(tsDefinition(exampleSpec('seed-cnn'))).toBe(`import { layers, sequential } from './src/model';

const m = sequential({ name: 'sequential' });
m.add(layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [28, 28, 1], name: 'conv2d' }));
m.add(layers.maxPooling2d({ name: 'max_pooling2d' }));
m.add(layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv2d_1' }));
m.add(layers.maxPooling2d({ name: 'max_pooling2d_1' }));
m.add(layers.flatten({ name: 'flatten' }));
m.add(layers.dense({ units: 100, activation: 'relu', name: 'dense' }));
m.add(layers.dropout({ rate: 0.4, name: 'dropout' }));
m.add(layers.dense({ units: 10, activation: 'softmax', name: 'dense_1' }));

m.summary({ printFn: console.log });
`);
  });

  it('writes a functional model, merge layers called on lists', () => {
    const ts = tsDefinition(exampleSpec('residual'));
    expect(ts).toContain("const add = layers.add({ name: 'add' }).apply([conv2d, conv2d2]);");
    expect(ts).toContain("const activation = layers.activation({ activation: 'relu', name: 'activation' }).apply(add);");
    expect(ts).toContain("const m = model({ inputs: input1, outputs: dense, name: 'residual' });");
  });
});
