// The page a learner opens: the first screen shows the run bar, the editor and the comparison's
// verdict; it fits 1440, 1024 and 390 px without sideways scrolling and Start is among the first
// Tab stops; a stopped run reads Stopped, a second run with other settings is drawn over it; the
// branched two-output model trains on the regression set with both output losses falling; the
// Sequential and functional CNNs trained with one seed give the same curve.
import type { Page } from 'playwright-core';
import { seriousViolations } from './axe.ts';
import { check, openPage, phaseOf, screenshot, text, waitForPhase, type E2eTest } from './harness.ts';

const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'laptop', width: 1024, height: 768 },
  { name: 'phone', width: 390, height: 844 },
];

/** Where an element sits in the viewport (top and bottom, px). */
async function box(page: Page, selector: string): Promise<{ top: number; bottom: number }> {
  const b = await page.locator(selector).first().boundingBox();
  check(b !== null, `${selector} is not shown`);
  return { top: b.y, bottom: b.y + b.height };
}

/** The history table's column `name`, one number per epoch. */
async function historyColumn(page: Page, name: string): Promise<number[]> {
  const headers = await page.locator('[data-testid=history] thead th').allTextContents();
  const col = headers.indexOf(name);
  check(col >= 0, `no ${name} column in the history: ${headers.join(', ')}`);
  const rows = await page.locator('[data-testid=history] tbody tr').all();
  return Promise.all(rows.map(async (r) => Number(await r.locator('td').nth(col).textContent())));
}

export const pageTests: E2eTest[] = [
  {
    name: 'the first screen shows the run bar, the editor and the verdict, and fits 1440, 1024 and 390 px',
    builtSite: true,
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url);
      const failures: string[] = [];
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.waitForTimeout(300);
        await page.screenshot({ path: `test-results/e2e/30-first-screen-${size.width}.png` });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) failures.push(`${size.width} px: the page is ${overflow} px wider than the window`);
        for (const v of await seriousViolations(page)) failures.push(`axe at ${size.width} px, before training: ${v}`);
      }
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.evaluate(() => window.scrollTo(0, 0));
      for (const selector of ['[data-testid=run-bar]', '[data-testid=start]', '[data-testid=editor]', '[data-testid=compare-verdict]']) {
        const { bottom } = await box(page, selector);
        if (bottom > 900) failures.push(`at 1440x900 ${selector} ends at ${Math.round(bottom)} px, below the first screen`);
      }
      const bar = await text(page, '[data-testid=run-bar]');
      for (const words of ['train', 'Fashion-MNIST', 'compare', 'Ch. 8 CNN (Sequential)']) {
        if (!bar.toLowerCase().includes(words.toLowerCase()) && !(await page.locator('[data-testid=model-picker] option:checked').textContent())?.includes(words)) {
          failures.push(`the run bar does not say "${words}"`);
        }
      }
      // Start is among the first Tab stops.
      let stops = 0;
      for (; stops < 12; stops++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'start')) break;
      }
      if (stops >= 12) failures.push('Start is not among the first 12 Tab stops');
      // Scrolled down, the run bar stays on top.
      await page.evaluate(() => window.scrollTo(0, 1500));
      await page.waitForTimeout(200);
      const barBox = await box(page, '[data-testid=run-bar]');
      if (barBox.top !== 0) failures.push(`scrolled down, the run bar is at ${barBox.top} px`);
      // On a phone the title scrolls away and Start, Stop and the live figures stay on top.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.evaluate(() => window.scrollTo(0, 2500));
      await page.waitForTimeout(300);
      for (const selector of ['[data-testid=start]', '[data-testid=stop]', '[data-testid=phase]']) {
        const { top, bottom } = await box(page, selector);
        if (top < 0 || bottom > 260) failures.push(`scrolled down on a phone, ${selector} is at ${Math.round(top)}-${Math.round(bottom)} px, not on top`);
      }
      await page.screenshot({ path: 'test-results/e2e/30-phone-scrolled.png' });
      await page.setViewportSize({ width: 1440, height: 900 });
      // Cross-origin isolated (the CPU engine's threads): by the server's headers, or on a static
      // host by coi-serviceworker.js.
      if (!(await page.evaluate(() => crossOriginIsolated))) failures.push('the page is not cross-origin isolated');
      // Dark mode follows the system.
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.evaluate(() => window.scrollTo(0, 0));
      const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      if (background !== 'rgb(11, 17, 32)') failures.push(`in dark mode the page's background is ${background}`);
      await page.screenshot({ path: 'test-results/e2e/30-first-screen-dark.png' });
      for (const v of await seriousViolations(page)) failures.push(`axe in dark mode: ${v}`);
      await page.emulateMedia({ colorScheme: 'light' });
      check(failures.length === 0, failures.join('\n     '));
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
  {
    name: 'a run stopped, then another with other settings: Stopped, and both drawn in the charts',
    run: async ({ webgpu, url }) => {
      // A first run long enough to stop mid-way (224 steps an epoch), then a short one (28 steps).
      const { page, errors } = await openPage(webgpu, url, '?train=4096&epochs=2&batch=16&test=50&val=0.125&engine=cpu');
      await page.click('[data-testid=start]');
      await page.waitForFunction(() => Number(document.querySelector('[data-testid=batch-chart]')?.getAttribute('data-points') ?? 0) >= 3, null, { timeout: 120_000 });
      await page.click('[data-testid=stop]');
      check((await waitForPhase(page, ['done', 'stopped', 'error'], 120_000)) === 'stopped', `after Stop the phase is ${await phaseOf(page)}`);
      check((await text(page, '[data-testid=phase]')) === 'Stopped early', `the stopped run reads "${await text(page, '[data-testid=phase]')}"`);
      const firstLabel = await text(page, '[data-testid=fit-run-label]');
      check(firstLabel.includes('Adam 0.001'), `the first run's label: ${firstLabel}`);

      await page.selectOption('.settings-grid select >> nth=0', 'rmsprop');
      await page.fill('[data-testid=setting-trainSize]', '512');
      await page.click('[data-testid=start]');
      check((await waitForPhase(page, ['done', 'stopped', 'error'], 180_000)) === 'done', `the second run ended in ${await phaseOf(page)}`);
      check((await text(page, '[data-testid=phase]')) === 'Finished', 'a finished run does not read Finished');
      const secondLabel = await text(page, '[data-testid=fit-run-label]');
      check(secondLabel.includes('RMSprop 0.001'), `the second run's label: ${secondLabel}`);
      const overlaid = Number(await page.locator('[data-testid=batch-chart]').getAttribute('data-overlaid'));
      check(overlaid === 1, `the batch chart overlays ${overlaid} earlier runs`);
      const legend = (await page.locator('[data-testid=batch-chart] .recharts-legend-item-text').allTextContents()).join(' | ');
      check(legend.includes('run 1 (stopped)') && legend.includes('Adam 0.001'), `the batch chart's legend: ${legend}`);
      const log = await text(page, '[data-testid=fit-log]');
      check(/Epoch 2\/2\n28\/28 \[={30}\] - \d+s \d+(ms|us|s)\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}/.test(log), `the fit() log:\n${log}`);
      check((await page.locator('[data-testid=history] tbody tr').count()) === 2, 'the history table does not have 2 epochs');
      await screenshot(page, '31-runs-overlaid', '#train');
      // After training too (charts, log, table, results), the page fits each width.
      for (const size of SIZES) {
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.waitForTimeout(300);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        check(overflow <= 0, `after training at ${size.width} px the page is ${overflow} px wider than the window`);
        const violations = await seriousViolations(page);
        check(violations.length === 0, `axe at ${size.width} px, after training:\n     ${violations.join('\n     ')}`);
      }
      await screenshot(page, '34-trained-phone');
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
  {
    name: 'the branched model trains on the regression set: both output losses fall; switching the model marks the run stale',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, '?example=branched&train=2000&epochs=3&batch=32&test=200&val=0.1&lr=0.01&engine=cpu');
      check((await text(page, '[data-testid=dataset]')).includes('synthetic regression'), 'the branched model is not on the regression set');
      await page.click('[data-testid=start]');
      check((await waitForPhase(page, ['done', 'stopped', 'error'], 120_000)) === 'done', `the branched run ended in ${await phaseOf(page)}: ${await page.locator('.error-box').allTextContents()}`);
      for (const output of ['y1_output_loss', 'y2_output_loss']) {
        const losses = await historyColumn(page, output);
        check(losses.length === 3 && losses[2]! < losses[0]!, `${output} did not fall: ${losses.join(', ')}`);
      }
      for (const output of ['y1_output', 'y2_output']) {
        check((await page.locator(`[data-testid=scatter-${output}] .recharts-scatter-symbol`).count()) === 200, `no 200-point scatter for ${output}`);
      }
      check((await text(page, '[data-testid=test-error]')).includes('mean squared error'), 'no test error');
      await screenshot(page, '32-branched-trained', '#train');
      await screenshot(page, '33-branched-results', '#results');
      check((await page.locator('[data-testid=stale]').count()) === 0, 'the fresh run is marked stale');
      // Saved in the browser and loaded after a reload, it is evaluated on the same test samples.
      const error = await text(page, '[data-testid=test-error]');
      await page.fill('.save-load input[type=text]', 'e2e-branched');
      await page.click('.save-load button:has-text("Save in browser")');
      await page.waitForFunction(() => document.querySelector('[data-testid=io-message]')?.textContent?.includes('Saved "e2e-branched"'), null, { timeout: 30_000 });
      await page.reload();
      await page.waitForSelector('[data-testid=compare-verdict]', { timeout: 30_000 });
      await page.locator('.saved-list li:has-text("e2e-branched") button:has-text("Load")').click();
      check((await waitForPhase(page, ['done', 'error'], 60_000)) === 'done', `the loaded branched model ended in ${await phaseOf(page)}`);
      await page.waitForSelector('[data-testid=test-error]', { timeout: 30_000 });
      check((await text(page, '[data-testid=test-error]')) === error, `loaded: ${await text(page, '[data-testid=test-error]')}, trained: ${error}`);
      await page.selectOption('[data-testid=model-picker]', 'seed-cnn');
      check((await page.locator('[data-testid=stale]').count()) >= 2, 'the curves and results are not marked stale after switching the model');
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
  {
    name: 'the Sequential and functional CNNs trained with one seed give the same curve, drawn over each other',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, '?train=256&epochs=1&batch=32&test=50&val=0.125&engine=cpu');
      const losses: number[][] = [];
      for (const example of ['seed-cnn', 'seed-cnn-functional']) {
        await page.selectOption('[data-testid=model-picker]', example);
        await page.click('[data-testid=start]');
        check((await waitForPhase(page, ['done', 'stopped', 'error'], 120_000)) === 'done', `${example} ended in ${await phaseOf(page)}`);
        losses.push([...(await historyColumn(page, 'loss')), ...(await historyColumn(page, 'val_loss'))]);
      }
      check(JSON.stringify(losses[0]) === JSON.stringify(losses[1]), `Sequential ${losses[0]!.join(', ')} vs functional ${losses[1]!.join(', ')}`);
      const legend = (await page.locator('[data-testid=batch-chart] .recharts-legend-item-text').allTextContents()).join(' | ');
      check(legend.includes('run 1 (finished): Ch. 8 CNN (Sequential)'), `the batch chart's legend: ${legend}`);
      await screenshot(page, '35-sequential-vs-functional', '#train');
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
];
