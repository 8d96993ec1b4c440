// Small page helpers shared by the session, save/load and sharing tests: train to the end, read
// the plain summary text, and read what canvases show.
import type { Page } from 'playwright-core';
import { check, text, waitForPhase } from './harness.ts';

/** A few seconds of training on the CPU engine (about 50 samples/s on SwiftShader's machine). */
export const QUICK_CPU = '?train=64&epochs=1&batch=32&test=50&val=0&engine=cpu';

/** Clicks Start and waits for the run (and its evaluation) to end in 'done'. */
export async function trainToEnd(page: Page, timeoutMs = 120_000): Promise<void> {
  await page.click('[data-testid=start]');
  const phase = await waitForPhase(page, ['done', 'error'], timeoutMs);
  check(phase === 'done', `training ended in ${phase}: ${await page.locator('.error-box').allTextContents()}`);
}

/** Shows one of the comparison's tabs: the summaries, the code views or the graphs. */
export async function showTab(page: Page, tab: 'compare' | 'code' | 'diagram'): Promise<void> {
  await page.click(`[data-testid=tab-${tab}]`);
}

/** Model A's summary as the plain text Keras prints (switches the view to plain text). */
export async function summaryText(page: Page): Promise<string> {
  await showTab(page, 'compare');
  const toggle = page.locator('[data-testid=plain-toggle]');
  if (!(await toggle.isChecked())) await toggle.check();
  return text(page, '[data-testid=summary-text-a]');
}

export interface CanvasPixels {
  /** Every pixel has the same RGBA value. */
  uniform: boolean;
  /** A hash of the pixel bytes, to tell two drawings apart. */
  hash: number;
}

/** What each canvas under each element matching `selector` shows: one list per element, in document order. */
export function canvasPixels(page: Page, selector: string): Promise<CanvasPixels[][]> {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  return page.evaluate((sel) =>
    [...document.querySelectorAll(sel)].map((group) =>
      [...group.querySelectorAll('canvas')].map((c) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let uniform = true;
        let hash = 7;
        for (let i = 0; i < data.length; i++) {
          if (data[i] !== data[i % 4]) uniform = false;
          hash = (Math.imul(hash, 31) + data[i]!) >>> 0;
        }
        return { uniform, hash };
      }),
    ), selector);
}
