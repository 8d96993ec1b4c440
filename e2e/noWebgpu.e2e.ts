// A Chromium without WebGPU: the page says so and what to do, and the model tools still work.
import { check, openPage, screenshot, text, type E2eTest } from './harness.ts';

export const noWebGpuTests: E2eTest[] = [
  {
    name: 'without WebGPU the page says so and still shows the editor, summaries and diagrams',
    builtSite: true,
    run: async ({ launchWithoutWebGpu, url }) => {
      const context = await launchWithoutWebGpu();
      const { page } = await openPage(context, url);
      const notice = await text(page, '[data-testid=no-webgpu]');
      check(notice.includes('WebGPU is not available') && notice.includes('Chrome'), `notice: ${notice}`);
      check((await page.locator('[data-testid=editor] li').count()) === 8, 'the editor does not list the seed CNN');
      check((await text(page, '[data-testid=compare-verdict]')).startsWith('Equivalent'), 'no summaries');
      check((await page.locator('[data-testid=diagram-a] .node').count()) === 9, 'no diagram');
      // Auto stays (it trains on the CPU and says why); WebGPU cannot be forced.
      check((await page.locator('[data-testid=setting-engine]').inputValue()) === 'auto', 'the engine is not Auto');
      check(await page.locator('[data-testid=setting-engine] option[value=webgpu]').isDisabled(), 'WebGPU can still be picked');
      await screenshot(page, '09-no-webgpu');
      await page.close();
    },
  },
];
