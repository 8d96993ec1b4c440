// Training in the page on the engine it picks by default (WebGPU where present): the loss curve
// falls and a test accuracy appears; Stop ends a run mid-epoch.
import { check, openPage, screenshot, text, waitForPhase, type E2eTest } from './harness.ts';

const SMALL = '?train=256&epochs=1&batch=32&test=200&val=0.125';

export const trainingTests: E2eTest[] = [
  {
    name: 'Train on a small subset draws falling loss points and ends with a test accuracy',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, SMALL);
      await page.waitForSelector('[data-testid=adapter]', { timeout: 30_000 });
      check((await page.locator('[data-testid=setting-engine]').inputValue()) === 'webgpu', 'the default engine is not WebGPU');
      await page.click('[data-testid=start]');
      const phase = await waitForPhase(page, ['done', 'error'], 240_000);
      await screenshot(page, '05-trained');
      check(phase === 'done', `training ended in ${phase}: ${await page.locator('.error-box').allTextContents()}`);
      const chart = page.locator('[data-testid=batch-chart]');
      const points = Number(await chart.getAttribute('data-points'));
      const first = Number(await chart.getAttribute('data-first-loss'));
      const last = Number(await chart.getAttribute('data-last-loss'));
      check(points >= 5, `only ${points} loss points`);
      check(last < first, `the smoothed loss did not fall: ${first} -> ${last}`);
      const accuracy = await text(page, '[data-testid=test-accuracy]');
      check(/Test accuracy on 200 images: \d+\.\d%/.test(accuracy), `test accuracy: ${accuracy}`);
      check((await page.locator('[data-testid=gallery] canvas').count()) > 0, 'no gallery images');
      check((await page.locator('[data-testid=filters] canvas').count()) === 32, 'the first conv layer does not show 32 filters');
      await screenshot(page, '06-results', '#results');
      await screenshot(page, '07-inside', '#inside');
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
  {
    name: 'Stop works mid-epoch',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, '?train=4000&epochs=2&batch=32&test=100&val=0');
      await page.waitForSelector('[data-testid=adapter]', { timeout: 30_000 });
      await page.click('[data-testid=start]');
      await page.waitForFunction(() => /step [2-9]\d*\//.test(document.querySelector('[data-testid=progress]')?.textContent ?? ''), null, { timeout: 120_000, polling: 250 });
      await page.click('[data-testid=stop]');
      const phase = await waitForPhase(page, ['done', 'error'], 120_000);
      check(phase === 'done', `after Stop the run ended in ${phase}`);
      const progress = await text(page, '[data-testid=progress]');
      const m = /Epoch (\d+)\/2 · step (\d+)\/(\d+)/.exec(progress);
      check(m !== null && m[1] === '1' && Number(m[2]) < Number(m[3]), `Stop did not end the run mid-epoch: ${progress}`);
      check((await text(page, '[data-testid=test-accuracy]')).includes('100 images'), 'no test accuracy after Stop');
      await screenshot(page, '08-stopped', '#train');
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
];
