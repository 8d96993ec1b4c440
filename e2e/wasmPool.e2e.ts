// The dev server's page is cross-origin isolated (COOP/COEP headers from vite.config.ts), so a
// Web Worker on it can run the WebAssembly thread pool: 2 threads over one shared memory, the
// second a nested worker, with results equal to a float32 reference and traps as Errors. Also on
// a page's main thread, where run() must return Promises (a main thread cannot block).
import type { Page } from 'playwright-core';
import { compileTestKernels } from '../src/ops/wasm/poolTestKernels.ts';
import { check, type E2eTest } from './harness.ts';
import type { PoolProbeResult } from './poolProbe.ts';

function checkProbe(where: string, result: PoolProbeResult, promises: boolean): void {
  console.log(`     wasm pool ${where}: ${JSON.stringify(result)}`);
  check(!result.error, `${where}: the pool failed: ${result.error}`);
  check(result.isolated, `${where}: not crossOriginIsolated`);
  check(result.support.includes('"ok":true'), `${where}: threadSupport says ${result.support}`);
  check(result.returnedPromise === promises, `${where}: run() ${result.returnedPromise ? 'returned' : 'did not return'} a Promise`);
  check(result.mismatches === 0, `${where}: ${result.mismatches} elements of the 2-thread scale differ from the reference`);
  check(/trapFrom failed on thread 1, range \[1, 2\): RuntimeError: unreachable/.test(result.trap), `${where}: trap: ${result.trap}`);
}

async function probeInWorker(page: Page, wasm: number[]): Promise<PoolProbeResult> {
  return page.evaluate(
    (bytes) =>
      new Promise<PoolProbeResult>((resolve, reject) => {
        const worker = new Worker('/e2e/poolProbe.worker.ts', { type: 'module' });
        worker.onmessage = (e: MessageEvent<PoolProbeResult>) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(`probe worker: ${e.message}`));
        worker.postMessage(new Uint8Array(bytes));
      }),
    wasm,
  );
}

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
      checkProbe('in a Web Worker', await probeInWorker(page, wasm), false);

      await page.goto(`${url}/e2e/poolProbe.html`);
      await page.waitForFunction(() => 'poolProbe' in window, null, { timeout: 30_000 });
      const onMain = await page.evaluate(
        (bytes) => (window as unknown as { poolProbe: (b: Uint8Array) => Promise<PoolProbeResult> }).poolProbe(new Uint8Array(bytes)),
        wasm,
      );
      checkProbe('on the main thread', onMain, true);
      check(errors.length === 0, `page errors: ${errors.join('; ')}`);
      await page.close();
    },
  },
];
