// Puts the four official Fashion-MNIST files into a target folder, each checked by the SHA-256 of
// its decompressed bytes. Sources, in order: the file already there, $FASHION_MNIST_DIR, Debian's
// dataset-fashion-mnist package, the official download. Node builtins only: this runs before
// `npm ci` may have finished on a fresh machine. The file list is repeated in src/data/idx.ts
// (a .mjs script cannot import TypeScript).
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const OFFICIAL_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com';
export const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

/** SHA-256 of each file after gunzip (from the IDX files the Zalando README links to). */
export const FILES = {
  'train-images-idx3-ubyte.gz': 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  'train-labels-idx1-ubyte.gz': 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  't10k-images-idx3-ubyte.gz': '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  't10k-labels-idx1-ubyte.gz': '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
};

const STAMP = '.verified.json';
const TEMP_SUFFIX = '.partial';
const STALE_TEMP_MS = 60 * 60 * 1000;

/** Why `bytes` is not the expected file, or null when it is. */
export function checkBytes(name, bytes) {
  let raw;
  try {
    raw = gunzipSync(bytes);
  } catch (err) {
    return `not a valid gzip file (${err.message})`;
  }
  const sha = createHash('sha256').update(raw).digest('hex');
  return sha === FILES[name] ? null : `SHA-256 of the decompressed data is ${sha}, expected ${FILES[name]}`;
}

async function readStamp(dir) {
  try {
    return JSON.parse(await readFile(join(dir, STAMP), 'utf8'));
  } catch {
    return {};
  }
}

/** Writes through a temp file in the same folder and renames it, so no reader sees half a file. */
async function writeAtomically(dir, name, bytes) {
  const temp = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(dir, name));
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw err;
  }
}

/** Removes temp files a killed run left behind; recent ones may belong to a run still going. */
async function removeStaleTemps(dir) {
  for (const entry of await readdir(dir)) {
    if (!entry.startsWith('.') || !entry.endsWith(TEMP_SUFFIX)) continue;
    const path = join(dir, entry);
    const info = await stat(path).catch(() => null);
    if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) await unlink(path).catch(() => {});
  }
}

async function readLocal(path) {
  try {
    return { bytes: await readFile(path) };
  } catch (err) {
    return { problem: err.code === 'ENOENT' ? 'missing' : `unreadable (${err.code ?? err.message})` };
  }
}

/** Downloads with a time limit; `network.down` skips the other files once the host is unreachable. */
async function download(url, timeoutMs, network) {
  if (network.down) return { problem: `not tried (${network.down})` };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return { problem: `HTTP ${response.status} ${response.statusText}` };
    return { bytes: Buffer.from(await response.arrayBuffer()) };
  } catch (err) {
    const reason = err.name === 'TimeoutError'
      ? `timed out after ${timeoutMs / 1000} s`
      : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}`;
    network.down = `the previous download failed: ${reason}`;
    return { problem: reason };
  }
}

/**
 * Makes `targetDir` hold the four verified files. Returns `{ ok, lines }`: `lines` says per file
 * where it came from, or, on failure, every place that was tried and what was wrong there.
 */
export async function prepareFashionMnist({
  targetDir,
  sourceDir = undefined,
  systemDir = DEBIAN_DIR,
  baseUrl = OFFICIAL_URL,
  timeoutMs = 20_000,
}) {
  await mkdir(targetDir, { recursive: true });
  await removeStaleTemps(targetDir);
  const stamp = await readStamp(targetDir);
  const network = { down: null };
  const lines = [];
  const failed = [];

  for (const name of Object.keys(FILES)) {
    const target = join(targetDir, name);
    const info = await stat(target).catch(() => null);
    const stamped = stamp[name];
    if (info && stamped && stamped.size === info.size && stamped.mtimeMs === info.mtimeMs && stamped.sha256 === FILES[name]) {
      lines.push(`  ${name}: ok (verified before)`);
      continue;
    }

    const tried = [];
    const candidates = [
      { where: target, inPlace: true, get: () => readLocal(target) },
      sourceDir
        ? { where: join(sourceDir, name), get: () => readLocal(join(sourceDir, name)) }
        : { where: '$FASHION_MNIST_DIR', get: async () => ({ problem: 'not set' }) },
      { where: join(systemDir, name), get: () => readLocal(join(systemDir, name)) },
      { where: `${baseUrl}/${name}`, get: () => download(`${baseUrl}/${name}`, timeoutMs, network) },
    ];
    let found = false;
    for (const candidate of candidates) {
      const { bytes, problem } = await candidate.get();
      const why = problem ?? checkBytes(name, bytes);
      if (why) {
        tried.push(`${candidate.where}: ${why}`);
        continue;
      }
      if (!candidate.inPlace) await writeAtomically(targetDir, name, bytes);
      const written = await stat(target);
      stamp[name] = { size: written.size, mtimeMs: written.mtimeMs, sha256: FILES[name] };
      const replaced = tried.length > 0 && !tried[0].endsWith(': missing') ? ', replacing a bad copy' : '';
      lines.push(`  ${name}: ok (${candidate.inPlace ? 'verified' : `from ${candidate.where}${replaced}`})`);
      found = true;
      break;
    }
    if (!found) {
      delete stamp[name];
      failed.push(name);
      lines.push(`  ${name}: MISSING OR CORRUPT; looked in:`, ...tried.map((t) => `      ${t}`));
    }
  }

  await writeAtomically(targetDir, STAMP, JSON.stringify(stamp, null, 2) + '\n');
  if (failed.length > 0) {
    lines.push(
      '',
      `Could not get ${failed.length} of ${Object.keys(FILES).length} Fashion-MNIST files into ${targetDir}. To get them, either:`,
      '  - install Debian\'s copy:  sudo apt-get install dataset-fashion-mnist',
      '  - or put the four .gz files in a folder and run with FASHION_MNIST_DIR=/that/folder',
      `  - or download them from ${OFFICIAL_URL}/<file> into ${targetDir}`,
    );
  }
  return { ok: failed.length === 0, lines };
}
