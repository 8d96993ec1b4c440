// CPU reference of the general 2-D convolution: grouped and dilated (NHWC, kernel
// [kH, kW, inC / groups, outC]; output channel co reads the input channels of its group
// co / (outC / groups)), and its two gradients. The spec and test oracle of
// shaders/group_conv2d.*.wgsl; plain conv2d (dilation 1, one group) keeps its own faster ops.
import type { ConvGeometry } from '../convGeometry';

/** For every output pixel, in-bounds tap and output channel: fn(x offset of the tap's group's first channel, y offset, kernel offset of input channel 0 of the group). */
function forEachTap(g: ConvGeometry, cin: number, cout: number, fn: (xBase: number, yIndex: number, kBase: number) => void): void {
  const cinG = cin / g.groups;
  const coutG = cout / g.groups;
  for (let n = 0; n < g.batch; n++) {
    for (let oy = 0; oy < g.outH; oy++) {
      for (let ox = 0; ox < g.outW; ox++) {
        const yBase = ((n * g.outH + oy) * g.outW + ox) * cout;
        for (let ky = 0; ky < g.kH; ky++) {
          const iy = oy * g.strideH + ky * g.dilationH - g.padTop;
          if (iy < 0 || iy >= g.inH) continue;
          for (let kx = 0; kx < g.kW; kx++) {
            const ix = ox * g.strideW + kx * g.dilationW - g.padLeft;
            if (ix < 0 || ix >= g.inW) continue;
            const pixel = ((n * g.inH + iy) * g.inW + ix) * cin;
            for (let co = 0; co < cout; co++) {
              const group = Math.floor(co / coutG);
              fn(pixel + group * cinG, yBase + co, (ky * g.kW + kx) * cinG * cout + co);
            }
          }
        }
      }
    }
  }
}

/** y [N, outH, outW, outC] = grouped dilated conv(x [N, H, W, inC], kernel) + bias [outC]. */
export function groupConv2dForward(x: Float32Array, kernel: Float32Array, bias: Float32Array | null, g: ConvGeometry, cin: number, cout: number): Float32Array {
  const cinG = cin / g.groups;
  const y = new Float32Array(g.batch * g.outH * g.outW * cout);
  forEachTap(g, cin, cout, (xBase, yi, kBase) => {
    for (let c = 0; c < cinG; c++) y[yi] += x[xBase + c] * kernel[kBase + c * cout];
  });
  if (bias) for (let i = 0; i < y.length; i++) y[i] += bias[i % cout];
  return y;
}

/** dx [N, H, W, inC] from dy [N, outH, outW, outC]. */
export function groupConv2dGradInput(dy: Float32Array, kernel: Float32Array, g: ConvGeometry, cin: number, cout: number): Float32Array {
  const cinG = cin / g.groups;
  const dx = new Float32Array(g.batch * g.inH * g.inW * cin);
  forEachTap(g, cin, cout, (xBase, yi, kBase) => {
    for (let c = 0; c < cinG; c++) dx[xBase + c] += dy[yi] * kernel[kBase + c * cout];
  });
  return dx;
}

/** dkernel [kH, kW, inC / groups, outC]: each tap's input times dy, summed over N, outH, outW. */
export function groupConv2dGradFilter(x: Float32Array, dy: Float32Array, g: ConvGeometry, cin: number, cout: number): Float32Array {
  const cinG = cin / g.groups;
  const dk = new Float32Array(g.kH * g.kW * cinG * cout);
  forEachTap(g, cin, cout, (xBase, yi, kBase) => {
    for (let c = 0; c < cinG; c++) dk[kBase + c * cout] += x[xBase + c] * dy[yi];
  });
  return dk;
}
