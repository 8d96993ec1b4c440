// The TypeScript view of wrappers: the held layer as a nested factory call, named as Keras copies it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromJSON, resetNameScope } from '../model/index.ts';
import { specFromModel } from '../worker/modelSpec.ts';
import { tsDefinition } from './tsDefinition.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../tests/fixtures/keras/recurrent/keras3.15.1_${name}.json`, import.meta.url), 'utf8');

describe('TypeScript view of recurrent layers and wrappers', () => {
  it('writes Bidirectional and TimeDistributed with their held layer', () => {
    resetNameScope();
    const bi = tsDefinition(specFromModel(fromJSON(fixture('bidirectional'))));
    expect(bi).toContain("m.add(layers.bidirectional({ layer: layers.lstm({ units: 4, name: 'lstm_1' }), mergeMode: 'sum', name: 'bidirectional_1' }));");
    resetNameScope();
    const td = tsDefinition(specFromModel(fromJSON(fixture('time_distributed'))));
    expect(td).toContain("const timeDistributed = layers.timeDistributed({ layer: layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'conv2d' }), name: 'time_distributed' }).apply(inputLayer);");
    expect(td).toContain("layers.gru({ units: 5, name: 'gru' })");
  });
});
