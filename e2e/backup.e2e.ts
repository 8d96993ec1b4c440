// Training backups in the page (IndexedDB): a reload mid-epoch offers the run, and Resume ends it
// with the uninterrupted run's results; a quota error stops the backups, not the run; a worker
// that dies is noticed and its run resumed from the last backup; two pages train at once, each
// its own run. All on the CPU engine, where a resumed run is bit for bit the uninterrupted one.
import type { Page, Worker } from 'playwright-core';
import { check, openPage, screenshot, text, waitForPhase, type E2eTest } from './harness.ts';

const RUN = '?train=4000&epochs=2&batch=32&test=200&val=0.2&engine=cpu&seed=3&backupEvery=4';

/** The page's training worker (not the CPU engine's pool threads). */
async function trainingWorker(page: Page): Promise<Worker> {
  for (let i = 0; i < 100; i++) {
    const w = page.workers().find((x) => x.url().includes('training.worker'));
    if (w) return w;
    await page.waitForTimeout(100);
  }
  throw new Error('no training worker');
}

/** Waits until the backup line says a backup was written at least `min` steps into an epoch. */
async function waitForMidEpochBackup(page: Page, min = 1): Promise<string> {
  await page.waitForFunction(
    (least) => Number(/Backed up .*step (\d+)\)/.exec(document.querySelector('[data-testid=backup-status]')?.textContent ?? '')?.[1] ?? 0) >= least,
    min,
    { timeout: 120_000, polling: 100 },
  );
  return text(page, '[data-testid=backup-status]');
}

/** Removes every backup (one test's leftovers must not show up in the next). */
async function clearBackups(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('webgpu-keras-playground-backups');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('backups', 'readwrite');
          tx.objectStore('backups').clear();
          tx.oncomplete = () => resolve();
        };
      }),
  );
}

/** What the results show that depends on the final weights alone. */
async function results(page: Page): Promise<string> {
  return `${await text(page, '[data-testid=test-accuracy]')}\n${await text(page, '[data-testid=confusion]')}`;
}

async function trainToEnd(page: Page): Promise<void> {
  const phase = await waitForPhase(page, ['done', 'error'], 300_000);
  check(phase === 'done', `training ended in ${phase}: ${await page.locator('.error-box').allTextContents()}`);
}

export const backupTests: E2eTest[] = [
  {
    name: 'a reload mid-epoch offers the run; Resume ends it with the uninterrupted results',
    builtSite: true,
    run: async ({ webgpu, url }) => {
      const whole = await openPage(webgpu, url, RUN);
      await clearBackups(whole.page);
      await whole.page.click('[data-testid=start]');
      await trainToEnd(whole.page);
      const expected = await results(whole.page);
      await whole.page.close();

      const { page, errors } = await openPage(webgpu, url, RUN);
      await page.click('[data-testid=start]');
      // Late enough in the epoch that the backup holds a few loss points for the offer's curve.
      const status = await waitForMidEpochBackup(page, 16);
      await page.reload();
      await page.waitForSelector('[data-testid=interrupted-run]', { timeout: 30_000 });
      const offer = await text(page, '[data-testid=interrupted-run]');
      check(/stopped at epoch [12]\/2, step \d+/.test(offer), `the offer reads: ${offer} (backup before the reload: ${status})`);
      check((await page.locator('[data-testid=interrupted-run] svg.sparkline').count()) === 1, 'the offer shows no curve so far');
      await screenshot(page, 'backup-01-offer', '#train');
      // Every backup line the resumed run shows: its first backup must come after the offered point.
      await page.evaluate(`(() => {
        window.__lines = [];
        new MutationObserver(() => {
          const t = document.querySelector('[data-testid=backup-status]')?.textContent ?? '';
          if (t.startsWith('Backed up') && window.__lines.at(-1) !== t) window.__lines.push(t);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      })()`);
      await page.click('[data-testid=resume-backup]');
      await trainToEnd(page);
      const position = (line: string): number => {
        const m = /epoch (\d+)\/?\d*,? step (\d+)/.exec(line)!;
        return Number(m[1]) * 1000 + Number(m[2]);
      };
      const first = (await page.evaluate('window.__lines[0]')) as string | undefined;
      check(first !== undefined && position(first) > position(offer), `the resumed run's first backup (${first}) is not past the offered point (${offer})`);
      check((await results(page)) === expected, `the resumed run's results differ:\n${await results(page)}\nuninterrupted:\n${expected}`);
      // The finished run's backups are gone: nothing is offered after another reload.
      await page.reload();
      await page.waitForSelector('[data-testid=storage-use]', { timeout: 30_000 });
      check((await page.locator('[data-testid=interrupted-run]').count()) === 0, 'a finished run is still offered for resume');
      // Runs are kept across reloads: the uninterrupted run and the resumed one (one record), both finished, until deleted.
      await page.waitForSelector('[data-testid=kept-run]', { timeout: 10_000 });
      const kept = await page.locator('[data-testid=kept-run]').allTextContents();
      const statuses = await page.locator('[data-testid=kept-run] .status').allTextContents();
      check(kept.length >= 2 && statuses.slice(0, 2).join() === 'finished,finished' && kept.slice(0, 2).every((t) => t.includes('after epoch 2: loss')), `the kept runs read:\n${kept.join('\n')}`);
      await screenshot(page, 'backup-04-kept-runs', '[data-testid=run-list]');
      await page.locator('[data-testid=delete-run]').first().click();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=kept-run]').length === n, kept.length - 1, { timeout: 10_000 });
      await page.reload();
      await page.waitForSelector('[data-testid=storage-use]', { timeout: 30_000 });
      await page.waitForTimeout(500);
      const after = await page.locator('[data-testid=kept-run]').count();
      check(after === kept.length - 1, `after a delete and a reload ${after} runs are kept, not ${kept.length - 1}`);
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
  {
    name: 'a quota error during a backup stops the backups, not the run',
    run: async ({ webgpu, url }) => {
      const { page } = await openPage(webgpu, url, RUN.replace('epochs=2', 'epochs=1'));
      await clearBackups(page);
      const worker = await trainingWorker(page);
      await worker.evaluate(() => {
        IDBObjectStore.prototype.put = function () {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
      });
      await page.click('[data-testid=start]');
      await page.waitForFunction(() => (document.querySelector('[data-testid=backup-status]')?.textContent ?? '').startsWith('Backups stopped'), null, { timeout: 120_000, polling: 100 });
      const line = await text(page, '[data-testid=backup-status]');
      check(line.includes('The quota has been exceeded.') && line.includes('Training goes on'), `the backup line reads: ${line}`);
      await trainToEnd(page);
      await screenshot(page, 'backup-02-quota', '#train');
      await page.close();
    },
  },
  {
    name: 'a worker that dies mid-run is noticed and its run resumes from the last backup',
    run: async ({ webgpu, url }) => {
      const { page } = await openPage(webgpu, url, RUN);
      await clearBackups(page);
      await page.click('[data-testid=start]');
      await waitForMidEpochBackup(page);
      const worker = await trainingWorker(page);
      await worker.evaluate(() => self.close()).catch(() => undefined);
      await page.waitForSelector('[data-testid=interrupted-run]', { timeout: 30_000 });
      const message = await page.locator('.error-box').allTextContents();
      check(message.join(' ').includes('The training worker stopped unexpectedly'), `the page says: ${message.join(' ')}`);
      await screenshot(page, 'backup-03-worker-lost', '#train');
      await page.click('[data-testid=resume-backup]');
      await trainToEnd(page);
      await page.close();
    },
  },
  {
    name: 'two pages train at once, each its own run and backups',
    run: async ({ webgpu, url }) => {
      const a = await openPage(webgpu, url, RUN.replace('seed=3', 'seed=4'));
      const b = await openPage(webgpu, url, RUN.replace('seed=3', 'seed=5'));
      await clearBackups(a.page);
      await a.page.click('[data-testid=start]');
      await b.page.click('[data-testid=start]');
      await Promise.all([waitForMidEpochBackup(a.page), waitForMidEpochBackup(b.page)]);
      // Each page's run is alive in the other's eyes (its worker holds the run's lock): nothing to resume.
      for (const p of [a.page, b.page]) {
        await p.waitForTimeout(300);
        check((await p.locator('[data-testid=interrupted-run]').count()) === 0, 'a live run in the other page is offered for resume');
      }
      await Promise.all([trainToEnd(a.page), trainToEnd(b.page)]);
      // Both ended whole, and each removed its own backups (no record left behind or shared).
      check((await results(a.page)).includes('200 images') && (await results(b.page)).includes('200 images'), 'a page shows no results');
      const left = await a.page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const open = indexedDB.open('webgpu-keras-playground-backups');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const count = open.result.transaction('backups').objectStore('backups').count();
              count.onsuccess = () => resolve(count.result);
            };
          }),
      );
      check(left === 0, `${left} backup records left after both runs ended`);
      check(a.errors.length === 0 && b.errors.length === 0, `console errors:\n${[...a.errors, ...b.errors].join('\n')}`);
      await a.page.close();
      await b.page.close();
    },
  },
];
