// CPU reference of the batch gathers: a dataset kept as bytes (images of `imageBytes` pixels,
// one byte per label), a batch chosen by a uint32 index per example. An index past the end of
// the set yields zeros (the GPU never reads outside its buffer). Also the byte -> u32 packing.

/** Packs bytes little-endian, 4 per u32 (byte k in bits 8(k%4)..), zero-padded to a whole word. */
export function packBytes(bytes: Uint8Array): Uint32Array {
  const words = new Uint32Array(Math.max(1, Math.ceil(bytes.length / 4)));
  for (let k = 0; k < bytes.length; k++) words[k >>> 2] |= bytes[k] << ((k & 3) * 8);
  return words;
}

/** out[b, p] = bytes[index[b] * imageBytes + p] / 255, for p < imageBytes ([B, H, W, C] for images). */
export function gatherImages(bytes: Uint8Array, index: Uint32Array, imageBytes: number, count: number): Float32Array {
  const out = new Float32Array(index.length * imageBytes);
  index.forEach((image, b) => {
    if (image >= count) return;
    for (let p = 0; p < imageBytes; p++) out[b * imageBytes + p] = bytes[image * imageBytes + p] / 255;
  });
  return out;
}

/** out[b] = labels[index[b]] as uint32. */
export function gatherLabels(labels: Uint8Array, index: Uint32Array, count: number): Uint32Array {
  return index.map((i) => (i < count ? labels[i] : 0));
}
