// `npm run bench -- --filter kernels` (and the end of a whole run): our heavy kernels at the seed
// CNN's shapes in every variant, GFLOP/s and the fraction of the adapter's measured peak.
import { launchChromium, startVite } from './browser';
import type {} from '../bench/kernels'; // window.__kernels

/** Our heavy kernels at the seed CNN's shapes: GFLOP/s and the fraction of the adapter's measured peak. */
export async function kernelFigures(): Promise<Window['__kernels'] | null> {
  const { server, url } = await startVite();
  await server.watcher.close();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${url}/bench/kernels.html`);
    await page.waitForFunction(() => window.__kernels?.done === true, null, { timeout: 0, polling: 500 });
    const k = await page.evaluate(() => window.__kernels);
    if (k.error || !k.rows) {
      console.error(`kernel figures: ${k.error}`);
      return k;
    }
    console.log(`\nKernels on ${k.adapter}: measured peak ${k.peakGflops!.toFixed(2)} GFLOP/s (peak-FMA microbenchmark)`);
    console.log('Every variant valid for the shape; "default" is what tuning off runs, "fastest" what tuning picks here.');
    console.log(`${'kernel'.padEnd(36)} ${'shape'.padEnd(32)} ${'variant'.padEnd(12)} ${'ms'.padStart(8)} ${'GFLOP/s'.padStart(8)} ${'of peak'.padStart(8)}`);
    for (const r of k.rows) {
      const fastest = r.medianMs === Math.min(...k.rows.filter((o) => o.kernel === r.kernel).map((o) => o.medianMs));
      const cells = [r.kernel.padEnd(36), r.shape.padEnd(32), r.variant.padEnd(12), r.medianMs.toFixed(1).padStart(8), r.gflops.toFixed(2).padStart(8), `${(100 * r.ofPeak).toFixed(0)}%`.padStart(8)];
      console.log(`${cells.join(' ')}  ${[r.isDefault && 'default', fastest && 'fastest'].filter(Boolean).join(', ')}`);
    }
    return k;
  } finally {
    await browser.close();
    await server.close();
  }
}
