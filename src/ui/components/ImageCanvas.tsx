// A small grayscale image on a canvas: bytes (0..255) as they are, or floats scaled to their own
// range, or to a given one (so several images share one scale).

import { useEffect, useRef } from 'react';

interface Props {
  width: number;
  height: number;
  /** width*height values; read with stride/offset for one channel of an HWC array. */
  values: ArrayLike<number>;
  stride?: number;
  offset?: number;
  size: number;
  title?: string;
  /** Black and white for floats: [lo, hi] shared with other images; default the image's own range. */
  range?: readonly [number, number];
}

export function ImageCanvas({ width, height, values, stride = 1, offset = 0, size, title, range }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const isBytes = values instanceof Uint8Array;
    let lo = Infinity;
    let hi = -Infinity;
    if (range) [lo, hi] = range;
    else if (!isBytes) {
      for (let i = 0; i < width * height; i++) {
        const v = values[offset + i * stride]!;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    const img = ctx.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const v = values[offset + i * stride]!;
      const g = isBytes ? v : hi > lo ? ((v - lo) / (hi - lo)) * 255 : 0;
      img.data.set([g, g, g, 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
  }, [values, width, height, stride, offset, range]);
  return <canvas ref={ref} width={width} height={height} className="pixelated" style={{ width: size, height: size * (height / width) }} title={title} role="img" aria-label={title ?? 'image'} />;
}
