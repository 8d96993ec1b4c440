// Training in the page on the engine it picks by default (Auto: the faster here): the loss curve
// falls and a test accuracy appears; Stop ends a run mid-epoch; a save in the browser that fails
// mid-way leaves the previous save loadable.
import type { Page } from 'playwright-core';
import { check, openPage, screenshot, text, waitForPhase, type E2eTest } from './harness.ts';

interface SavedSummary {
  savedAt: string;
  bytes: number;
  hash: number;
}

/** The saved record `name` straight from IndexedDB (null when absent). */
function readSaved(page: Page, name: string): Promise<SavedSummary | null> {
  return page.evaluate(
    (key) =>
      new Promise<SavedSummary | null>((resolve, reject) => {
        const open = indexedDB.open('webgpu-keras-playground');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const get = db.transaction('models').objectStore('models').get(key);
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            db.close();
            const r = get.result as { savedAt: string; weights: ArrayBuffer } | undefined;
            if (!r) return resolve(null);
            const hash = new Uint8Array(r.weights).reduce((h, b) => (Math.imul(h, 31) + b) >>> 0, 7);
            resolve({ savedAt: r.savedAt, bytes: r.weights.byteLength, hash });
          };
        };
      }),
    name,
  );
}

/** Clicks `selector` and returns the save/load message that follows (the same text again after 10 s). */
async function clickForMessage(page: Page, selector: string): Promise<string> {
  const read = () => document.querySelector('[data-testid=io-message]')?.textContent ?? '';
  const before = await page.evaluate(read);
  await page.click(selector);
  await page.waitForFunction((old) => (document.querySelector('[data-testid=io-message]')?.textContent ?? '') !== old, before, { timeout: 10_000 }).catch(() => undefined);
  return page.evaluate(read);
}

async function saveAs(page: Page, name: string): Promise<string> {
  await page.fill('.save-load input[type=text]', name);
  return clickForMessage(page, '.save-load button:has-text("Save in browser")');
}

const SMALL = '?train=256&epochs=1&batch=32&test=200&val=0.125';

export const trainingTests: E2eTest[] = [
  {
    name: 'Train on a small subset draws falling loss points and ends with a test accuracy',
    builtSite: true,
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, SMALL);
      await page.waitForSelector('[data-testid=adapter]', { timeout: 30_000 });
      check((await page.locator('[data-testid=setting-engine]').inputValue()) === 'auto', 'the default engine is not Auto');
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
      // Training runs in the worker: the page keeps painting frames while it does.
      // (A string: tsx would wrap a named inner function in a helper the page lacks.)
      const frameGaps = await page.evaluate<number>(`new Promise((resolve) => {
        let last = performance.now(), worst = 0, frames = 0;
        const tick = (now) => {
          worst = Math.max(worst, now - last);
          last = now;
          if (++frames < 60) requestAnimationFrame(tick);
          else resolve(worst);
        };
        requestAnimationFrame(tick);
      })`);
      check(frameGaps < 500, `the page froze for ${frameGaps.toFixed(0)} ms during training`);
      await page.click('[data-testid=stop]');
      const phase = await waitForPhase(page, ['done', 'stopped', 'error'], 120_000);
      check(phase === 'stopped', `after Stop the run ended in ${phase}`);
      check((await text(page, '[data-testid=phase]')) === 'Stopped early', 'a stopped run does not read "Stopped early"');
      const progress = await text(page, '[data-testid=progress]');
      const m = /Epoch (\d+)\/2 · step (\d+)\/(\d+)/.exec(progress);
      check(m !== null && m[1] === '1' && Number(m[2]) < Number(m[3]), `Stop did not end the run mid-epoch: ${progress}`);
      check((await text(page, '[data-testid=test-accuracy]')).includes('100 images'), 'no test accuracy after Stop');
      await screenshot(page, '08-stopped', '#train');
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
  {
    name: 'a save that fails mid-way leaves the previous saved model loadable',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, '?train=128&epochs=1&batch=32&test=50&val=0');
      await page.waitForSelector('[data-testid=adapter]', { timeout: 30_000 });
      await page.click('[data-testid=start]');
      check((await waitForPhase(page, ['done', 'error'], 240_000)) === 'done', 'training did not finish');
      const saved = await saveAs(page, 'atomic');
      check(saved.includes('Saved "atomic"'), `first save: ${saved}`);
      const first = await readSaved(page, 'atomic');
      check(first !== null && first.bytes > 0, 'the first save is not in IndexedDB');
      // The next save's put succeeds, then its transaction aborts before committing (as a quota
      // error at commit would): the page must report a failure and the first record must stay.
      await page.evaluate(() => {
        const put = IDBObjectStore.prototype.put;
        IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
          const req = put.apply(this, args);
          req.addEventListener('success', () => this.transaction.abort());
          return req;
        };
        (window as unknown as { restorePut: () => void }).restorePut = () => (IDBObjectStore.prototype.put = put);
      });
      await page.waitForTimeout(20);
      const failed = await saveAs(page, 'atomic');
      check(!failed.includes('Saved') && (await page.locator('[data-testid=io-message].error-box').count()) === 1, `the failed save was reported as: ${failed}`);
      await page.evaluate(() => (window as unknown as { restorePut: () => void }).restorePut());
      const after = await readSaved(page, 'atomic');
      check(JSON.stringify(after) === JSON.stringify(first), `the saved model changed: ${JSON.stringify(first)} -> ${JSON.stringify(after)}`);
      const loaded = await clickForMessage(page, '.saved-list li:has-text("atomic") button:has-text("Load")');
      check(loaded.includes('Loaded "atomic" with its trained weights'), `loading the previous save: ${loaded}`);
      check((await waitForPhase(page, ['done', 'error'], 120_000)) === 'done', 'the loaded model was not evaluated');
      check((await text(page, '[data-testid=test-accuracy]')).includes('50 images'), 'no test accuracy for the loaded model');
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
];
