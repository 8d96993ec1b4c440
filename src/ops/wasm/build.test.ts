// The committed .wasm files must be what `npm run build:wasm` makes of the AssemblyScript sources
// today: CI never builds them, so a source edit without a rebuild would otherwise ship stale kernels.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHARED_MAX_PAGES } from './kernels';

const here = fileURLToPath(new URL('.', import.meta.url));
const script = fileURLToPath(new URL('../../../scripts/buildWasm.mjs', import.meta.url));

describe('the committed wasm kernels', () => {
  it('are fresh: a rebuild from src/ops/wasm/assembly gives the same bytes (else run `npm run build:wasm`)', () => {
    const out = mkdtempSync(join(tmpdir(), 'wasm-build-'));
    try {
      execFileSync(process.execPath, [script, '--out', out], { stdio: 'pipe' });
      for (const name of ['kernels.wasm', 'kernels.shared.wasm', 'kernels.relaxed.wasm', 'kernels.shared.relaxed.wasm']) {
        const fresh = readFileSync(join(out, name));
        const committed = readFileSync(join(here, name));
        expect(committed.equals(fresh), `${name} is stale: run \`npm run build:wasm\` and commit it`).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('declare the shared maximum the loader gives its shared memory', () => {
    const src = readFileSync(script, 'utf8');
    expect(src).toContain(`SHARED_MAX_PAGES = ${SHARED_MAX_PAGES};`);
  });
});
