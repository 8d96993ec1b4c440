// Runs the WebGPU kernel tests (tests/gpu/**/*.gpu.ts) in headless Chromium on SwiftShader and
// prints one line per test and a closing 'N passed, N failed'. No adapter is a failure, never a skip.
// Usage: tsx scripts/browserTests.ts [--grep TEXT]
import { launchChromium, startVite } from './browser';
import type { GpuTestReport } from '../tests/gpu/runner';

const TIMEOUT_MS = Number(process.env.GPU_TEST_TIMEOUT_MS ?? 15 * 60_000);

async function main(): Promise<number> {
  const grepIndex = process.argv.indexOf('--grep');
  const grep = grepIndex > 0 ? process.argv[grepIndex + 1] : null;
  const { server, url } = await startVite();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    page.on('console', (msg) => console.log(msg.text()));
    page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
    await page.goto(`${url}/tests/gpu/index.html${grep ? `?grep=${encodeURIComponent(grep)}` : ''}`);
    await page.waitForFunction(() => window.__gpuTests?.done === true, null, { timeout: TIMEOUT_MS, polling: 500 });
    const report = (await page.evaluate(() => window.__gpuTests)) as GpuTestReport;
    if (report.fatal) {
      console.error(`GPU tests could not run: ${report.fatal}`);
      return 1;
    }
    const passed = report.results.filter((r) => r.ok).length;
    const failed = report.results.length - passed;
    console.log(`\nWebGPU adapter: ${report.adapter}`);
    if (report.results.length === 0) {
      console.error('No GPU tests ran.');
      return 1;
    }
    console.log(`gpu: ${passed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
  } finally {
    await browser.close();
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
