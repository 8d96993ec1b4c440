import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Cross-origin isolation: without it the browser gives no SharedArrayBuffer, so the CPU engine's
// WebAssembly threads (src/ops/wasm/pool.ts) cannot share one memory. Everything the page loads is
// same-origin, so require-corp blocks nothing. Static hosts that cannot send headers get them from
// public/coi-serviceworker.js instead (registered by index.html only when the page is not isolated).
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  worker: { format: 'es' },
  // Scan every page up front, so a dependency found late never reloads a page mid-test.
  optimizeDeps: { entries: ['index.html', 'tests/gpu/index.html', 'bench/index.html', 'scripts/*/index.html'] },
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    // CI has 2 shared cores; heavy tests (training, real data) must not fail by the clock.
    testTimeout: 120_000,
  },
});
