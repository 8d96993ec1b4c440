// The model side of the page: loads cleanly, compares the seed CNN's two summaries, shows the
// branched model's two outputs, and keeps the model when an edit is invalid.
import { check, openPage, screenshot, text, type E2eTest } from './harness.ts';
import { showTab } from './pageTools.ts';

export const modelTests: E2eTest[] = [
  {
    name: 'the page loads without console errors and shows both seed summaries as equal',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url);
      await page.waitForSelector('[data-testid=adapter], [data-testid=no-webgpu]', { timeout: 30_000 });
      const verdict = await text(page, '[data-testid=compare-verdict]');
      check(verdict.startsWith('Equivalent') && verdict.includes('333,526'), `verdict: ${verdict}`);
      check((await text(page, '[data-testid=total-a]')).includes('333,526'), 'left total is not 333,526');
      check((await text(page, '[data-testid=total-b]')).includes('333,526'), 'right total is not 333,526');
      check((await text(page, '[data-testid=summary-a-title]')).includes('sequential'), 'left is not the Sequential model');
      check((await text(page, '[data-testid=summary-b-title]')).includes('functional'), 'right is not the functional model');
      await screenshot(page, '01-models');
      await page.click('[data-testid=plain-toggle]');
      const plain = await text(page, '[data-testid=summary-text-a]');
      check(plain.includes('Total params: 333,526') && plain.includes('Model: "sequential"'), `plain text summary:\n${plain}`);
      await screenshot(page, '02-plain-summaries', '#compare');
      // The page works under its Content-Security-Policy (a violation is a console error)...
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      // ...and the policy really blocks eval and inline scripts. (page.evaluate itself is exempt,
      // so the probes run as page scripts: a same-origin module, and an injected inline script.)
      const csp = await page.evaluate(async () => {
        const w = window as unknown as { cspProbe?: { eval: string; func: string }; inlineRan?: boolean };
        const violations: string[] = [];
        document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
        const inline = document.createElement('script');
        inline.textContent = 'window.inlineRan = true;';
        document.head.append(inline);
        const probe = document.createElement('script');
        probe.type = 'module';
        probe.src = '/e2e/cspProbe.ts';
        const loaded = new Promise((resolve) => (probe.onload = probe.onerror = resolve));
        document.head.append(probe);
        await loaded;
        await new Promise((r) => setTimeout(r, 100));
        return { probe: w.cspProbe ?? null, inlineRan: w.inlineRan === true, violations };
      });
      check(csp.probe !== null, 'the CSP probe script did not run');
      check(csp.probe.eval === 'EvalError' && csp.probe.func === 'EvalError', `eval under the page's policy: ${JSON.stringify(csp.probe)}`);
      check(!csp.inlineRan && csp.violations.includes('script-src-elem'), `inline script: ran=${csp.inlineRan}, violations ${csp.violations.join(', ')}`);
      await page.close();
    },
  },
  {
    name: 'the branched model shows two outputs and 282 params, and trains on the regression set',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url);
      await page.selectOption('[data-testid=model-picker]', 'branched');
      await page.waitForFunction(() => document.querySelector('[data-testid=total-a]')?.textContent?.includes('282'));
      check((await text(page, '[data-testid=diagram-a-outputs]')) === '2 outputs', 'the diagram does not show 2 outputs');
      check((await page.locator('[data-testid=diagram-a] .node.output').count()) === 2, 'the diagram does not mark two output boxes');
      check((await text(page, '[data-testid=dataset]')).includes('synthetic regression'), `the branched model's data set: ${await text(page, '[data-testid=dataset]')}`);
      check(await page.locator('[data-testid=start]').isEnabled(), 'Start is disabled for the branched model');
      await showTab(page, 'diagram');
      await screenshot(page, '03-branched-diagram', '#diagram');
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
  {
    name: 'an invalid layer edit shows the error next to the layer and keeps the model',
    run: async ({ webgpu, url }) => {
      const { page, errors } = await openPage(webgpu, url);
      const filters = page.locator('li[data-layer=conv2d] input[type=number]').first();
      await filters.fill('0');
      const error = await text(page, 'li[data-layer=conv2d] [data-testid=edit-error]');
      check(error.length > 0 && /filters/i.test(error), `error next to conv2d: ${error}`);
      check((await text(page, '[data-testid=total-a]')).includes('333,526'), 'the model changed after an invalid edit');
      await screenshot(page, '04-invalid-edit', '#model');
      await filters.fill('8');
      await page.waitForFunction(() => !document.querySelector('[data-testid=edit-error]'));
      const total = await text(page, '[data-testid=total-a]');
      check(!total.includes('333,526'), `a valid edit did not update the summary: ${total}`);
      check(errors.length === 0, `console errors:\n${errors.join('\n')}`);
      await page.close();
    },
  },
];
