// What every end-to-end test gets: a fresh page on the playground (console errors recorded),
// a screenshot helper writing to test-results/, and small assertions.
import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';

export const ARTIFACTS = 'test-results/e2e';

export interface E2eContext {
  /** The Vite server's base URL. */
  url: string;
  /** A Chromium context with WebGPU on SwiftShader, this test's alone (empty storage). */
  webgpu: BrowserContext;
  /** Starts a Chromium without the WebGPU flags (closed by the driver). */
  launchWithoutWebGpu: () => Promise<BrowserContext>;
}

export interface E2eTest {
  name: string;
  /**
   * Also run against `npm run build`'s static site (scripts/e2e.ts --built), which runs the same
   * code bundled. The tests marked cover what bundling and static serving change: the main and
   * worker bundles, the lazily loaded WebGPU, Python-parser and file-format chunks, the
   * WebAssembly engine, cross-origin isolation by service worker, reloads. The rest (and any
   * needing the dev server's TypeScript compilation or request interception) run on the dev server.
   */
  builtSite?: true;
  run: (ctx: E2eContext) => Promise<void>;
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

export async function openPage(context: BrowserContext, url: string, query = ''): Promise<OpenedPage> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(`${url}/${query}`);
  await page.waitForSelector('[data-testid=compare-verdict]', { timeout: 30_000 });
  return { page, errors };
}

export async function screenshot(page: Page, name: string, selector?: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}/${name}.png`;
  if (selector) await page.locator(selector).screenshot({ path });
  else await page.screenshot({ path, fullPage: true });
}

export function check(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

export async function text(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().textContent({ timeout: 10_000 })) ?? '';
}

/** The training phase the run bar shows ('idle', 'training', 'done', 'stopped', ...). */
export async function phaseOf(page: Page): Promise<string> {
  return (await page.locator('[data-testid=phase]').getAttribute('data-phase')) ?? '';
}

/** Waits until the training phase is one of `phases`; returns it. */
export async function waitForPhase(page: Page, phases: string[], timeoutMs: number): Promise<string> {
  const handle = await page.waitForFunction(
    (wanted) => {
      const p = document.querySelector('[data-testid=phase]')?.getAttribute('data-phase') ?? '';
      return wanted.includes(p) ? p : false;
    },
    phases,
    { timeout: timeoutMs, polling: 250 },
  );
  return (await handle.jsonValue()) as string;
}
