// The built page forbids eval and inline scripts: its Content-Security-Policy meta tag, the
// scripts it loads, and the bundles themselves (code that evals would break under the policy).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';

describe('Content-Security-Policy of the built page', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'csp-build-'));
  let html = '';

  beforeAll(async () => {
    await build({ logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    html = readFileSync(join(outDir, 'index.html'), 'utf8');
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('sets one policy that allows only same-origin scripts, no eval, no inline scripts', () => {
    const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/g)];
    expect(metas).toHaveLength(1);
    const directives = new Map(metas[0]![1]!.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'self'"]);
    for (const [name, values] of directives) {
      expect(values, name).not.toContain("'unsafe-eval'");
      expect(values, name).not.toContain("'wasm-unsafe-eval'");
      if (name !== 'style-src') expect(values, name).not.toContain("'unsafe-inline'");
    }
  });

  it('loads every script from a file on the same origin, with no inline code or handlers', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/[^/"][^"]*"/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/javascript:/i);
  });

  it('ships bundles (page and worker) that never eval', () => {
    const files = readdirSync(join(outDir, 'assets')).filter((f) => f.endsWith('.js'));
    expect(files.some((f) => /worker/i.test(f))).toBe(true);
    for (const f of files) {
      const code = readFileSync(join(outDir, 'assets', f), 'utf8');
      expect(code, f).not.toMatch(/new Function\s*\(|[^\w$.]eval\s*\(|setTimeout\s*\(\s*["'`]/);
    }
  });
});
