// Saving a trained model and loading it back: in the browser (IndexedDB) across a reload, and
// as downloaded files uploaded again; files that are not a model change nothing.
import { mkdirSync, readFileSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { ARTIFACTS, check, openPage, phaseOf, screenshot, text, waitForPhase, type E2eTest } from './harness.ts';
import { QUICK_CPU, summaryText, trainToEnd } from './pageTools.ts';

/** What a trained model shows: its summary and its test results (accuracy, confusion, gallery). */
async function modelState(page: Page): Promise<{ summary: string; accuracy: string; confusion: string; gallery: string }> {
  return {
    summary: await summaryText(page),
    accuracy: await text(page, '[data-testid=test-accuracy]'),
    confusion: await text(page, '[data-testid=confusion]'),
    gallery: await text(page, '[data-testid=gallery]'),
  };
}

/** Runs `action` and returns the Save/Load message it brings (a new text). */
async function ioMessageAfter(page: Page, action: () => Promise<void>): Promise<{ text: string; ok: boolean }> {
  const before = await page.evaluate(() => document.querySelector('[data-testid=io-message]')?.textContent ?? '');
  await action();
  await page.waitForFunction((old) => (document.querySelector('[data-testid=io-message]')?.textContent ?? '') !== old, before, { timeout: 30_000 });
  const message = page.locator('[data-testid=io-message]');
  return { text: (await message.textContent()) ?? '', ok: !(await message.getAttribute('class'))?.includes('error-box') };
}

function sameState(what: string, a: Record<string, string>, b: Record<string, string>): void {
  for (const key of Object.keys(a)) check(a[key] === b[key], `${what}: ${key} differs:\n${a[key]}\n---\n${b[key]}`);
}

export const saveLoadTests: E2eTest[] = [
  {
    name: 'a model saved in the browser loads back after a reload with the same summary and test results',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, QUICK_CPU);
      await trainToEnd(page);
      const trained = await modelState(page);
      await page.fill('.save-load input[type=text]', 'e2e-reload');
      const saved = await ioMessageAfter(page, () => page.click('.save-load button:has-text("Save in browser")'));
      check(saved.ok && saved.text.includes('Saved "e2e-reload"'), `save: ${saved.text}`);
      await page.reload();
      await page.waitForSelector('[data-testid=compare-verdict]', { timeout: 30_000 });
      check((await page.locator('[data-testid=test-accuracy]').count()) === 0, 'test results survived the reload before loading');
      const entry = page.locator('.saved-list li:has-text("e2e-reload")');
      await entry.waitFor({ timeout: 10_000 });
      const loaded = await ioMessageAfter(page, () => entry.locator('button:has-text("Load")').click());
      check(loaded.ok && loaded.text.includes('Loaded "e2e-reload" with its trained weights'), `load: ${loaded.text}`);
      check((await waitForPhase(page, ['done', 'error'], 60_000)) === 'done', 'the loaded model was not evaluated');
      sameState('after the reload and load', trained, await modelState(page));
      await screenshot(page, '16-loaded-from-browser', '#save');
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
  {
    name: 'downloaded model files upload again into the same model; files that are not a model change nothing',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, QUICK_CPU);
      await trainToEnd(page);
      const trained = await modelState(page);
      const downloads: Download[] = [];
      page.on('download', (d) => downloads.push(d));
      const done = await ioMessageAfter(page, () => page.click('.save-load button:has-text("Download files")'));
      check(done.ok && done.text.includes('model.json and weights.bin'), `download: ${done.text}`);
      for (let i = 0; i < 100 && downloads.length < 2; i++) await page.waitForTimeout(100);
      const names = downloads.map((d) => d.suggestedFilename()).sort();
      check(JSON.stringify(names) === '["model.json","weights.bin"]', `downloaded: ${names.join(', ')}`);
      const dir = `${ARTIFACTS}/downloads`;
      mkdirSync(dir, { recursive: true });
      for (const d of downloads) await d.saveAs(`${dir}/${d.suggestedFilename()}`);
      const modelJson = readFileSync(`${dir}/model.json`);
      const weights = readFileSync(`${dir}/weights.bin`);

      // Another model on the page, then the files bring the trained one back.
      await page.selectOption('[data-testid=model-picker]', 'residual');
      await page.waitForFunction((s) => document.querySelector('[data-testid=summary-text-a]')?.textContent !== s, trained.summary);
      const uploaded = await ioMessageAfter(page, () => page.setInputFiles('[data-testid=upload]', [`${dir}/model.json`, `${dir}/weights.bin`]));
      check(uploaded.ok && uploaded.text.includes('Loaded model.json with its trained weights'), `upload: ${uploaded.text}`);
      check((await waitForPhase(page, ['done', 'error'], 60_000)) === 'done', 'the uploaded model was not evaluated');
      sameState('after download and upload', trained, await modelState(page));

      const file = (name: string, buffer: Buffer, mimeType = 'application/octet-stream') => ({ name, mimeType, buffer });
      const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
      const invalid: { what: string; files: ReturnType<typeof file>[]; says: string }[] = [
        { what: 'random bytes as model.json', files: [file('model.json', random)], says: 'model.json is not JSON' },
        { what: 'JSON that is not a Keras config', files: [file('model.json', Buffer.from('{"hello": "world", "layers": [1, 2]}'), 'application/json')], says: 'model.json is not a valid model' },
        { what: 'weights.bin 4 bytes short', files: [file('model.json', modelJson), file('weights.bin', weights.subarray(0, weights.length - 4))], says: 'The weights do not fit the model' },
        { what: 'weights.bin 4 bytes long', files: [file('model.json', modelJson), file('weights.bin', Buffer.concat([weights, Buffer.alloc(4)]))], says: 'The weights do not fit the model' },
        { what: 'weights.bin without model.json', files: [file('weights.bin', weights)], says: 'Choose a model.json file' },
      ];
      const address = page.url();
      const failures: string[] = [];
      for (const [i, { what, files, says }] of invalid.entries()) {
        const message = await ioMessageAfter(page, () => page.setInputFiles('[data-testid=upload]', files));
        if (i === 2) await screenshot(page, '17-invalid-upload', '#save');
        if (message.ok || !message.text.includes(says)) failures.push(`${what}: the page says "${message.text}" (ok: ${message.ok}), want "${says}"`);
        // Nothing changes: the model, its results, the phase and the address.
        await page.waitForTimeout(300);
        const now = await modelState(page);
        if (JSON.stringify(now) !== JSON.stringify(trained)) failures.push(`${what}: the model or its results changed`);
        if ((await phaseOf(page)) !== 'done') failures.push(`${what}: the phase changed to ${await phaseOf(page)}`);
        if (page.url() !== address) failures.push(`${what}: the address changed`);
      }
      check(failures.length === 0, failures.join('\n     '));
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
];
