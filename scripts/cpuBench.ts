// CPU engine benchmark: the readable references (src/ops/reference), the fast JavaScript kernels
// (src/ops/fast) and the WebAssembly SIMD kernels (src/ops/wasm, operands in their memory), side
// by side, on the seed CNN's shapes; then the whole training step through CpuEngine with each
// kernel set, interleaved: js, wasm on 1 thread and wasm on N threads (a worker pool over one
// shared memory; N = --threads N, default 2). Run: npx tsx scripts/cpuBench.ts [--quick] [--step]
// (--quick skips batch 128; --step runs only the whole-step comparison).
//
// Each figure is the best of several runs, timed in process CPU time rather than wall time (the
// machine is shared, and a single-threaded kernel's CPU time is what it would take alone); the
// reference ops that take seconds run once.
import './relaxedSimd';
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
import { ArenaArray } from '../src/ops/wasm/memory';
import { createWasmKernels } from '../src/ops/wasm/ops';
import { seedCnn } from '../src/model/examples';
import { CpuEngine } from '../src/model/train/cpuEngine';
import { buildProgram, paramLayout } from '../src/model/train/plan';
import { Trainer } from '../src/model/train/trainer';

const quick = process.argv.includes('--quick');
const stepOnly = process.argv.includes('--step');
const threadsAt = process.argv.indexOf('--threads');
const THREADS = threadsAt >= 0 ? Number(process.argv[threadsAt + 1]) : 2;
const wk = await createWasmKernels();

/** An array in the wasm kernels' memory; read `.view` when calling (growth detaches old views). */
function wasmArray(values: Float32Array | number): ArenaArray<Float32Array> {
  const a = new ArenaArray<Float32Array>(wk.arena, typeof values === 'number' ? values : values.length, 'float32');
  if (typeof values !== 'number') a.view.set(values);
  return a;
}

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

/** Best time in ms (CPU time by default) of fn over about budgetMs of wall time (at least one run after one warm-up). */
function time(fn: () => void, budgetMs = 600, clock = cpuMs): number {
  fn();
  let best = Infinity;
  const start = performance.now();
  do {
    const t = clock();
    fn();
    best = Math.min(best, clock() - t);
  } while (performance.now() - start < budgetMs);
  return best;
}

interface Op {
  name: string;
  flops: number;
  naive: () => void;
  fast: () => void;
  wasm: () => void;
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (v: number, digits = 2) => v.toFixed(digits).padStart(9);

function report(title: string, ops: Op[], naiveBudget: number): { naive: number; fast: number; wasm: number } {
  console.log(`\n${title}`);
  const head = ['naive ms', 'GFLOP/s', 'js ms', 'GFLOP/s', 'wasm ms', 'GFLOP/s', 'wasm/js'].map((h) => h.padStart(9)).join('');
  console.log(`${pad('op', 34)}${head}`);
  let [naiveSum, fastSum, wasmSum] = [0, 0, 0];
  for (const op of ops) {
    const tn = time(op.naive, naiveBudget);
    const tf = time(op.fast);
    const tw = time(op.wasm);
    naiveSum += tn;
    fastSum += tf;
    wasmSum += tw;
    const gf = (t: number) => (op.flops ? num(op.flops / t / 1e6) : '        -');
    console.log(`${pad(op.name, 34)}${num(tn)}${gf(tn)}${num(tf)}${gf(tf)}${num(tw)}${gf(tw)}${num(tf / tw, 1)}x`);
  }
  console.log(`${pad('total', 34)}${num(naiveSum)}${''.padStart(9)}${num(fastSum)}${''.padStart(9)}${num(wasmSum)}${''.padStart(9)}${num(fastSum / wasmSum, 1)}x`);
  return { naive: naiveSum, fast: fastSum, wasm: wasmSum };
}

function gemmOp(name: string, m: number, n: number, k: number, transA: boolean, transB: boolean): Op {
  const a = random(m * k);
  const b = random(k * n);
  const c = new Float32Array(m * n);
  const [wa, wb, wc] = [wasmArray(a), wasmArray(b), wasmArray(c)];
  return {
    name: `${name} [${m}x${k}]·[${k}x${n}]`,
    flops: 2 * m * n * k,
    naive: () => matmul(a, b, { m, n, k, transA, transB }),
    fast: () => gemm(a, b, c, m, n, k, { transA, transB }),
    wasm: () => wk.gemm(wa.view, wb.view, wc.view, m, n, k, { transA, transB }),
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
  const [wx, ww, wbias, wy, wdy, wdx, wdw] = [x, w, bias, y, dy, dx, dw].map(wasmArray);
  const ops: Op[] = [
    {
      name: `${name} forward`,
      flops,
      naive: () => refConv.conv2dForward(x, w, bias, g, cin, cout, 'relu'),
      fast: () => conv2dForward(x, w, bias, y, g, cin, cout, 'relu'),
      wasm: () => wk.conv2dForward(wx.view, ww.view, wbias.view, wy.view, g, cin, cout, 'relu'),
    },
  ];
  if (!first) {
    ops.push({
      name: `${name} grad input`,
      flops,
      naive: () => refConv.conv2dGradInput(dy, w, g, cin, cout),
      fast: () => conv2dGradInput(dy, w, dx, g, cin, cout),
      wasm: () => wk.conv2dGradInput(wdy.view, ww.view, wdx.view, g, cin, cout),
    });
  }
  ops.push({
    name: `${name} grad filter`,
    flops,
    naive: () => refConv.conv2dGradFilter(x, dy, g, cin, cout),
    fast: () => conv2dGradFilter(x, dy, dw, g, cin, cout),
    wasm: () => wk.conv2dGradFilter(wx.view, wdy.view, wdw.view, g, cin, cout),
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
  const [wx, wy, wdy, wdx] = [x, y, dy, dx].map(wasmArray);
  const wargmax = new ArenaArray<Uint32Array>(wk.arena, y.length, 'uint32');
  return [
    {
      name: `${name} forward+backward`,
      wasm: () => {
        wk.maxPool2dForward(wx.view, wy.view, wargmax.view, g, c);
        wk.maxPool2dBackward(wdy.view, wargmax.view, wdx.view, x.length);
      },
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
  const wact = act.map(({ y, dy }) => ({ y: wasmArray(y), dy: wasmArray(dy) }));
  const [wdys, wdb] = [dys.map(wasmArray), db.map(wasmArray)];
  return {
    wasm: () => {
      for (const { y, dy } of wact) wk.activationGrad(dy.view, y.view, dy.view, 'relu');
      channels.forEach((c, i) => wk.biasGrad(wdys[i].view, wdb[i].view, c));
    },
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
  const wparams = params.map(({ w, g, slots }) => ({ w: wasmArray(w), g: wasmArray(g), slots: wasmArray(slots) }));
  const wasm = () => {
    softmaxCrossEntropy(logits, labels, 10);
    optimizerStep(state, ADAM_DEFAULTS);
    for (const { w, g, slots } of wparams) wk.adamUpdate(w.view, g.view, slots.view, state.alpha, ADAM_DEFAULTS);
  };
  return { name: 'loss + Adam (wasm: Adam kernel)', flops: 0, naive: run, fast: run, wasm };
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

if (!stepOnly) opTables();

function opTables(): void {
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
  const rate = (ms: number) => (batch / ms * 1000).toFixed(1);
  console.log(`samples/s (sum of the ops): naive ${rate(t.naive)}, js ${rate(t.fast)}, wasm ${rate(t.wasm)}`);
}
}


/** One compiled training step of the seed CNN (forward, backward, Adam) on a CpuEngine. */
async function engineStep(kernels: 'js' | 'wasm', batch: number, threads = 1): Promise<{ run: () => void; engine: CpuEngine }> {
  const m = seedCnn();
  m.initializeWeights(1);
  const engine = new CpuEngine(kernels === 'js' ? { kernels } : { kernels, threads });
  await Trainer.compile(m, engine, { optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const n = 256;
  const data = { data: Uint8Array.from({ length: n * 784 }, (_, i) => (i * 37) % 256), shape: [n, 28, 28, 1], scale: 1 / 255 };
  const labels = { data: Uint8Array.from({ length: n }, (_, i) => i % 10), shape: [n] };
  await engine.attach({ inputs: [data], targets: [labels] });
  const program = buildProgram(m, paramLayout(m), { batch, training: true, losses: [{ kind: 'sparse_categorical_crossentropy', weight: 1, accuracy: true }], update: true });
  const step = await engine.compile(program);
  const indices = Uint32Array.from({ length: batch }, (_, i) => (i * 7) % n);
  return { run: () => step.run(indices), engine };
}

console.log(`\nWhole training step through CpuEngine (seed CNN, Adam), kernels interleaved; best wall ms of rounds (threads: CPU time would add up every thread's; wasm ×${THREADS}: ${THREADS} threads)`);
for (const batch of quick ? [32] : [32, 128]) {
  const steps = { js: await engineStep('js', batch), wasm: await engineStep('wasm', batch, 1), wasmN: await engineStep('wasm', batch, THREADS) };
  const kinds = ['js', 'wasm', 'wasmN'] as const;
  const best = { js: Infinity, wasm: Infinity, wasmN: Infinity };
  for (let round = 0; round < 3; round++) {
    for (const k of kinds) best[k] = Math.min(best[k], time(steps[k].run, 1500, () => performance.now()));
  }
  for (const k of kinds) steps[k].engine.dispose();
  const rate = (ms: number) => (batch / ms * 1000).toFixed(1);
  const cell = (k: (typeof kinds)[number]) => `${best[k].toFixed(2)} ms (${rate(best[k])} samples/s)`;
  console.log(`batch ${batch}: js ${cell('js')}, wasm 1 thread ${cell('wasm')}, wasm ${THREADS} threads ${cell('wasmN')}; ${(best.wasm / best.wasmN).toFixed(2)}x of 1 thread`);
}
