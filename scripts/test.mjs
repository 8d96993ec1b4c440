// `npm test`: the whole test suite, from a fresh machine. Installs what is missing, then runs
// the Node unit tests (Vitest) and the WebGPU tests in headless Chromium (SwiftShader).
import { ensureChromium, ensureData, ensureNodeModules, run } from './ensure.mjs';

ensureNodeModules();
ensureChromium();
ensureData();

const unit = run('npx', ['vitest', 'run']);
const gpu = run('npx', ['tsx', 'scripts/browserTests.ts']);
if (unit !== 0 || gpu !== 0) {
  console.error(`\nFAILED: unit tests exit ${unit}, browser tests exit ${gpu}`);
  process.exit(1);
}
