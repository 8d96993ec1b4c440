// Tuning on the real adapter: a program compiled with 'exhaustive' (every variant timed, the
// fastest kept) trains as one compiled with 'off' (the defaults) within the kernels' tolerances;
// the timer measures; the IndexedDB store keeps records across stores and ignores foreign ones.
import { conv2dVariants } from '../../src/gpu/kernels/conv2d';
import { gpuTunerDevice } from '../../src/gpu/gpuTimer';
import type { GpuRuntime } from '../../src/gpu/runtime';
import { conv2dTunable } from '../../src/gpu/tunables';
import { Tuner } from '../../src/gpu/tuner';
import { TUNING_VERSION, type TuningMode } from '../../src/gpu/tuning';
import { IndexedDbTuningStore, MemoryTuningStore, TUNING_DB } from '../../src/gpu/tuningStores';
import { conv2dGeometry } from '../../src/ops/shapes';
import { layers, sequential, type Model } from '../../src/model/index';
import type { VariantRow } from '../../src/model/train/engine';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { buildProgram } from '../../src/model/train/plan';
import { assertClose, rng } from '../util/check';
import { packedWeights } from '../util/layerContract';
import { ADAM } from './compare';
import { gpuTest } from './harness';

/** Channel counts where several variants are valid: 3 -> 16 -> 16 convolutions, a tiling pool, dense layers. */
function cnn(): Model {
  const m = sequential({ seed: 11 });
  m.add(layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', padding: 'same', inputShape: [6, 6, 3] }));
  m.add(layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', padding: 'valid', strides: 1 }));
  m.add(layers.maxPooling2d({ poolSize: 2 }));
  m.add(layers.flatten());
  m.add(layers.dense({ units: 12, activation: 'relu' }));
  m.add(layers.dense({ units: 5, activation: 'softmax' }));
  return m;
}

const BATCH = 6;

/** Trains on the suite's runtime, so pipelines the variant tests compiled are reused (SwiftShader compiles slowly). */
async function train(rt: GpuRuntime, mode: TuningMode): Promise<{ params: Float32Array; variants: VariantRow[] }> {
  const m = cnn();
  const { layout, packed } = packedWeights(m);
  const engine = await GpuEngine.create(rt, { tuning: mode, tuningStore: new MemoryTuningStore() });
  await engine.init(layout, packed, ADAM);
  const r = rng(5);
  await engine.attach({
    inputs: [{ data: Uint8Array.from({ length: 12 * 108 }, () => Math.floor(r() * 256)), shape: [12, 6, 6, 3], scale: 1 / 255 }],
    targets: [{ data: Uint8Array.from({ length: 12 }, () => Math.floor(r() * 5)), shape: [12] }],
  });
  const losses = [{ kind: 'sparse_categorical_crossentropy' as const, weight: 1, accuracy: true }];
  const step = await engine.compile(buildProgram(m, layout, { batch: BATCH, training: true, losses }));
  for (let s = 0; s < 5; s++) step.run(Uint32Array.from({ length: BATCH }, (_, i) => (s * BATCH + i) % 12));
  const params = await engine.readParams();
  const variants = step.variants!();
  engine.dispose();
  return { params, variants };
}

gpuTest("tuning: 'exhaustive' times every variant and trains as 'off' does", async (rt) => {
  const off = await train(rt, 'off');
  const exhaustive = await train(rt, 'exhaustive');
  assertClose(exhaustive.params, off.params, { atol: 1e-4, rtol: 1e-3 }, 'weights after 5 Adam steps');
  const ops = off.variants.map((v) => v.op).sort();
  for (const op of ['conv2d.forward', 'conv2d.grad_filter', 'conv2d.grad_input', 'matmul', 'matmul.tA', 'matmul.tB', 'maxpool2d.backward']) {
    if (!ops.includes(op)) throw new Error(`no heavy instruction of op ${op} among ${ops.join(', ')}`);
  }
  if (off.variants.some((v) => v.ms !== undefined)) throw new Error("'off' timed something");
  const timed = exhaustive.variants.filter((v) => v.times && Object.keys(v.times).length > 1);
  // Every op with more than one valid variant was timed on each, and the fastest chosen.
  if (timed.length < 6) throw new Error(`only ${timed.length} instructions had several variants timed: ${JSON.stringify(exhaustive.variants)}`);
  for (const v of timed) {
    const times = Object.values(v.times!);
    if (!times.every((t) => t > 0 && Number.isFinite(t))) throw new Error(`bad times for ${v.label}: ${JSON.stringify(v.times)}`);
    if (v.ms !== Math.min(...times)) throw new Error(`${v.label} chose ${v.variant} (${v.ms} ms), not the fastest of ${JSON.stringify(v.times)}`);
  }
});

gpuTest("tuning: 'auto' on a seed-CNN-sized conv times its variants once, then hits the cache", async (rt) => {
  const g = conv2dGeometry([2, 14, 14, 32], [3, 3, 32, 64], { strides: [1, 1], padding: 'same' });
  const [x, w, y] = [rt.tensor([2, 14, 14, 32]), rt.tensor([3, 3, 32, 64]), rt.tensor([2, 14, 14, 64])];
  const store = new MemoryTuningStore();
  const tuner = new Tuner(gpuTunerDevice(rt), 'auto', store);
  const first = await tuner.choose(conv2dTunable(rt, x, w, null, y, g, 'relu'));
  const listed = conv2dVariants(32, 64).length;
  if (first.cached || Object.keys(first.times ?? {}).length !== listed) throw new Error(`expected ${listed} timed variants: ${JSON.stringify(first)}`);
  const again = await tuner.choose(conv2dTunable(rt, x, w, null, y, g, 'relu'));
  if (!again.cached || again.variant !== first.variant) throw new Error(`expected a cache hit: ${JSON.stringify(again)}`);
  [x, w, y].forEach((t) => rt.release(t));
});

gpuTest('tuning: the IndexedDB store keeps records for a later store and ignores foreign versions', async () => {
  const key = `test|${Math.random()}#conv2d.forward#[1]`;
  const record = { variant: 'vec4', ms: 1.5, times: { '8x8': 2, vec4: 1.5 } };
  await new IndexedDbTuningStore(new MemoryTuningStore()).put(key, record);
  const later = await new IndexedDbTuningStore(new MemoryTuningStore()).get(key);
  assertClose([later?.ms ?? NaN], [1.5], { atol: 0, rtol: 0 }, 'ms read back');
  if (later?.variant !== 'vec4') throw new Error(`read back ${JSON.stringify(later)}`);
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(TUNING_DB);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('choices', 'readwrite');
    tx.objectStore('choices').put({ key, version: TUNING_VERSION + 1, record });
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error);
  });
  db.close();
  const warnings: string[] = [];
  const foreign = await new IndexedDbTuningStore(new MemoryTuningStore(), (w) => warnings.push(w)).get(key);
  if (foreign !== undefined || warnings.length !== 1) throw new Error(`a foreign record was read (${JSON.stringify(foreign)}), warnings ${warnings.join('; ')}`);
});
