// Headless Debian Chromium through playwright-core, with WebGPU on SwiftShader (no GPU needed),
// and a Vite server over the repository for it to load pages from. Used by the GPU tests,
// the end-to-end tests, the benchmark and the headless trainer.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const QUIET_FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--enable-features=Vulkan'];

export interface LaunchOptions {
  /** false starts Chromium without the WebGPU flags (to test the no-WebGPU path). */
  webgpu?: boolean;
}

export async function launchChromium({ webgpu = true }: LaunchOptions = {}): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Install it with 'sudo apt-get install chromium' (npm test does this as root), or set CHROMIUM_PATH.`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...QUIET_FLAGS, ...(webgpu ? WEBGPU_FLAGS : ['--disable-gpu'])],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One Chromium whose contexts each start with empty storage (IndexedDB, Web Locks, caches): the
 * end-to-end tests take one per test, so one test's kept runs and backups never reach the next.
 */
export async function launchBrowser({ webgpu = true }: LaunchOptions = {}): Promise<{ newContext: (options?: BrowserContextOptions) => Promise<BrowserContext>; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}. Install it with 'sudo apt-get install chromium' (npm test does this as root), or set CHROMIUM_PATH.`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...QUIET_FLAGS, ...(webgpu ? WEBGPU_FLAGS : ['--disable-gpu'])] });
  return { newContext: (options) => browser.newContext(options), close: () => browser.close() };
}

export async function startVite(): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({ server: { port: 0, host: '127.0.0.1' }, logLevel: 'warn', clearScreen: false });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('Vite server has no TCP address');
  return { server, url: `http://127.0.0.1:${address.port}` };
}

export type { Browser };
