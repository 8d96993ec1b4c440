// The page as a static host serves it: `vite build` into a temporary folder (the data files come
// along from public/), then a plain file server with no special headers, as GitHub Pages or an S3
// bucket would be. Cross-origin isolation then comes from public/coi-serviceworker.js.
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { build } from 'vite';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.gz': 'application/gzip',
  '.svg': 'image/svg+xml',
};

export interface StaticSite {
  url: string;
  close: () => Promise<void>;
}

/** Builds the site and serves it on a free port. */
export async function startStaticSite(): Promise<StaticSite> {
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  await build({ logLevel: 'warn', build: { outDir: dir, emptyOutDir: true, chunkSizeWarningLimit: 2048 } });
  if (!existsSync(join(dir, 'fashion-mnist', 'train-images-idx3-ubyte.gz'))) {
    throw new Error('the built site has no fashion-mnist/ files: run `npm run data` first (they are copied from public/fashion-mnist)');
  }
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the static server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
