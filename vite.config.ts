import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1' },
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
