// The Auto engine on the page: Start times a few steps on WebGPU (SwiftShader here) and on the
// CPU, shows both rates and the engine chosen with the reason, and trains on it; a run forced on
// that engine with the same seed then ends with the same loss and test accuracy, so the timing
// steps left no trace on the run.
import type { Page } from 'playwright-core';
import { check, openPage, screenshot, text, waitForPhase, type E2eTest } from './harness.ts';

/** Small enough for CI's two cores: 2 steps of training, 50 test images. */
const SMALL = '?train=64&epochs=1&batch=32&test=50&val=0&seed=3';

interface RunEnd {
  /** The last smoothed loss of the batch chart, to the 4 digits its tooltip shows. */
  loss: string;
  accuracy: string;
  engine: string;
}

async function trainAndRead(page: Page): Promise<RunEnd> {
  await page.click('[data-testid=start]');
  const phase = await waitForPhase(page, ['done', 'error'], 90_000);
  check(phase === 'done', `training ended in ${phase}: ${await page.locator('.error-box').allTextContents()}`);
  const last = await page.locator('[data-testid=batch-chart]').getAttribute('data-last-loss');
  check(last !== null && Number.isFinite(Number(last)), `no final loss on the chart: ${last}`);
  return {
    loss: Number(last).toFixed(4),
    accuracy: await text(page, '[data-testid=test-accuracy]'),
    engine: (await page.locator('[data-testid=engine-description]').getAttribute('data-kind')) ?? '',
  };
}

export const engineAutoTests: E2eTest[] = [
  {
    name: 'Auto times both engines, shows both rates and the reason, and trains like a forced run on the chosen engine',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, SMALL);
      await page.waitForSelector('[data-testid=adapter]', { timeout: 30_000 });
      check((await page.locator('[data-testid=setting-engine]').inputValue()) === 'auto', 'the default engine is not Auto');
      const auto = await trainAndRead(page);

      const line = page.locator('[data-testid=engine-choice]');
      const chosen = await line.getAttribute('data-chosen');
      const rates: Record<string, number> = {};
      for (const kind of ['webgpu', 'cpu']) rates[kind] = Number(await line.getAttribute(`data-rate-${kind}`));
      check(rates.webgpu! > 0 && rates.cpu! > 0, `both engines should have a rate: ${JSON.stringify(rates)}`);
      const faster = rates.cpu! > rates.webgpu! ? 'cpu' : 'webgpu';
      check(chosen === faster, `Auto chose ${chosen}, but the rates were ${JSON.stringify(rates)}`);
      check(auto.engine === chosen, `the run trained on ${auto.engine}, not the chosen ${chosen}`);
      const reason = await text(page, '[data-testid=engine-reason]');
      const pattern = /^(CPU|WebGPU \(.+\)) [\d.,]+ samples\/s vs (CPU|WebGPU \(.+\)) [\d.,]+ samples\/s: (CPU|WebGPU \(.+\)) chosen$/;
      check(pattern.test(reason), `reason: ${reason}`);
      check(reason.endsWith(chosen === 'cpu' ? 'CPU chosen' : ') chosen'), `the reason names another engine: ${reason}`);
      await screenshot(page, '20-engine-auto', '#train');

      await page.selectOption('[data-testid=setting-engine]', chosen);
      const forced = await trainAndRead(page);
      check(forced.engine === chosen, `the forced run trained on ${forced.engine}`);
      check((await page.locator('[data-testid=engine-choice]').count()) === 0, 'a forced run still shows the Auto rates');
      check(forced.loss === auto.loss, `final loss: Auto ${auto.loss}, forced ${chosen} ${forced.loss}`);
      check(forced.accuracy === auto.accuracy, `test accuracy: Auto "${auto.accuracy}", forced "${forced.accuracy}"`);
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
];
