// Bring your Keras model, take it back: code pasted into the editor (Python and TypeScript)
// becomes the page's model, refused code shows its error under its line and changes nothing,
// and the model goes out in every file format and comes back in with its trained weights.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { ARTIFACTS, check, openPage, screenshot, text, waitForPhase, type E2eTest } from './harness.ts';
import { QUICK_CPU, canvasPixels, showTab, trainToEnd } from './pageTools.ts';

// The seed's two CNN blocks verbatim, as the Python reader's tests read them against Keras 3.15.1.
const pythonFixture = (name: string): string => readFileSync(new URL(`../tests/fixtures/keras/io/python/${name}.py`, import.meta.url), 'utf8');
const SEED_PYTHON = pythonFixture('seed_sequential');
const SEED_PYTHON_FUNCTIONAL = pythonFixture('seed_functional');

const PYTHON_WITH_TRAINING = `from tensorflow import keras
model = keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10, activation='softmax')])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit(x_train, y_train, epochs=5, batch_size=64, validation_split=0.2, callbacks=[keras.callbacks.EarlyStopping(patience=2)])
`;

const SEED_TS = `import { layers, sequential } from './src/model';

const m = sequential({ name: 'pasted_cnn' });
m.add(layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [28, 28, 1] }));
m.add(layers.maxPooling2d({ poolSize: 2 }));
m.add(layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', padding: 'same' }));
m.add(layers.maxPooling2d({ poolSize: 2 }));
m.add(layers.flatten());
m.add(layers.dense({ units: 100, activation: 'relu' }));
m.add(layers.dropout({ rate: 0.4 }));
m.add(layers.dense({ units: 10, activation: 'softmax' }));
await m.compile({ optimizer: { kind: 'sgd', learningRate: 0.01 }, loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
`;

const DROPPED_TS = `import { input, layers, model } from './src/model';
const pixels = input({ shape: [28, 28, 1] });
const flat = layers.flatten().apply(pixels);
const m = model({ inputs: pixels, outputs: layers.dense({ units: 10, activation: 'softmax' }).apply(flat), name: 'dropped' });
`;

/** Opens the editor from the code view of `tab` and replaces its text with `code` (as a paste would). */
async function pasteCode(page: Page, tab: 'Keras Python' | 'TypeScript', code: string): Promise<void> {
  if ((await page.locator('[data-testid=code-editor]').count()) === 0) {
    await showTab(page, 'code');
    await page.click(`.code-views .tabs button:has-text("${tab}")`);
    await page.click('[data-testid=edit-code]');
    await page.waitForSelector('[data-testid=code-editor] .cm-content', { timeout: 30_000 });
  }
  const switcher = page.locator(`[data-testid=code-editor] .tabs button:has-text("${tab}")`);
  if ((await switcher.getAttribute('aria-pressed')) !== 'true') await switcher.click();
  await page.click('[data-testid=code-editor] .cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(code);
}

/** Waits for the editor's verdict on the code now in it: 'ok' or 'error', with its text. */
async function verdict(page: Page): Promise<{ ok: boolean; text: string }> {
  // The editor is busy from a change until the code is read.
  await page.waitForSelector('[data-testid=code-editor][aria-busy=false]', { timeout: 10_000 });
  const el = page.locator('[data-testid=code-ok], [data-testid=code-error]').first();
  await el.waitFor({ timeout: 10_000 });
  return { ok: (await el.getAttribute('data-testid')) === 'code-ok', text: (await el.textContent()) ?? '' };
}

async function totals(page: Page): Promise<{ total: string; title: string }> {
  return { total: await text(page, '[data-testid=total-a]'), title: await text(page, '[data-testid=summary-a-title]') };
}

/** Controls on the page whose accessible name (roughly computed) has no word in it: only arrows, crosses or nothing. */
function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('button, input, select, summary, textarea, [role=textbox]')].flatMap((el) => {
      const labelled = el.getAttribute('aria-label') ?? el.closest('label')?.textContent ?? (el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null);
      const name = (labelled ?? (el.tagName === 'BUTTON' || el.tagName === 'SUMMARY' ? el.textContent : '') ?? '').trim();
      return /[A-Za-z0-9]/.test(name) ? [] : [el.outerHTML.slice(0, 80)];
    }),
  );
}

/** The 1-based line numbers CodeMirror marks with an error. */
function errorLines(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll('[data-testid=code-editor] .cm-line')];
    return lines.flatMap((l, i) => (l.querySelector('.cm-lintRange-error') ? [i + 1] : []));
  });
}

export const interopTests: E2eTest[] = [
  {
    name: 'interop: pasted TypeScript becomes the model with its compile() settings; an invalid edit shows its error under the line and keeps the model; a dropped .ts file opens',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url);
      await page.selectOption('[data-testid=model-picker]', 'residual');
      await pasteCode(page, 'TypeScript', SEED_TS);
      const read = await verdict(page);
      check(read.ok, `the seed TypeScript was refused: ${read.text}`);
      await page.waitForFunction(() => document.querySelector('[data-testid=summary-a-title]')?.textContent?.includes('pasted_cnn'), null, { timeout: 10_000 });
      const good = await totals(page);
      check(good.total.includes('333,526'), `total after the paste: ${good.total}`);
      check(read.text.includes('learning rate 0.01') && (await page.inputValue('[data-testid=setting-learningRate]')) === '0.01', `settings: ${read.text}`);
      await screenshot(page, 'interop-01-typescript-pasted');
      const unnamed = await unnamedControls(page);
      check(unnamed.length === 0, `controls without a worded accessible name: ${unnamed.join(', ')}`);

      await pasteCode(page, 'TypeScript', SEED_TS.replace("m.add(layers.flatten());", "m.add(layers.flatten());\nfetch('https://example.com');"));
      const bad = await verdict(page);
      check(!bad.ok && bad.text.startsWith('line 9:1:') && bad.text.includes('fetch'), `the fetch call: ${bad.text}`);
      check(JSON.stringify(await errorLines(page)) === '[9]', `error marks on lines ${await errorLines(page)}`);
      check(JSON.stringify(await totals(page)) === JSON.stringify(good), 'the model changed on an invalid edit');
      await screenshot(page, 'interop-02-typescript-error', '#model');

      // A .ts file dropped on the page opens like a chosen one (7,850 = 784 * 10 + 10 parameters).
      await page.click('button:has-text("Close editor")');
      const dataTransfer = await page.evaluateHandle((code) => {
        const dt = new DataTransfer();
        dt.items.add(new File([code], 'dropped.ts', { type: 'text/plain' }));
        return dt;
      }, DROPPED_TS);
      await page.dispatchEvent('main', 'dragover', { dataTransfer });
      await page.dispatchEvent('main', 'drop', { dataTransfer });
      await page.waitForFunction(() => document.querySelector('[data-testid=summary-a-title]')?.textContent?.includes('dropped'), null, { timeout: 10_000 });
      check((await totals(page)).total.includes('7,850'), `total after the drop: ${(await totals(page)).total}`);
      check((await text(page, '[data-testid=file-message]')).includes('Opened the model definition from dropped.ts'), await text(page, '[data-testid=file-message]'));
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
  {
    name: "interop: the seed's Python CNNs (Sequential and functional) read with 333,526 params; import os / os.system is refused under its line",
    builtSite: true,
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url);
      await page.selectOption('[data-testid=model-picker]', 'residual');
      for (const [code, kind] of [[SEED_PYTHON, 'sequential'], [SEED_PYTHON_FUNCTIONAL, 'functional']] as const) {
        await pasteCode(page, 'Keras Python', code);
        const read = await verdict(page);
        check(read.ok, `the ${kind} seed was refused: ${read.text}`);
        await page.waitForFunction((k) => document.querySelector('[data-testid=summary-a-title]')?.textContent?.includes(`(${k})`), kind, { timeout: 10_000 });
        const now = await totals(page);
        check(now.total.includes('333,526'), `${kind}: ${now.total}`);
        await screenshot(page, `interop-03-python-${kind}`);
      }
      const before = await totals(page);
      const pwned = `/tmp/pwned-${process.pid}`;
      rmSync(pwned, { force: true });
      await pasteCode(page, 'Keras Python', `import os\nos.system('touch ${pwned}')`);
      const bad = await verdict(page);
      // The Python reader refuses `import os` itself (line 1) or the call it makes (line 2).
      const line = /^line ([12]):\d+: /.exec(bad.text)?.[1];
      check(!bad.ok && line !== undefined && /\bos\b/.test(bad.text), `os.system: ${bad.text}`);
      check(JSON.stringify(await errorLines(page)) === `[${line}]`, `error marks on lines ${await errorLines(page)}`);
      check(JSON.stringify(await totals(page)) === JSON.stringify(before), 'the model changed on refused code');
      check(!existsSync(pwned), `the pasted os.system ran: ${pwned} exists`);
      await screenshot(page, 'interop-04-python-refused', '#model');

      // A .py file opens too, and its compile() and fit() become the training settings where they fit.
      await page.setInputFiles('[data-testid=open-model-file]', { name: 'mnist_dense.py', mimeType: 'text/x-python', buffer: Buffer.from(PYTHON_WITH_TRAINING) });
      await page.waitForFunction(() => document.querySelector('[data-testid=file-message]')?.textContent, null, { timeout: 10_000 });
      const opened = await text(page, '[data-testid=file-message]');
      check(opened.includes('Training settings applied: optimizer sgd, learning rate 0.05') && opened.includes('epochs 5, batch size 64, validation split 0.2'), `opened .py: ${opened}`);
      check(opened.includes('Not applied: momentum 0.9') && opened.includes('the EarlyStopping callback'), `opened .py: ${opened}`);
      check((await totals(page)).total.includes('7,850'), `the .py model: ${(await totals(page)).total}`);
      const settings = await Promise.all(['epochs', 'batchSize', 'learningRate', 'validationSplit'].map((k) => page.inputValue(`[data-testid=setting-${k}]`)));
      check(JSON.stringify(settings) === '["5","64","0.05","0.2"]', `settings after the .py: ${settings}`);
      // The open editor follows: it now shows the opened model as code, without an error.
      await page.waitForFunction(() => document.querySelector('[data-testid=code-editor] .cm-content')?.textContent?.includes('Dense(10'), null, { timeout: 10_000 }).catch(() => undefined);
      await page.waitForSelector('[data-testid=code-editor][aria-busy=false]', { timeout: 10_000 });
      const shown = (await page.textContent('[data-testid=code-editor] .cm-content')) ?? '';
      check(shown.includes('layers.Dense(10, activation="softmax"') && !shown.includes('os.system'), `the editor shows:\n${shown}`);
      check((await page.locator('[data-testid=code-error]').count()) === 0, 'the old error still shows');
      await screenshot(page, 'interop-04b-python-file', '#model');
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
  {
    name: 'interop: the trained model downloads in every format and opens again from its files with its weights (Look inside shows its filters)',
    builtSite: true,
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url, QUICK_CPU);
      await trainToEnd(page);
      const accuracy = await text(page, '[data-testid=test-accuracy]');
      const { problems, saved } = await downloadAll(page);
      const python = saved.python?.[0];
      if (python && !readFileSync(python, 'utf8').includes('Conv2D(32')) problems.push('the .py has no Conv2D(32');
      const withWeights = saved['python-weights']?.find((p) => p.endsWith('.py'));
      if (withWeights && !readFileSync(withWeights, 'utf8').includes('model.load_weights("sequential.weights.h5")')) problems.push('the .py with weights does not load them');
      // Each download that carries weights opens again as the trained model.
      for (const format of ['tfjs', 'keras', 'h5', 'weights.h5'] as const) {
        if (saved[format]) problems.push(...(await reopen(page, format, saved[format], accuracy)));
      }
      const before = await totals(page);
      await page.setInputFiles('[data-testid=open-model-file]', { name: 'broken.keras', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\x03\x04 not really a zip') });
      await page.waitForSelector('[data-testid=file-message].error-box', { timeout: 10_000 });
      if (JSON.stringify(await totals(page)) !== JSON.stringify(before)) problems.push('a broken file changed the model');
      await screenshot(page, 'interop-06-broken-file', '#model');
      check(problems.length === 0, problems.join('\n     '));
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
];

const EXPECTED_NAMES: Record<string, RegExp[]> = {
  keras: [/^sequential\.keras$/], h5: [/^sequential\.h5$/], 'weights.h5': [/^sequential\.weights\.h5$/], json: [/^sequential\.json$/],
  'keras3-json': [/\.json$/], tfjs: [/^model\.json$/, /\.bin$/], python: [/^sequential\.py$/],
  'python-weights': [/^sequential\.py$/, /^sequential\.weights\.h5$/],
};

/** Clicks each Download menu entry; the files saved per format, and what went wrong. */
async function downloadAll(page: Page): Promise<{ problems: string[]; saved: Record<string, string[]> }> {
  const dir = `${ARTIFACTS}/interop-downloads`;
  mkdirSync(dir, { recursive: true });
  const problems: string[] = [];
  const saved: Record<string, string[]> = {};
  for (const [format, patterns] of Object.entries(EXPECTED_NAMES)) {
    const downloads: Download[] = [];
    const listen = (d: Download) => downloads.push(d);
    page.on('download', listen);
    const before = await page.evaluate(() => document.querySelector('[data-testid=file-message]')?.textContent ?? '');
    await page.click('details.menu > summary');
    await page.click(`[data-testid="download-${format}"]`);
    await page.waitForFunction((old) => (document.querySelector('[data-testid=file-message]')?.textContent ?? '') !== old, before, { timeout: 30_000 });
    for (let i = 0; i < 50 && downloads.length < patterns.length; i++) await page.waitForTimeout(100);
    page.off('download', listen);
    const names = downloads.map((d) => d.suggestedFilename());
    if (!patterns.every((p) => names.some((n) => p.test(n))) || names.length !== patterns.length) {
      problems.push(`download ${format}: ${names.join(', ') || await text(page, '[data-testid=file-message]')}`);
      continue;
    }
    saved[format] = [];
    for (const d of downloads) {
      const path = `${dir}/${format}-${d.suggestedFilename()}`;
      await d.saveAs(path);
      saved[format].push(path);
    }
  }
  await screenshot(page, 'interop-05-downloaded', '#model');
  return { problems, saved };
}

/**
 * Another model on the page (the untrained seed CNN for weights alone, which load into the page's
 * model), then `paths` opened: the trained model must come back, filters and all.
 */
async function reopen(page: Page, format: string, paths: string[], accuracy: string): Promise<string[]> {
  await page.selectOption('[data-testid=model-picker]', 'residual');
  if (format === 'weights.h5') await page.selectOption('[data-testid=model-picker]', 'seed-cnn');
  const before = await page.evaluate(() => document.querySelector('[data-testid=file-message]')?.textContent ?? '');
  await page.setInputFiles('[data-testid=open-model-file]', paths.map((p) => ({ name: p.slice(p.lastIndexOf('/') + 1).replace(`${format}-`, ''), mimeType: 'application/octet-stream', buffer: readFileSync(p) })));
  // This file's own message (each names its files), not the previous one.
  await page.waitForFunction((old) => (document.querySelector('[data-testid=file-message]')?.textContent ?? old) !== old, before, { timeout: 30_000 });
  const opened = await text(page, '[data-testid=file-message]');
  if (!opened.includes('with its trained weights')) return [`open ${format}: ${opened}`];
  if ((await waitForPhase(page, ['done', 'error'], 60_000)) !== 'done') return [`open ${format}: the opened model was not evaluated`];
  // Opening cleared the previous results and views: these are the opened model's once they appear.
  await page.waitForSelector('[data-testid=test-accuracy]', { timeout: 60_000 });
  await page.waitForSelector('[data-testid=filters] canvas', { timeout: 30_000 });
  const problems: string[] = [];
  const now = await text(page, '[data-testid=test-accuracy]');
  if (now !== accuracy) problems.push(`open ${format}: test accuracy ${now}, trained ${accuracy}`);
  const filters = (await canvasPixels(page, '[data-testid=filters]'))[0] ?? [];
  if (filters.length !== 32 || filters.every((c) => c.uniform)) problems.push(`open ${format}: Look inside shows ${filters.length} filters`);
  await screenshot(page, `interop-07-opened-${format}`, '#model');
  await screenshot(page, `interop-08-inside-${format}`, '#inside');
  return problems;
}
