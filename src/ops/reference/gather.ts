// CPU reference of the batch gathers: a dataset kept as bytes (images of `imageBytes` pixels,
// one byte per label), a batch chosen by a uint32 index per example. An index past the end of
// the set yields zeros (the GPU never reads outside its buffer).

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
