// Cross-origin isolation, which the CPU engine's WebAssembly threads need for SharedArrayBuffer:
// the dev server sends COOP/COEP on every response (the page, modules, the pool's worker script,
// the data files), preview is configured the same, and the static-host fallback is the npm
// package's coi-serviceworker, loaded by index.html before the app.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';
import config from '../vite.config.ts';
import { threadSupport } from '../src/ops/wasm/pool.ts';

const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

describe('cross-origin isolation', () => {
  let server: ViteDevServer;
  let url = '';

  beforeAll(async () => {
    server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'silent', clearScreen: false });
    await server.listen();
    const address = server.httpServer?.address();
    if (!address || typeof address === 'string') throw new Error('no TCP address');
    url = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await server.close();
  });

  it('the dev server sends COOP same-origin and COEP require-corp on the page, modules, the pool worker and data', async () => {
    for (const path of ['/', '/src/ops/wasm/poolWorker.ts', '/coi-serviceworker.js', '/fashion-mnist/t10k-labels-idx1-ubyte.gz']) {
      const response = await fetch(`${url}${path}`);
      await response.arrayBuffer();
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cross-origin-opener-policy'), path).toBe(ISOLATED['cross-origin-opener-policy']);
      expect(response.headers.get('cross-origin-embedder-policy'), path).toBe(ISOLATED['cross-origin-embedder-policy']);
    }
  });

  it('vite preview is configured with the same headers', () => {
    const lower = (h: unknown) => Object.fromEntries(Object.entries(h as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    expect(lower(config.preview?.headers)).toEqual(ISOLATED);
  });

  it('index.html loads the npm package coi-serviceworker (unchanged) as a classic script before the app', () => {
    const shipped = readFileSync('public/coi-serviceworker.js', 'utf8');
    expect(shipped).toBe(readFileSync('node_modules/coi-serviceworker/coi-serviceworker.js', 'utf8'));
    const html = readFileSync('index.html', 'utf8');
    const coi = html.indexOf('<script src="/coi-serviceworker.js"></script>');
    expect(coi).toBeGreaterThan(0);
    expect(coi).toBeLessThan(html.indexOf('<script type="module"'));
  });

  it('without isolation a browser context is told why threads are off', () => {
    vi.stubGlobal('process', undefined);
    vi.stubGlobal('crossOriginIsolated', false);
    let support: ReturnType<typeof threadSupport>;
    try {
      support = threadSupport();
    } finally {
      vi.unstubAllGlobals();
    }
    expect(support).toEqual({ ok: false, reason: 'the page is not cross-origin isolated, so WebAssembly threads are off; running on one thread' });
  });
});
