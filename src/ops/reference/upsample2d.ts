// CPU reference of `upsample2d` (UpSampling2D, nearest): each input cell repeated as a
// sizeH x sizeW block, y[n, i, j, c] = x[n, floor(i / sizeH), floor(j / sizeW), c], for
// x [N, H, W, C] and y [N, H * sizeH, W * sizeW, C]. Its gradient sums each block of dy (an
// average pool over the block times its area: see gradRules.ts).

export function upsample2d(x: Float32Array, xShape: readonly number[], size: readonly [number, number]): Float32Array {
  const [n, h, w, c] = xShape;
  const [sh, sw] = size;
  const [outH, outW] = [h * sh, w * sw];
  const y = new Float32Array(x.length * sh * sw);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < outH; i++) {
      for (let j = 0; j < outW; j++) {
        const from = ((b * h + Math.floor(i / sh)) * w + Math.floor(j / sw)) * c;
        const to = ((b * outH + i) * outW + j) * c;
        for (let k = 0; k < c; k++) y[to + k] = x[from + k];
      }
    }
  }
  return y;
}
