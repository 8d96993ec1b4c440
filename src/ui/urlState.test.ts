// The engine in the page's URL: Auto is the default (no parameter), links from before Auto with
// engine=webgpu or engine=cpu still force that engine, and an unknown one is reported and ignored.
import { describe, expect, it } from 'vitest';
import { readUrl } from './urlState';
import { useStore } from './store/store';

const engineAfter = (search: string): [string, string | null] => {
  const problem = readUrl(search);
  return [useStore.getState().settings.engine, problem];
};

describe('readUrl: the engine', () => {
  it('reads Auto, WebGPU and CPU, and no parameter as Auto', () => {
    expect(engineAfter('?engine=cpu')).toEqual(['cpu', null]);
    expect(engineAfter('?engine=webgpu')).toEqual(['webgpu', null]);
    expect(engineAfter('?engine=auto')).toEqual(['auto', null]);
    expect(engineAfter('?epochs=2')).toEqual(['auto', null]);
  });

  it('ignores an unknown engine and says so', () => {
    const [engine, problem] = engineAfter('?engine=gpu');
    expect(engine).toBe('auto');
    expect(problem).toBe('Parts of the link were ignored: unknown engine "gpu" (known: auto, webgpu, cpu).');
  });
});
