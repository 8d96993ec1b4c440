// Node-only: reads the Fashion-MNIST files that `npm run data` put into public/fashion-mnist.
// Kept apart from idx.ts so the browser bundle never sees node:fs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFashionMnist, type FashionMnist, type ReadFile } from './idx';

export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../public/fashion-mnist', import.meta.url));

/** A ReadFile over a folder; a missing file's error says how to get it. */
export function readFilesFrom(dir: string): ReadFile {
  return async (fileName) => {
    const path = join(dir, fileName);
    try {
      return await readFile(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new Error(`${path} is missing. Run \`npm run data\` to get it.`, { cause: err });
      throw err;
    }
  };
}

/** Loads both splits from `dir` (public/fashion-mnist by default). */
export function loadFashionMnistFromDir(dir: string = DEFAULT_DATA_DIR): Promise<FashionMnist> {
  return loadFashionMnist(readFilesFrom(dir));
}
