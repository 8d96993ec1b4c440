// CPU reference of gather.rows: out[b, :] = data[index[b], :] (zeros for an index >= count).
export function gatherRows<T extends Float32Array | Uint32Array>(data: T, width: number, index: Uint32Array): T {
  const count = data.length / width;
  const out = new (data.constructor as new (n: number) => T)(index.length * width);
  index.forEach((row, b) => {
    if (row < count) out.set(data.subarray(row * width, (row + 1) * width), b * width);
  });
  return out;
}
