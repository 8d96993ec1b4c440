// The reader on the real Fashion-MNIST files, which `npm run data` puts into public/fashion-mnist.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FashionMnist } from './idx';
import { loadFashionMnistFromDir } from './nodeFiles';

const dataScript = fileURLToPath(new URL('../../scripts/data.mjs', import.meta.url));

function histogram(labels: Uint8Array): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

describe('Fashion-MNIST files', () => {
  let data: FashionMnist;

  beforeAll(async () => {
    // Fast when the files are already there and verified; fails with the script's own message if not.
    execFileSync(process.execPath, [dataScript], { stdio: 'pipe', timeout: 120_000 });
    data = await loadFashionMnistFromDir();
  }, 180_000);

  it('has 60000 training and 10000 test images of 28×28', () => {
    expect(data.train.count).toBe(60000);
    expect(data.train.images.length).toBe(60000 * 28 * 28);
    expect(data.test.count).toBe(10000);
    expect(data.test.images.length).toBe(10000 * 28 * 28);
  });

  it('starts with an ankle boot', () => {
    expect(data.train.labels[0]).toBe(9);
  });

  it('is balanced: 6000 training and 1000 test images per class', () => {
    expect(histogram(data.train.labels)).toEqual(new Array(10).fill(6000));
    expect(histogram(data.test.labels)).toEqual(new Array(10).fill(1000));
  });

  it('holds real pixels, not zeros', () => {
    const first = data.train.images.subarray(0, 28 * 28); // [28, 28]
    expect(Math.max(...first)).toBe(255);
    expect(first.filter((p) => p > 0).length).toBeGreaterThan(100);
  });
});
