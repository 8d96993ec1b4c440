// Sharing a setup: the page's address holds the edited model and the training settings, and the
// copy buttons put exactly the shown Keras Python, TypeScript and link on the clipboard.
import type { Page } from 'playwright-core';
import { check, openPage, screenshot, text, type E2eTest } from './harness.ts';
import { showTab, summaryText } from './pageTools.ts';

/** Edits the seed CNN: 8 filters in the first conv layer. */
async function editFilters(page: Page): Promise<void> {
  await page.locator('li[data-layer=conv2d] input[type=number]').first().fill('8');
  await page.waitForFunction(() => !document.querySelector('[data-testid=total-a]')?.textContent?.includes('333,526'));
}

const SETTINGS = ['epochs', 'batchSize', 'learningRate', 'validationSplit', 'trainSize', 'testSize', 'seed'];

async function settingValues(page: Page): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const key of SETTINGS) values[key] = await page.locator(`[data-testid=setting-${key}]`).inputValue();
  values.optimizer = await page.locator('.train-controls label:has-text("Optimizer") select').inputValue();
  return values;
}

export const sharingTests: E2eTest[] = [
  {
    name: 'the address holds the edited model and settings: a new page opened on it shows the same',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url);
      await editFilters(page);
      await page.fill('[data-testid=setting-epochs]', '5');
      await page.fill('[data-testid=setting-learningRate]', '0.01');
      await page.selectOption('.train-controls label:has-text("Optimizer") select', 'sgd');
      const address = page.url();
      check(/[?&]model=/.test(address) && address.includes('epochs=5') && address.includes('lr=0.01') && address.includes('optimizer=sgd'), `address: ${address}`);
      const summary = await summaryText(page);
      const settings = await settingValues(page);
      const python = await text(page, '[data-testid=code-python]');

      const { page: shared, errors: sharedErrors } = await openPage(webgpu, url, new URL(address).search);
      check((await shared.locator('header .notice.warning').count()) === 0, `the shared page warns: ${await shared.locator('header .notice.warning').allTextContents()}`);
      check((await shared.locator('[data-testid=model-picker]').inputValue()) === '', 'the shared page does not show an edited model');
      check((await shared.locator('li[data-layer=conv2d] input[type=number]').first().inputValue()) === '8', 'the conv2d filters are not 8 on the shared page');
      const sharedSummary = await summaryText(shared);
      check(sharedSummary === summary, `the shared page's summary differs:\n${summary}\n---\n${sharedSummary}`);
      const sharedSettings = await settingValues(shared);
      check(JSON.stringify(sharedSettings) === JSON.stringify(settings), `settings: ${JSON.stringify(settings)} -> ${JSON.stringify(sharedSettings)}`);
      check((await text(shared, '[data-testid=code-python]')) === python, 'the shared page shows other Python');
      check(shared.url() === address, `the shared page rewrote the address:\n${address}\n${shared.url()}`);
      await screenshot(shared, '18-shared-page');
      check(errors.length === 0 && sharedErrors.length === 0, `console errors:\n${[...errors, ...sharedErrors].join('\n')}`);
      await shared.close();
      await page.close();
    },
  },
  {
    name: 'Copy Python, Copy TypeScript and Copy link put exactly what is shown on the clipboard',
    run: async ({ webgpu, url }) => {
      await webgpu.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
      const { page, errors } = await openPage(webgpu, url);
      await editFilters(page);
      const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
      const copy = async (label: string): Promise<string> => {
        await page.evaluate(() => navigator.clipboard.writeText('(nothing copied)'));
        await page.click(`.code-views button:has-text("${label}")`);
        let copied = await clipboard();
        for (let i = 0; i < 50 && copied === '(nothing copied)'; i++) {
          await page.waitForTimeout(100);
          copied = await clipboard();
        }
        return copied;
      };

      await showTab(page, 'code');
      const python = await text(page, '[data-testid=code-python]');
      check(python.includes('keras.Sequential') && python.includes('layers.Conv2D(8, '), `the Python does not build the edited model:\n${python}`);
      const copiedPython = await copy('Copy Python');
      check(copiedPython === python, `copied Python differs from the shown:\n${python}\n---\n${copiedPython}`);
      await screenshot(page, '19-code-python', '#model');

      await page.click('.code-views .tabs button:has-text("TypeScript")');
      const ts = await text(page, '[data-testid=code-typescript]');
      check(ts.includes('layers.conv2d') && ts.includes('filters: 8'), `the TypeScript does not build the edited model:\n${ts}`);
      const copiedTs = await copy('Copy TypeScript');
      check(copiedTs === ts, `copied TypeScript differs from the shown:\n${ts}\n---\n${copiedTs}`);
      await screenshot(page, '20-code-typescript', '#model');

      const link = await copy('Copy link');
      check(link === page.url(), `copied link ${link} is not the address ${page.url()}`);
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
];
