// `npm run profile -- [--model seed-cnn] [--batch 32]`: where one WebGPU training step's time goes,
// instruction by instruction, in headless Chromium (SwiftShader here; a real GPU elsewhere).
import { launchChromium, startVite } from './browser';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const { server, url } = await startVite();
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error(e.message));
    await page.goto(`${url}/scripts/profile-page/index.html?model=${arg('--model', 'seed-cnn')}&batch=${arg('--batch', '32')}`);
    await page.waitForFunction(() => window.__profile?.done === true, null, { timeout: 0, polling: 500 });
    const p = await page.evaluate(() => window.__profile);
    if (p.error || !p.rows) throw new Error(p.error ?? 'no profile');
    const total = p.rows.reduce((s, r) => s + r.ms, 0);
    console.log(`step (one submit): ${p.stepMs!.toFixed(1)} ms; per-instruction submits: ${total.toFixed(1)} ms`);
    for (const r of [...p.rows].sort((a, b) => b.ms - a.ms)) {
      console.log(`${r.ms.toFixed(2).padStart(9)} ms ${((100 * r.ms) / total).toFixed(1).padStart(5)}%  ${r.label}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
