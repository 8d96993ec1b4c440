// `npm test`: the whole test suite, from a fresh machine. Installs what is missing, then runs
// the type check and the lint (ESLint: import direction, no cycles, sizes; seconds, so first),
// the Node unit tests (Vitest), the WebGPU kernel and executor tests in headless Chromium
// (SwiftShader) and the end-to-end tests of the playground page, on the dev server and on the
// static site `npm run build` writes. Every suite runs; the failed
// ones are listed at the end.
import { ensureChromium, ensureData, ensureNodeModules, run } from './ensure.mjs';

ensureNodeModules();
const typeStatus = run('npx', ['tsc', '--noEmit']);
const lintStatus = run('npm', ['run', '--silent', 'lint']);
ensureChromium();
ensureData();

const suites = [
  ['unit', ['vitest', 'run']],
  ['gpu', ['tsx', 'scripts/browserTests.ts']],
  ['e2e', ['tsx', 'scripts/e2e.ts']],
  // The same page tests against `npm run build`'s static site on a plain file server.
  ['e2e (built site)', ['tsx', 'scripts/e2e.ts', '--built']],
];
const failed = suites.filter(([, args]) => run('npx', args) !== 0).map(([name]) => name);
if (lintStatus !== 0) failed.unshift('lint');
if (typeStatus !== 0) failed.unshift('typecheck');
if (failed.length > 0) {
  console.error(`\nFAILED suites: ${failed.join(', ')}`);
  process.exit(1);
}
