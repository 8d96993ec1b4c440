// A training session in the page beyond Start and Stop: Pause and Resume on WebGPU, a two-output
// model's loss lines, the filters and feature maps of Look inside, and a missing data file.
import type { Page } from 'playwright-core';
import { check, openPage, screenshot, text, waitForPhase, type E2eTest } from './harness.ts';
import { canvasPixels, QUICK_CPU, trainToEnd } from './pageTools.ts';

interface Step {
  epoch: number;
  step: number;
  /** Steps done over the whole run, as the progress bar counts them. */
  done: number;
}

function parseProgress(progress: string): Step | null {
  const m = /Epoch (\d+)\/\d+ · step (\d+)\/(\d+)/.exec(progress);
  if (!m) return null;
  const [epoch, step, perEpoch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return { epoch, step, done: (epoch - 1) * perEpoch + step };
}

/** Starts recording every progress text the page shows (read back with `recordedProgress`). */
async function recordProgress(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { progressSeen: string[] }).progressSeen = seen;
    setInterval(() => {
      const t = document.querySelector('[data-testid=progress]')?.textContent ?? '';
      if (t && t !== seen[seen.length - 1]) seen.push(t);
    }, 50);
  });
}

async function recordedProgress(page: Page): Promise<Step[]> {
  const seen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
  return seen.map(parseProgress).filter((s): s is Step => s !== null);
}

const chartPoints = async (page: Page): Promise<number> => Number(await page.locator('[data-testid=batch-chart]').getAttribute('data-points'));

export const sessionTests: E2eTest[] = [
  {
    name: 'Pause stops the progress on WebGPU, Resume continues it and the run completes',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, '?train=256&epochs=1&batch=32&test=50&val=0&engine=webgpu');
      await page.waitForSelector('[data-testid=adapter]', { timeout: 30_000 });
      await recordProgress(page);
      await page.click('[data-testid=start]');
      await page.waitForFunction(() => /step [2-5]\//.test(document.querySelector('[data-testid=progress]')?.textContent ?? ''), null, { timeout: 120_000, polling: 100 });
      await page.click('[data-testid=pause]');
      check((await waitForPhase(page, ['paused', 'done', 'error'], 60_000)) === 'paused', 'the run did not pause');
      const paused = await text(page, '[data-testid=progress]');
      check(paused.includes('paused') && !paused.includes('ETA'), `progress while paused: ${paused}`);
      const at = parseProgress(paused);
      check(at !== null && at.step < 8, `paused at the end of the epoch, not mid-epoch: ${paused}`);
      const points = await chartPoints(page);
      check(await page.locator('[data-testid=resume]').isEnabled(), 'Resume is disabled while paused');
      check(await page.locator('[data-testid=start]').isDisabled(), 'Start is enabled while paused');
      await screenshot(page, '10-paused', '#train');
      await page.waitForTimeout(3000);
      check((await text(page, '[data-testid=progress]')) === paused, `the progress moved while paused: ${paused} -> ${await text(page, '[data-testid=progress]')}`);
      check((await chartPoints(page)) === points, 'loss points were added while paused');
      await page.click('[data-testid=resume]');
      const phase = await waitForPhase(page, ['done', 'error'], 120_000);
      await screenshot(page, '11-resumed', '#train');
      check(phase === 'done', `after Resume the run ended in ${phase}: ${await page.locator('.error-box').allTextContents()}`);
      const final = parseProgress(await text(page, '[data-testid=progress]'));
      check(final !== null && final.epoch === 1 && final.step === 8, `the run did not complete its epoch: ${await text(page, '[data-testid=progress]')}`);
      // One loss point per step (8 steps): the paused epoch went on, it did not start again.
      check((await chartPoints(page)) === 8, `${await chartPoints(page)} loss points for 8 steps (paused after ${points})`);
      check((await text(page, '[data-testid=test-accuracy]')).includes('50 images'), 'no test accuracy after Resume');
      // After Resume the progress goes on from where it paused: it never goes back.
      const steps = await recordedProgress(page);
      const back = steps.findIndex((s, i) => i > 0 && s.done < steps[i - 1]!.done);
      check(back < 0, `the progress went back after Resume: ${steps.map((s) => `${s.epoch}:${s.step}`).join(' ')}`);
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
  {
    name: 'the two-headed CNN trains with one loss line per output',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, '?example=two-heads&train=64&epochs=2&batch=32&test=50&val=0&engine=cpu');
      check((await page.locator('[data-testid=cannot-train]').count()) === 0, 'the two-headed CNN is refused for Fashion-MNIST');
      await trainToEnd(page);
      const batch = page.locator('[data-testid=batch-chart]');
      const batchLegend = (await batch.locator('.recharts-legend-item-text').allTextContents()).join(' | ');
      check(batchLegend.includes('head_a loss') && batchLegend.includes('head_b loss'), `batch chart legend: ${batchLegend}`);
      // loss, smoothed loss, and one line per head, each with points drawn.
      check((await batch.locator('path.recharts-line-curve').count()) === 4, `batch chart lines: ${await batch.locator('path.recharts-line-curve').count()}`);
      const epochLegend = (await page.locator('[data-testid=epoch-loss-chart] .recharts-legend-item-text').allTextContents()).join(' | ');
      check(epochLegend.includes('head_a_loss') && epochLegend.includes('head_b_loss'), `epoch chart legend: ${epochLegend}`);
      const drawn = await page.locator('[data-testid=epoch-loss-chart] path.recharts-line-curve').evaluateAll((ps) => ps.filter((p) => (p.getAttribute('d') ?? '').length > 0).length);
      check(drawn === 3, `epoch loss lines drawn: ${drawn} (want loss, head_a_loss, head_b_loss)`);
      const accuracy = await text(page, '[data-testid=test-accuracy]');
      check(accuracy.includes('(head_a)') && accuracy.includes('(head_b)'), `test accuracy per head: ${accuracy}`);
      await screenshot(page, '12-two-heads-charts', '#train');
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
  {
    name: 'Look inside draws the first conv filters before and after training and every channel of every conv/pool feature map, for the chosen test image',
    builtSite: true,
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, QUICK_CPU);
      check((await text(page, '#inside')).includes('Train a CNN'), 'Look inside is not empty before training');
      await trainToEnd(page);
      const [filters = []] = await canvasPixels(page, '[data-testid=filters]');
      check(filters.length === 32, `${filters.length} filters drawn`);
      check(filters.every((f) => !f.uniform), `${filters.filter((f) => f.uniform).length} of 32 filters are blank`);
      const [initial = []] = await canvasPixels(page, '[data-when="Before training"]');
      check(initial.length === 32 && initial.every((f) => !f.uniform), `${initial.length} filters drawn before training`);
      check(initial.filter((f, i) => f.hash !== filters[i]!.hash).length > 16, 'training did not change the filters');
      const labels = await page.locator('[data-testid=inside] .map-label').allTextContents();
      const layers = labels.map((l) => l.split(' ')[0]);
      check(JSON.stringify(layers) === JSON.stringify(['conv2d', 'max_pooling2d', 'conv2d_1', 'max_pooling2d_1']), `feature map rows: ${labels.join(' | ')}`);
      const rows = await canvasPixels(page, '[data-testid=inside] .map-row');
      check(rows.length === 4, `${rows.length} feature map rows`);
      const channels = [32, 32, 64, 64];
      rows.forEach((maps, r) => {
        check(maps.length === channels[r], `${labels[r]}: ${maps.length} channels drawn, not ${channels[r]}`);
        check(maps.some((m) => !m.uniform), `${labels[r]}: every channel is blank`);
      });
      const before = rows.flat().map((m) => m.hash);
      const imageText = await text(page, '[data-testid=inside] .toolbar span');
      check(imageText.startsWith('Test image 0'), `first test image: ${imageText}`);
      await screenshot(page, '13-inside', '#inside');
      await page.click('[data-testid=inside] button:has-text("Next")');
      await page.waitForFunction(() => document.querySelector('[data-testid=inside] .toolbar span')?.textContent?.startsWith('Test image 1'), null, { timeout: 30_000 });
      // The canvases draw in an effect after the label renders: give them a moment.
      let changed = 0;
      let after: number[] = [];
      for (let tries = 0; tries < 20 && changed <= before.length / 2; tries++) {
        await page.waitForTimeout(100);
        after = (await canvasPixels(page, '[data-testid=inside] .map-row')).flat().map((m) => m.hash);
        changed = after.filter((h, i) => h !== before[i]).length;
      }
      check(changed > after.length / 2, `only ${changed} of ${after.length} feature maps changed for another test image`);
      await screenshot(page, '14-inside-next-image', '#inside');
      // A test image in the gallery opens here.
      await page.click('[data-testid=gallery] button >> nth=5');
      await page.waitForFunction(() => document.querySelector('[data-testid=inside-image]')?.textContent?.startsWith('Test image 5'), null, { timeout: 30_000 });
      // So does a confusion matrix cell: its first test image.
      const cell = page.locator('[data-testid=confusion] td.clickable').nth(3);
      const wanted = /test image (\d+)$/.exec((await cell.getAttribute('title')) ?? '')?.[1];
      check(wanted !== undefined, 'a confusion matrix cell does not name its test image');
      await cell.click();
      await page.waitForFunction((n) => document.querySelector('[data-testid=inside-image]')?.textContent?.startsWith(`Test image ${n} `), wanted, { timeout: 30_000 });
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
  {
    name: 'a missing Fashion-MNIST file is named with the command that fetches it, and Start works once it is back',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, QUICK_CPU);
      await page.route('**/t10k-labels-idx1-ubyte.gz', (route) => route.fulfill({ status: 404, body: 'not found' }));
      await page.click('[data-testid=start]');
      check((await waitForPhase(page, ['done', 'error'], 60_000)) === 'error', 'training started without the test labels');
      const message = await text(page, '[data-testid=error-data]');
      check(message.includes('t10k-labels-idx1-ubyte.gz') && message.includes('npm run data'), `data error: ${message}`);
      check(await page.locator('[data-testid=start]').isEnabled(), 'Start stays disabled after the data error');
      await screenshot(page, '15-missing-data', '#train');
      await page.unroute('**/t10k-labels-idx1-ubyte.gz');
      await trainToEnd(page);
      check((await page.locator('[data-testid=error-data]').count()) === 0, 'the data error stays after a good run');
      // The 404 is the browser's own console error for a failed fetch; nothing else may fail.
      const others = errors.filter((e) => !e.includes('404'));
      check(others.length === 0, `console errors:\n${others.join('\n')}`);
      await page.close();
    },
  },
];
