// The dev server's page is cross-origin isolated (COOP/COEP headers from vite.config.ts), so a
// Web Worker on it can run the WebAssembly thread pool: 2 threads over one shared memory, the
// second a nested worker, with results equal to a float32 reference and traps as Errors.
import { compileTestKernels } from '../src/ops/wasm/poolTestKernels.ts';
import { check, type E2eTest } from './harness.ts';
import type { PoolProbeResult } from './poolProbe.worker.ts';

export const wasmPoolTests: E2eTest[] = [
  {
    name: 'the page is cross-origin isolated and a Web Worker runs a 2-thread WebAssembly pool on it',
    run: async ({ webgpu, url }) => {
      const wasm = Array.from(await compileTestKernels());
      const page = await webgpu.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${url}/`);
      check((await page.evaluate(() => self.crossOriginIsolated)) === true, 'the page is not crossOriginIsolated: are the COOP/COEP headers sent?');
      const result = await page.evaluate(
        (bytes) =>
          new Promise<PoolProbeResult>((resolve, reject) => {
            const worker = new Worker('/e2e/poolProbe.worker.ts', { type: 'module' });
            worker.onmessage = (e: MessageEvent<PoolProbeResult>) => resolve(e.data);
            worker.onerror = (e) => reject(new Error(`probe worker: ${e.message}`));
            worker.postMessage(new Uint8Array(bytes));
          }),
        wasm,
      );
      console.log(`     wasm pool in a Web Worker: ${JSON.stringify(result)}`);
      check(!result.error, `the pool failed in the worker: ${result.error}`);
      check(result.isolated, 'the worker is not crossOriginIsolated');
      check(result.support.includes('"ok":true'), `threadSupport in the worker: ${result.support}`);
      check(result.mismatches === 0, `${result.mismatches} elements of the 2-thread scale differ from the reference`);
      check(/trapFrom failed on thread 1, range \[1, 2\): RuntimeError: unreachable/.test(result.trap), `trap: ${result.trap}`);
      check(errors.length === 0, `page errors: ${errors.join('; ')}`);
      await page.close();
    },
  },
];
