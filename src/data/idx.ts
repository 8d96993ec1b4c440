// Reads Fashion-MNIST's IDX files (gzipped) in the browser and in Node. The format: a 4-byte magic
// (0x00 0x00, dtype 0x08 = ubyte, number of dimensions), one big-endian uint32 per dimension,
// then the values row-major. No node: imports here; Node's file access lives in nodeFiles.ts.

export const FASHION_MNIST_CLASSES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export const IMAGE_SIZE = 28;

/** The files `npm run data` puts into public/fashion-mnist (the same list as scripts/dataLib.mjs). */
export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

export interface IdxArray {
  dims: number[];
  data: Uint8Array; // row-major, product(dims) values
}

export interface Split {
  images: Uint8Array; // [count, 28, 28], 0..255
  labels: Uint8Array; // [count], 0..9
  count: number;
}

export interface FashionMnist {
  train: Split;
  test: Split;
}

/** Returns the bytes of one file, given its name (e.g. 't10k-labels-idx1-ubyte.gz'). */
export type ReadFile = (fileName: string) => Promise<Uint8Array>;

const UBYTE = 0x08;
const KNOWN_RANKS = [1, 3]; // magic 0x00000801 (labels), 0x00000803 (images)

/** Parses an uncompressed IDX file of ubytes; `data` is a view into `bytes`, not a copy. */
export function parseIdx(bytes: Uint8Array, name = 'IDX file'): IdxArray {
  if (bytes.length < 4) throw new Error(`${name}: ${bytes.length} bytes is too short for an IDX header`);
  const magic = hex32(bytes, 0);
  const rank = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UBYTE || !KNOWN_RANKS.includes(rank)) {
    throw new Error(`${name}: bad magic number ${magic}, expected 0x00000801 (labels) or 0x00000803 (images)`);
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new Error(`${name}: truncated header, expected ${headerBytes} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const values = dims.reduce((a, b) => a * b, 1);
  const expected = headerBytes + values;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'has trailing data';
    throw new Error(
      `${name}: ${what}: expected ${expected} bytes (${headerBytes}-byte header + ${dims.join('×')} values), got ${bytes.length}`,
    );
  }
  return { dims, data: bytes.subarray(headerBytes, expected) };
}

/** Decompresses gzip with the platform's DecompressionStream (browsers and Node ≥ 18). */
export async function gunzip(bytes: Uint8Array, name = 'file'): Promise<Uint8Array> {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new Error(`${name}: not a gzip file (starts with ${hex32(bytes, 0)})`);
  }
  const input = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
  try {
    const output = input.pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(output).arrayBuffer());
  } catch (err) {
    throw new Error(`${name}: corrupt gzip data (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}

/** Gunzips unless the bytes are already IDX: some servers send .gz with Content-Encoding: gzip. */
async function decode(bytes: Uint8Array, name: string): Promise<IdxArray> {
  const raw = bytes[0] === 0 && bytes[1] === 0 ? bytes : await gunzip(bytes, name);
  return parseIdx(raw, name);
}

/** A ReadFile that fetches `${baseUrl}/${fileName}`, e.g. baseUrl '/fashion-mnist' under Vite. */
export function fetchFiles(baseUrl: string): ReadFile {
  const base = baseUrl.replace(/\/+$/, '');
  return async (fileName) => {
    const url = `${base}/${fileName}`;
    const response = await fetch(url);
    if (!response.ok) {
      throw new Error(`Could not fetch ${url}: HTTP ${response.status}. The site has no Fashion-MNIST files: run \`npm run data\` (before \`npm run build\` for a static site), or put the four official .gz files in fashion-mnist/ beside index.html.`);
    }
    return new Uint8Array(await response.arrayBuffer());
  };
}

/** Loads both splits, from a base URL or any ReadFile, checking shapes, counts and labels. */
export async function loadFashionMnist(source: string | ReadFile): Promise<FashionMnist> {
  const read = typeof source === 'string' ? fetchFiles(source) : source;
  const f = FASHION_MNIST_FILES;
  const [train, test] = await Promise.all([
    loadSplit(read, f.trainImages, f.trainLabels),
    loadSplit(read, f.testImages, f.testLabels),
  ]);
  return { train, test };
}

async function loadSplit(read: ReadFile, imagesFile: string, labelsFile: string): Promise<Split> {
  const [images, labels] = await Promise.all([
    read(imagesFile).then((bytes) => decode(bytes, imagesFile)),
    read(labelsFile).then((bytes) => decode(bytes, labelsFile)),
  ]);
  const [count, height, width] = images.dims;
  if (images.dims.length !== 3 || height !== IMAGE_SIZE || width !== IMAGE_SIZE) {
    throw new Error(`${imagesFile}: expected images of shape [N, 28, 28], got [${images.dims.join(', ')}]`);
  }
  if (labels.dims.length !== 1) {
    throw new Error(`${labelsFile}: expected labels of shape [N], got [${labels.dims.join(', ')}]`);
  }
  if (labels.dims[0] !== count) {
    throw new Error(`${imagesFile} holds ${count} images but ${labelsFile} holds ${labels.dims[0]} labels`);
  }
  const bad = labels.data.findIndex((label) => label >= FASHION_MNIST_CLASSES.length);
  if (bad >= 0) {
    throw new Error(`${labelsFile}: label ${labels.data[bad]} at index ${bad} is not a class (0..9)`);
  }
  return { images: images.data, labels: labels.data, count };
}

function hex32(bytes: Uint8Array, offset: number): string {
  const b = Array.from(bytes.subarray(offset, offset + 4), (x) => x.toString(16).padStart(2, '0'));
  return `0x${b.join('')}`;
}
