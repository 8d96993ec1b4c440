// `npm run data`: puts the verified Fashion-MNIST files into public/fashion-mnist (see dataLib.mjs).
// Environment: FASHION_MNIST_DIR (a folder holding the four .gz files), and, mostly for tests,
// FASHION_MNIST_SYSTEM_DIR, FASHION_MNIST_URL and FASHION_MNIST_TIMEOUT_MS.
import { fileURLToPath } from 'node:url';
import { DEBIAN_DIR, OFFICIAL_URL, prepareFashionMnist } from './dataLib.mjs';

const targetDir = fileURLToPath(new URL('../public/fashion-mnist', import.meta.url));
const env = process.env;

const { ok, lines } = await prepareFashionMnist({
  targetDir,
  sourceDir: env.FASHION_MNIST_DIR || undefined,
  systemDir: env.FASHION_MNIST_SYSTEM_DIR || DEBIAN_DIR,
  baseUrl: (env.FASHION_MNIST_URL || OFFICIAL_URL).replace(/\/+$/, ''),
  timeoutMs: Number(env.FASHION_MNIST_TIMEOUT_MS) || 20_000,
});
const log = ok ? console.log : console.error;
log(`Fashion-MNIST (${targetDir}):`);
for (const line of lines) log(line);
process.exit(ok ? 0 : 1);
