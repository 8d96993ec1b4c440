// The Auto engine's rule: the faster engine that ran trains, and the page's sentence says both
// rates, or why an engine has none.
import { describe, expect, it } from 'vitest';
import { chooseEngine, formatRate, type EngineTiming } from './engineChoice';

const gpu = (samplesPerSec: number | null, error?: string): EngineTiming => ({ kind: 'webgpu', description: 'SwiftShader', samplesPerSec, ...(error ? { error } : {}) });
const cpu = (samplesPerSec: number | null, error?: string): EngineTiming => ({ kind: 'cpu', description: 'CPU (JavaScript, 2 cores available)', samplesPerSec, ...(error ? { error } : {}) });

describe('chooseEngine', () => {
  it('picks the CPU when it is faster, naming the faster rate first', () => {
    const c = chooseEngine([gpu(160.4), cpu(410.2)]);
    expect(c.chosen).toBe('cpu');
    expect(c.reason).toBe('CPU 410 samples/s vs WebGPU (SwiftShader) 160 samples/s: CPU chosen');
    expect(c.timings).toHaveLength(2);
  });

  it('picks WebGPU when it is faster', () => {
    const c = chooseEngine([gpu(2345.6), cpu(410)]);
    expect(c.chosen).toBe('webgpu');
    expect(c.reason).toBe('WebGPU (SwiftShader) 2,346 samples/s vs CPU 410 samples/s: WebGPU (SwiftShader) chosen');
  });

  it('keeps the first listed engine on a tie', () => {
    expect(chooseEngine([gpu(100), cpu(100)]).chosen).toBe('webgpu');
    expect(chooseEngine([cpu(100), gpu(100)]).chosen).toBe('cpu');
  });

  it('falls back on the CPU with the reason when WebGPU failed', () => {
    const c = chooseEngine([gpu(null, 'the device was lost'), cpu(52.345)]);
    expect(c.chosen).toBe('cpu');
    expect(c.reason).toBe('CPU 52.3 samples/s; WebGPU (SwiftShader) could not run (the device was lost): CPU chosen');
  });

  it('falls back on WebGPU with the reason when the CPU failed', () => {
    const c = chooseEngine([gpu(300), cpu(null, 'out of memory')]);
    expect(c.chosen).toBe('webgpu');
    expect(c.reason).toBe('WebGPU (SwiftShader) 300 samples/s; CPU could not run (out of memory): WebGPU (SwiftShader) chosen');
  });

  it('treats a zero, NaN or infinite rate as no rate', () => {
    expect(chooseEngine([gpu(0), cpu(10)]).chosen).toBe('cpu');
    expect(chooseEngine([gpu(NaN), cpu(10)]).chosen).toBe('cpu');
    expect(chooseEngine([gpu(Infinity), cpu(10)]).chosen).toBe('cpu');
  });

  it('throws with both reasons when no engine ran', () => {
    expect(() => chooseEngine([gpu(null, 'no adapter'), cpu(null, 'the loss became NaN')])).toThrow(
      'Auto engine: no engine could train this model (WebGPU (SwiftShader): no adapter; CPU: the loss became NaN)',
    );
  });
});

describe('formatRate', () => {
  it('rounds from 100 up and keeps three significant digits below', () => {
    expect(formatRate(12345.6)).toBe('12,346');
    expect(formatRate(99.96)).toBe('100');
    expect(formatRate(12.345)).toBe('12.3');
    expect(formatRate(0.5234)).toBe('0.523');
  });
});
