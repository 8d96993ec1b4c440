// End-to-end tests of the playground page (e2e/*.e2e.ts) in Debian's Chromium with WebGPU on
// SwiftShader, against a Vite dev server, or with --built against `vite build`'s static site on a
// plain file server (scripts/staticSite.ts; the tests marked builtSite). Prints one line per test and 'N passed, N failed';
// screenshots of each screen go to test-results/e2e/.
// Usage: tsx scripts/e2e.ts [--built] [--file models] [--grep TEXT]
import type { BrowserContext, BrowserContextOptions } from 'playwright-core';
import { TUNING_DB } from '../src/gpu/tuningStores';
import { launchBrowser, launchChromium, startVite } from './browser';
import { startStaticSite } from './staticSite';
import { ARTIFACTS, type E2eTest } from '../e2e/harness';
import { modelTests } from '../e2e/models.e2e';
import { trainingTests } from '../e2e/training.e2e';
import { noWebGpuTests } from '../e2e/noWebgpu.e2e';
import { sessionTests } from '../e2e/session.e2e';
import { saveLoadTests } from '../e2e/saveLoad.e2e';
import { sharingTests } from '../e2e/sharing.e2e';
import { interopTests } from '../e2e/interop.e2e';
import { engineAutoTests } from '../e2e/engineAuto.e2e';
import { wasmPoolTests } from '../e2e/wasmPool.e2e';
import { backupTests } from '../e2e/backup.e2e';
import { pageTests } from '../e2e/page.e2e';
import { runsTests } from '../e2e/runs.e2e';

/** The tests of each e2e/<file>.e2e.ts, in the order they run. */
const FILES: Record<string, E2eTest[]> = {
  models: modelTests, training: trainingTests, session: sessionTests, saveLoad: saveLoadTests,
  sharing: sharingTests, interop: interopTests, engineAuto: engineAutoTests, noWebgpu: noWebGpuTests,
  wasmPool: wasmPoolTests, page: pageTests, backup: backupTests, runs: runsTests,
};

/** The tests chosen by --file NAME (one e2e file, repeatable) and --grep TEXT (part of a name). */
function chosenTests(argv: string[]): E2eTest[] {
  const files = argv.flatMap((a, i) => (argv[i - 1] === '--file' ? [a] : []));
  for (const f of files) if (!FILES[f]) throw new Error(`--file ${f}: no e2e/${f}.e2e.ts; files: ${Object.keys(FILES).join(', ')}`);
  const grepIndex = argv.indexOf('--grep');
  const grep = grepIndex > 0 ? argv[grepIndex + 1]!.toLowerCase() : null;
  const pool = files.length > 0 ? files.flatMap((f) => FILES[f]!) : Object.values(FILES).flat();
  return pool.filter((t) => !grep || t.name.toLowerCase().includes(grep));
}

/** A storage state of IndexedDB databases only (Playwright carries IndexedDB since 1.51; its option type omits it). */
interface StorageState {
  cookies: [];
  origins: { origin: string; localStorage: []; indexedDB: { name: string }[] }[];
}

/** The context's stored WebGPU kernel choices (the tuner's IndexedDB database) and nothing else. */
async function tuningOnly(context: BrowserContext): Promise<StorageState | undefined> {
  const state = (await context.storageState({ indexedDB: true }).catch(() => undefined)) as { origins: { origin: string; indexedDB?: { name: string }[] }[] } | undefined;
  const origins = (state?.origins ?? [])
    .map((o) => ({ origin: o.origin, localStorage: [] as [], indexedDB: (o.indexedDB ?? []).filter((db) => db.name === TUNING_DB) }))
    .filter((o) => o.indexedDB.length > 0);
  return origins.length > 0 ? { cookies: [], origins } : undefined;
}

async function main(): Promise<number> {
  const built = process.argv.includes('--built');
  // Against the built site, the tests marked builtSite (e2e/harness.ts says which and why).
  const tests = chosenTests(process.argv).filter((t) => !built || t.builtSite);
  const { server, url } = built ? await startStaticSite().then((site) => ({ server: site, url: site.url })) : await startVite();
  if (built) console.log(`the built site at ${url}`);
  const browser = await launchBrowser();
  const extra: { close: () => Promise<void> }[] = [];
  const launchWithoutWebGpu = async (): Promise<BrowserContext> => {
    const b = await launchChromium({ webgpu: false });
    extra.push(b);
    return b.context;
  };
  let passed = 0;
  let failed = 0;
  let tuning: StorageState | undefined;
  try {
    for (const test of tests) {
      const started = Date.now();
      // Each test in its own context: no kept runs, backups or saved models of earlier tests. The
      // kernel choices the WebGPU tuner stored carry over, as they do for a returning visitor:
      // tuning the seed CNN costs ~20 s on SwiftShader, and tests/gpu/tuning.gpu.ts tests it.
      const context = await browser.newContext(tuning ? { storageState: tuning as BrowserContextOptions['storageState'] } : {});
      try {
        await test.run({ url, webgpu: context, launchWithoutWebGpu });
        passed++;
        console.log(`ok   ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${test.name}\n     ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        tuning = (await tuningOnly(context)) ?? tuning;
        await context.close();
      }
    }
  } finally {
    for (const b of extra) await b.close();
    await browser.close();
    await server.close();
  }
  console.log(`\nScreenshots in ${ARTIFACTS}/`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 && tests.length > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
