// Runs kept across reloads are part of the comparison: a run trained before a reload is listed
// and drawn in the charts after it (the default: the last few kept runs of the page's data set),
// its checkbox takes it out of the charts and back, and deleting it removes it from both.
import type { Page } from 'playwright-core';
import { check, openPage, screenshot, type E2eTest } from './harness.ts';
import { QUICK_CPU, trainToEnd } from './pageTools.ts';

/** The kept run records in IndexedDB with their status (the page writes them as the run changes). */
function keptStatuses(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('webgpu-keras-playground-backups');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('runs', 'readonly').objectStore('runs').getAll();
          req.onsuccess = () => resolve((req.result as { status: string }[]).map((r) => r.status));
          req.onerror = () => reject(req.error);
        };
      }),
  );
}

/** How many earlier runs each chart overlays, and the batch chart's legend. */
async function overlay(page: Page): Promise<{ batch: number; epoch: number; legend: string }> {
  const count = async (id: string) => Number(await page.locator(`[data-testid=${id}]`).getAttribute('data-overlaid'));
  const legend = (await page.locator('[data-testid=batch-chart] .recharts-legend-item-text').allTextContents()).join(' | ');
  return { batch: await count('batch-chart'), epoch: await count('epoch-loss-chart'), legend };
}

async function waitForOverlaid(page: Page, n: number): Promise<void> {
  await page.waitForFunction((want) => document.querySelector('[data-testid=batch-chart]')?.getAttribute('data-overlaid') === String(want), n, { timeout: 10_000 });
}

export const runsTests: E2eTest[] = [
  {
    name: 'a run kept across a reload is drawn in the charts; its checkbox and Delete take it out',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, QUICK_CPU);
      await trainToEnd(page);
      const label = (await page.locator('[data-testid=fit-run-label]').textContent()) ?? '';
      await page.waitForFunction(() => document.querySelector('[data-testid=run-list]') !== null);
      // The record is written as the run ends; reload once it says finished.
      for (let i = 0; i < 50 && (await keptStatuses(page)).join() !== 'finished'; i++) await page.waitForTimeout(100);
      check((await keptStatuses(page)).join() === 'finished', `kept records before the reload: ${(await keptStatuses(page)).join()}`);

      await page.reload();
      await page.waitForSelector('[data-testid=kept-run]', { timeout: 30_000 });
      await waitForOverlaid(page, 1);
      const after = await overlay(page);
      check(after.batch === 1 && after.epoch === 1, `after the reload the charts overlay ${JSON.stringify(after)}`);
      check(/run 1 \(finished, [^)]+\): Ch\. 8 CNN \(Sequential\) · Adam 0\.001/.test(after.legend), `the batch chart's legend: ${after.legend} (the run was ${label})`);
      // Its curve is drawn: a line in the batch chart, though nothing trained since the reload.
      check((await page.locator('[data-testid=batch-chart] .recharts-line-curve').count()) === 1, 'the kept run has no line in the batch chart');
      const box = page.locator('[data-testid=overlay-run]');
      check(await box.isChecked(), 'the kept run is drawn but its checkbox is not ticked');
      await screenshot(page, 'runs-01-kept-overlaid', '#train');

      await box.uncheck();
      await waitForOverlaid(page, 0);
      check((await page.locator('[data-testid=batch-chart] .chart-empty').count()) === 1, 'with the kept run unticked the batch chart is not empty');
      await box.check();
      await waitForOverlaid(page, 1);

      await page.click('[data-testid=delete-run]');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=kept-run]').length === 0, null, { timeout: 10_000 });
      await waitForOverlaid(page, 0);
      check((await page.locator('[data-testid=batch-chart] .recharts-line-curve').count()) === 0, 'the deleted run is still drawn');
      await page.reload();
      await page.waitForSelector('[data-testid=storage-use]', { timeout: 30_000 });
      await page.waitForTimeout(500);
      check((await page.locator('[data-testid=kept-run]').count()) === 0, 'the deleted run is back after a reload');
      check((await keptStatuses(page)).length === 0, 'the deleted run is still in IndexedDB');
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
];
