// The grouped/dilated conv kernels (and the bias add of Conv2DTranspose) against the CPU
// reference, on odd sizes: channels per group 1/3/5, dilation, strides, causal and same padding.
import { groupConv2dForward, groupConv2dGradFilter, groupConv2dGradInput } from '../../src/ops/reference/groupConv2d';
import { convGeometry, type ConvWindow } from '../../src/ops/convGeometry';
import { prepareBiasAdd } from '../../src/gpu/kernels/biasAdd';
import { prepareGroupConv2d } from '../../src/gpu/kernels/groupConv2d';
import { prepareGroupConv2dGradFilter } from '../../src/gpu/kernels/groupConv2dGradFilter';
import { prepareGroupConv2dGradInput } from '../../src/gpu/kernels/groupConv2dGradInput';
import { assertClose, randomArray } from '../util/check';
import { gpuTest } from './harness';

interface Case {
  x: [number, number, number, number];
  cout: number;
  w: ConvWindow;
  bias: boolean;
}

const cases: Case[] = [
  { x: [3, 7, 5, 6], cout: 9, w: { kernel: [3, 2], strides: [1, 1], dilation: [2, 3], padding: 'same', groups: 3 }, bias: true },
  { x: [2, 9, 7, 5], cout: 10, w: { kernel: [3, 3], strides: [2, 3], dilation: [1, 1], padding: 'valid', groups: 5 }, bias: false },
  { x: [1, 1, 13, 6], cout: 4, w: { kernel: [1, 3], strides: [1, 1], dilation: [1, 2], padding: 'causal', groups: 2 }, bias: true },
  { x: [2, 6, 8, 3], cout: 6, w: { kernel: [2, 3], strides: [2, 2], dilation: [1, 1], padding: 'same', groups: 3 }, bias: true },
  { x: [3, 8, 9, 2], cout: 3, w: { kernel: [3, 3], strides: [1, 1], dilation: [2, 2], padding: 'valid', groups: 1 }, bias: false },
  // Depthwise with depth multiplier 2 over 17 channels: groups = inC.
  { x: [2, 5, 7, 17], cout: 34, w: { kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: 'same', groups: 17 }, bias: true },
];

const TOL = { atol: 1e-5, rtol: 1e-4 };

for (const c of cases) {
  const label = `x[${c.x}] outC ${c.cout} k ${c.w.kernel} s ${c.w.strides} d ${c.w.dilation} ${c.w.padding} groups ${c.w.groups}${c.bias ? ' +bias' : ''}`;
  gpuTest(`group conv2d forward and gradients ${label}`, async (rt) => {
    const g = convGeometry(c.x, c.w);
    const cin = c.x[3];
    const kShape = [g.kH, g.kW, cin / g.groups, c.cout];
    const yShape = [g.batch, g.outH, g.outW, c.cout];
    const x = randomArray(c.x.reduce((a, b) => a * b, 1), 1);
    const kernel = randomArray(kShape.reduce((a, b) => a * b, 1), 2);
    const bias = randomArray(c.cout, 3);
    const dy = randomArray(yShape.reduce((a, b) => a * b, 1), 4);
    const [tx, tk, tb, tdy] = [rt.upload(x, c.x), rt.upload(kernel, kShape), rt.upload(bias, [c.cout]), rt.upload(dy, yShape)];
    const [ty, tdx, tdk] = [rt.tensor(yShape), rt.tensor(c.x), rt.tensor(kShape)];
    const ds = [
      await prepareGroupConv2d(rt, tx, tk, c.bias ? tb : null, ty, g),
      await prepareGroupConv2dGradInput(rt, tdy, tk, tdx, g),
      await prepareGroupConv2dGradFilter(rt, tx, tdy, tdk, g),
    ];
    rt.submit(ds);
    assertClose(await rt.read(ty), groupConv2dForward(x, kernel, c.bias ? bias : null, g, cin, c.cout), TOL, 'forward');
    assertClose(await rt.read(tdx), groupConv2dGradInput(dy, kernel, g, cin, c.cout), TOL, 'grad input');
    assertClose(await rt.read(tdk), groupConv2dGradFilter(x, dy, g, cin, c.cout), { atol: 1e-4, rtol: 1e-4 }, 'grad filter');
    ds.forEach((d) => rt.dispose(d));
    [tx, tk, tb, tdy, ty, tdx, tdk].forEach((t) => rt.release(t));
  });
}

for (const [rows, channels] of [[1, 1], [7, 3], [1001, 17]]) {
  gpuTest(`bias add ${rows} x ${channels}`, async (rt) => {
    const y = randomArray(rows * channels, 5);
    const bias = randomArray(channels, 6);
    const [ty, tb] = [rt.upload(y, [rows, channels]), rt.upload(bias, [channels])];
    const d = await prepareBiasAdd(rt, tb, ty);
    rt.submit([d]);
    assertClose(await rt.read(ty), y.map((v, i) => v + bias[i % channels]!), { atol: 1e-6, rtol: 1e-6 }, 'bias add');
    rt.dispose(d);
    [ty, tb].forEach((t) => rt.release(t));
  });
}
