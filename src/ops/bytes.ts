// How a byte dataset is laid out in 32-bit words, for the GPU (WGSL has no u8 storage) and its checks.

/** Packs bytes little-endian, 4 per u32 (byte k in bits 8(k%4)..), zero-padded to a whole word. */
export function packBytes(bytes: Uint8Array): Uint32Array {
  const words = new Uint32Array(Math.max(1, Math.ceil(bytes.length / 4)));
  for (let k = 0; k < bytes.length; k++) words[k >>> 2] |= bytes[k] << ((k & 3) * 8);
  return words;
}
