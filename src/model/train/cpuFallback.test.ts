// Where the wasm file cannot be loaded (a network error, a worker CSP without 'wasm-unsafe-eval'),
// the default CPU engine falls back to the JavaScript kernels; an engine asked for wasm says why it failed.
import { describe, expect, it, vi } from 'vitest';
import { layers, sequential } from '../index';
import { CpuEngine } from './cpuEngine';
import { Trainer } from './trainer';

vi.mock('./cpuOps', async (original) => ({ ...(await original<typeof import('./cpuOps')>()), wasmOps: () => Promise.reject(new Error('blocked by CSP')) }));

function tiny() {
  const m = sequential({ seed: 1 });
  m.add(layers.dense({ units: 2, inputShape: [3] }));
  return m;
}

describe('CPU engine kernel loading', () => {
  it('falls back to the JavaScript kernels by default', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const engine = new CpuEngine();
    await Trainer.compile(tiny(), engine, { optimizer: 'sgd', loss: 'mse' });
    expect(engine.kernels).toBe('js');
    expect(engine.description).toMatch(/JavaScript/);
    expect(warn.mock.calls[0]?.[0]).toMatch(/blocked by CSP/);
    warn.mockRestore();
  });

  it('throws, naming the cause, when wasm was asked for', async () => {
    await expect(Trainer.compile(tiny(), new CpuEngine({ kernels: 'wasm' }), { optimizer: 'sgd', loss: 'mse' })).rejects.toThrow(/WebAssembly kernels did not load \(blocked by CSP\); use \{ kernels: 'js' \}/);
  });
});
