// Loaded by the e2e CSP check as a same-origin module script (which the policy allows): reports
// whether the page's Content-Security-Policy lets it eval a string or build a Function.
const probe = window as unknown as { cspProbe?: { eval: string; func: string } };
const attempt = (run: () => unknown): string => {
  try {
    run();
    return 'ran';
  } catch (e) {
    return e instanceof Error ? e.name : 'blocked';
  }
};
probe.cspProbe = {
  eval: attempt(() => (0, eval)('1 + 1')),
  func: attempt(() => new Function('return 1')()),
};
