// CPU engine benchmark: the readable references (src/ops/reference) against the fast kernels (src/ops/fast),
// side by side, on the seed CNN's shapes. Run: npx tsx scripts/cpuBench.ts [--quick]
// (--quick skips the batch-128 step estimate for the slow references).
//
// Each figure is the best of several runs, timed in process CPU time rather than wall time (the
// machine is shared, and a single-threaded kernel's CPU time is what it would take alone); the
// reference ops that take seconds run once.
import { activationGrad } from '../src/ops/reference/activation';
import { biasGrad } from '../src/ops/reference/biasGrad';
import * as refConv from '../src/ops/reference/conv2d';
import { matmul } from '../src/ops/reference/matmul';
import * as refPool from '../src/ops/reference/maxPool2d';
import { ADAM_DEFAULTS } from '../src/ops/optimizers';
import { adamUpdate, newOptimizerState, optimizerStep } from '../src/ops/reference/optimizers';
import { softmaxCrossEntropy } from '../src/ops/reference/losses';
import { conv2dForward, conv2dGradFilter, conv2dGradInput } from '../src/ops/fast/conv2d';
import { activationGradInPlace, biasGradInto } from '../src/ops/fast/elementwise';
import { gemm } from '../src/ops/fast/gemm';
import { maxPool2dBackward, maxPool2dForward } from '../src/ops/fast/pool';
import { conv2dGeometry, geometry2D } from '../src/ops/shapes';

const quick = process.argv.includes('--quick');

function random(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.random() - 0.5;
  return a;
}

/** CPU time of this process in ms: on a shared machine it counts only the time we actually ran. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Best CPU time in ms of fn over about budgetMs of wall time (at least one run after one warm-up). */
function time(fn: () => void, budgetMs = 600): number {
  fn();
  let best = Infinity;
  const start = performance.now();
  do {
    const t = cpuMs();
    fn();
    best = Math.min(best, cpuMs() - t);
  } while (performance.now() - start < budgetMs);
  return best;
}

interface Op {
  name: string;
  flops: number;
  naive: () => void;
  fast: () => void;
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (v: number, digits = 2) => v.toFixed(digits).padStart(9);

function report(title: string, ops: Op[], naiveBudget: number): { naive: number; fast: number } {
  console.log(`\n${title}`);
  console.log(`${pad('op', 34)}${'naive ms'.padStart(9)}${'GFLOP/s'.padStart(9)}${'fast ms'.padStart(9)}${'GFLOP/s'.padStart(9)}${'speedup'.padStart(9)}`);
  let [naiveSum, fastSum] = [0, 0];
  for (const op of ops) {
    const tn = time(op.naive, naiveBudget);
    const tf = time(op.fast);
    naiveSum += tn;
    fastSum += tf;
    const gf = (t: number) => (op.flops ? num(op.flops / t / 1e6) : '        -');
    console.log(`${pad(op.name, 34)}${num(tn)}${gf(tn)}${num(tf)}${gf(tf)}${num(tn / tf, 1)}x`);
  }
  console.log(`${pad('total', 34)}${num(naiveSum)}${''.padStart(9)}${num(fastSum)}${''.padStart(9)}${num(naiveSum / fastSum, 1)}x`);
  return { naive: naiveSum, fast: fastSum };
}

function gemmOp(name: string, m: number, n: number, k: number, transA: boolean, transB: boolean): Op {
  const a = random(m * k);
  const b = random(k * n);
  const c = new Float32Array(m * n);
  return {
    name: `${name} [${m}x${k}]·[${k}x${n}]`,
    flops: 2 * m * n * k,
    naive: () => matmul(a, b, { m, n, k, transA, transB }),
    fast: () => gemm(a, b, c, m, n, k, { transA, transB }),
  };
}

/** Forward, grad input (unless first) and grad filter of a same-padded 3x3 stride-1 conv. */
function convOps(name: string, batch: number, h: number, cin: number, cout: number, first: boolean): Op[] {
  const g = conv2dGeometry([batch, h, h, cin], [3, 3, cin, cout], { strides: [1, 1], padding: 'same' });
  const x = random(batch * h * h * cin);
  const w = random(9 * cin * cout);
  const bias = random(cout);
  const y = new Float32Array(batch * h * h * cout);
  const dy = random(y.length);
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(w.length);
  const flops = 2 * batch * h * h * 9 * cin * cout;
  const ops: Op[] = [
    {
      name: `${name} forward`,
      flops,
      naive: () => refConv.conv2dForward(x, w, bias, g, cin, cout, 'relu'),
      fast: () => conv2dForward(x, w, bias, y, g, cin, cout, 'relu'),
    },
  ];
  if (!first) {
    ops.push({
      name: `${name} grad input`,
      flops,
      naive: () => refConv.conv2dGradInput(dy, w, g, cin, cout),
      fast: () => conv2dGradInput(dy, w, dx, g, cin, cout),
    });
  }
  ops.push({
    name: `${name} grad filter`,
    flops,
    naive: () => refConv.conv2dGradFilter(x, dy, g, cin, cout),
    fast: () => conv2dGradFilter(x, dy, dw, g, cin, cout),
  });
  return ops;
}

function poolOps(name: string, batch: number, h: number, c: number): Op[] {
  const g = geometry2D([batch, h, h, c], { kernel: [2, 2], strides: [2, 2], padding: 'valid' });
  const x = random(batch * h * h * c);
  const y = new Float32Array(batch * g.outH * g.outW * c);
  const argmax = new Uint32Array(y.length);
  const dy = random(y.length);
  const dx = new Float32Array(x.length);
  return [
    {
      name: `${name} forward+backward`,
      flops: 0,
      naive: () => refPool.maxPool2dBackward(dy, refPool.maxPool2dForward(x, g, c).argmax, g, c),
      fast: () => {
        maxPool2dForward(x, y, argmax, g, c);
        maxPool2dBackward(dy, argmax, dx, x.length);
      },
    },
  ];
}

/** relu gradients and bias gradients of conv1, conv2 and dense1 (dense2's bias grad too). */
function gradOps(batch: number): Op {
  const act = [batch * 784 * 32, batch * 196 * 64, batch * 100].map((n) => ({ y: random(n), dy: random(n) }));
  const channels = [32, 64, 100, 10];
  const dys = [...act.map((a) => a.dy), random(batch * 10)];
  const db = channels.map((c) => new Float32Array(c));
  return {
    name: 'relu + bias grads',
    flops: 0,
    naive: () => {
      for (const { y, dy } of act) activationGrad(dy, y, 'relu');
      channels.forEach((c, i) => biasGrad(dys[i], c));
    },
    fast: () => {
      for (const { y, dy } of act) activationGradInPlace(dy, y, 'relu');
      channels.forEach((c, i) => biasGradInto(dys[i], db[i], c));
    },
  };
}

/** Softmax cross-entropy and Adam over the seed CNN's 333,826 weights: the references in both columns. */
function lossAndAdam(batch: number): Op {
  const logits = random(batch * 10);
  const labels = Uint32Array.from({ length: batch }, (_, i) => i % 10);
  const params = [288 + 32, 18432 + 64, 313600 + 100, 1000 + 10].map((n) => ({ w: random(n), g: random(n), slots: new Float32Array(2 * n) }));
  const state = newOptimizerState();
  const run = () => {
    softmaxCrossEntropy(logits, labels, 10);
    optimizerStep(state, ADAM_DEFAULTS);
    for (const { w, g, slots } of params) adamUpdate(w, g, slots, state, ADAM_DEFAULTS);
  };
  return { name: 'loss + Adam (reference in both)', flops: 0, naive: run, fast: run };
}

function stepOps(batch: number): Op[] {
  return [
    ...convOps('conv1 28x28x1→32', batch, 28, 1, 32, true),
    ...poolOps('pool1 28→14 x32', batch, 28, 32),
    ...convOps('conv2 14x14x32→64', batch, 14, 32, 64, false),
    ...poolOps('pool2 14→7 x64', batch, 14, 64),
    gemmOp('dense1 fwd', batch, 100, 3136, false, false),
    gemmOp('dense1 dW', 3136, 100, batch, true, false),
    gemmOp('dense1 dX', batch, 3136, 100, false, true),
    gemmOp('dense2 fwd', batch, 10, 100, false, false),
    gemmOp('dense2 dW', 100, 10, batch, true, false),
    gemmOp('dense2 dX', batch, 100, 10, false, true),
    gradOps(batch),
    lossAndAdam(batch),
  ];
}

console.log('CPU engine benchmark (single thread); best of several runs, CPU ms.');
report('GEMM, dense1 of the seed CNN at batch 32 (forward, dW = xᵀ·dy, dX = dy·Wᵀ)', [
  gemmOp('forward', 32, 100, 3136, false, false),
  gemmOp('dW (transA)', 3136, 100, 32, true, false),
  gemmOp('dX (transB)', 32, 3136, 100, false, true),
], 600);
report('Convolutions at batch 32 (3x3 same, relu fused in forward)', [
  ...convOps('conv2 14x14x32→64', 32, 14, 32, 64, false),
  ...convOps('conv1 28x28x1→32', 32, 28, 1, 32, true),
], 0);
for (const batch of quick ? [32] : [32, 128]) {
  const t = report(`Seed CNN training step at batch ${batch} (forward + backward + Adam)`, stepOps(batch), 0);
  console.log(`samples/s: naive ${(batch / t.naive * 1000).toFixed(1)}, fast ${(batch / t.fast * 1000).toFixed(1)}`);
}
