// The IDX reader on small synthetic files: valid ones, and each way a file can be broken.
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_FILES, gunzip, loadFashionMnist, parseIdx, type ReadFile } from './idx';

/** An IDX file of ubytes: magic 0x000008<rank>, big-endian dims, then `values`. */
function makeIdx(dims: number[], values: ArrayLike<number>): Uint8Array {
  const header = new DataView(new ArrayBuffer(4 + 4 * dims.length));
  header.setUint32(0, 0x0800 + dims.length, false);
  dims.forEach((d, i) => header.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(header.byteLength + values.length);
  out.set(new Uint8Array(header.buffer), 0);
  out.set(Uint8Array.from(values), header.byteLength);
  return out;
}

function ramp(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => i % 256);
}

describe('parseIdx', () => {
  it('reads images [N, H, W] and labels [N]', () => {
    const images = parseIdx(makeIdx([2, 3, 4], ramp(24)));
    expect(images.dims).toEqual([2, 3, 4]);
    expect(Array.from(images.data)).toEqual(Array.from(ramp(24)));
    const labels = parseIdx(makeIdx([3], [9, 0, 5]));
    expect(labels.dims).toEqual([3]);
    expect(Array.from(labels.data)).toEqual([9, 0, 5]);
  });

  it('reads from a view that does not start at offset 0', () => {
    const file = makeIdx([2], [4, 7]);
    const padded = new Uint8Array(file.length + 3);
    padded.set(file, 3);
    expect(Array.from(parseIdx(padded.subarray(3)).data)).toEqual([4, 7]);
  });

  it('rejects a bad magic number, naming it', () => {
    const wrongDtype = makeIdx([2], [1, 2]);
    wrongDtype[2] = 0x0d; // float32
    expect(() => parseIdx(wrongDtype, 'x.idx')).toThrow(/x\.idx: bad magic number 0x00000d01/);
    const wrongRank = makeIdx([1, 2], [1, 2]);
    expect(() => parseIdx(wrongRank)).toThrow(/bad magic number 0x00000802/);
    const notIdx = new TextEncoder().encode('PK\x03\x04 a zip file');
    expect(() => parseIdx(notIdx)).toThrow(/bad magic number 0x504b0304/);
  });

  it('rejects a truncated header or body with expected vs actual size', () => {
    expect(() => parseIdx(new Uint8Array([0, 0]))).toThrow(/too short/);
    const file = makeIdx([2, 3, 4], ramp(24)); // 16 + 24 bytes
    expect(() => parseIdx(file.subarray(0, 10))).toThrow(/truncated header, expected 16 bytes, got 10/);
    expect(() => parseIdx(file.subarray(0, 39))).toThrow(/truncated: expected 40 bytes \(16-byte header \+ 2×3×4 values\), got 39/);
  });

  it('rejects trailing data', () => {
    const file = makeIdx([2], [1, 2]);
    const longer = new Uint8Array(file.length + 1);
    longer.set(file);
    expect(() => parseIdx(longer)).toThrow(/has trailing data: expected 10 bytes .* got 11/);
  });
});

describe('gunzip', () => {
  const file = makeIdx([2, 3, 4], ramp(24));
  const gz = new Uint8Array(gzipSync(file));

  it('round-trips through zlib', async () => {
    expect(Array.from(await gunzip(gz))).toEqual(Array.from(file));
  });

  it('rejects bytes that are not gzip', async () => {
    await expect(gunzip(file, 'a.gz')).rejects.toThrow(/a\.gz: not a gzip file \(starts with 0x00000803\)/);
  });

  it('rejects corrupt and truncated gzip', async () => {
    const corrupt = gz.slice();
    corrupt[corrupt.length - 6] ^= 0xff; // inside the CRC-32 trailer
    await expect(gunzip(corrupt, 'b.gz')).rejects.toThrow(/b\.gz: corrupt gzip data/);
    await expect(gunzip(gz.subarray(0, gz.length - 4))).rejects.toThrow(/corrupt gzip data/);
  });
});

describe('loadFashionMnist', () => {
  type Files = Record<string, Uint8Array>;
  const reader = (files: Files): ReadFile => async (name) => {
    const bytes = files[name];
    if (!bytes) throw new Error(`no ${name}`);
    return bytes;
  };
  const gz = (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes));
  function tinyFiles(): Files {
    return {
      [FASHION_MNIST_FILES.trainImages]: gz(makeIdx([3, 28, 28], ramp(3 * 784))),
      [FASHION_MNIST_FILES.trainLabels]: gz(makeIdx([3], [9, 0, 3])),
      [FASHION_MNIST_FILES.testImages]: gz(makeIdx([1, 28, 28], ramp(784))),
      [FASHION_MNIST_FILES.testLabels]: makeIdx([1], [2]), // already decompressed, as after Content-Encoding: gzip
    };
  }

  afterEach(() => vi.unstubAllGlobals());

  it('loads both splits', async () => {
    const data = await loadFashionMnist(reader(tinyFiles()));
    expect(data.train.count).toBe(3);
    expect(data.train.images.length).toBe(3 * 28 * 28);
    expect(Array.from(data.train.labels)).toEqual([9, 0, 3]);
    expect(data.test.count).toBe(1);
    expect(Array.from(data.test.labels)).toEqual([2]);
    expect(FASHION_MNIST_CLASSES[data.train.labels[0]]).toBe('Ankle boot');
  });

  it('rejects a count mismatch between images and labels', async () => {
    const files = tinyFiles();
    files[FASHION_MNIST_FILES.trainLabels] = gz(makeIdx([2], [9, 0]));
    await expect(loadFashionMnist(reader(files))).rejects.toThrow(
      /train-images-idx3-ubyte\.gz holds 3 images but train-labels-idx1-ubyte\.gz holds 2 labels/,
    );
  });

  it('rejects a label that is not a class', async () => {
    const files = tinyFiles();
    files[FASHION_MNIST_FILES.trainLabels] = gz(makeIdx([3], [9, 10, 3]));
    await expect(loadFashionMnist(reader(files))).rejects.toThrow(/label 10 at index 1 is not a class/);
  });

  it('rejects images that are not 28×28', async () => {
    const files = tinyFiles();
    files[FASHION_MNIST_FILES.testImages] = gz(makeIdx([1, 27, 29], ramp(27 * 29)));
    await expect(loadFashionMnist(reader(files))).rejects.toThrow(/expected images of shape \[N, 28, 28\], got \[1, 27, 29\]/);
  });

  it('names the file when its gzip is corrupt', async () => {
    const files = tinyFiles();
    files[FASHION_MNIST_FILES.trainImages] = files[FASHION_MNIST_FILES.trainImages]!.subarray(0, 100);
    await expect(loadFashionMnist(reader(files))).rejects.toThrow(/train-images-idx3-ubyte\.gz: corrupt gzip data/);
  });

  it('fetches from a base URL and reports HTTP errors', async () => {
    const files = tinyFiles();
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      const name = url.split('/').pop()!;
      const bytes = files[name];
      return bytes ? new Response(bytes.slice()) : new Response('not found', { status: 404 });
    });
    const data = await loadFashionMnist('/fashion-mnist/');
    expect(data.train.count).toBe(3);
    expect(fetched.sort()).toEqual(Object.values(FASHION_MNIST_FILES).map((f) => `/fashion-mnist/${f}`).sort());

    delete files[FASHION_MNIST_FILES.testLabels];
    await expect(loadFashionMnist('/fashion-mnist')).rejects.toThrow(
      /Could not fetch \/fashion-mnist\/t10k-labels-idx1-ubyte\.gz: HTTP 404\. The site has no Fashion-MNIST files: run `npm run data`/,
    );
  });
});
