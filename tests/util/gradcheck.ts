// End-to-end gradient check of a model: the gradient of the whole loss w.r.t. every weight, from
// the CPU engine's backward pass on the reference ops, against central finite differences of the
// loss (float64 perturbations of float32 weights).
import type { Model } from '../../src/model/index';
import { metricLogs } from '../../src/model/train/metricLogs';
import { CpuEngine } from '../../src/model/train/cpuEngine';
import { referenceOps } from '../../src/model/train/cpuOps';
import type { DataSet } from '../../src/model/train/engine';
import { buildProgram, paramLayout, type OutputLoss } from '../../src/model/train/plan';
import { randomArray, rng } from './check';

export async function checkGradients(m: Model, data: DataSet, losses: OutputLoss[], minChecked = 20): Promise<{ checked: number; kinks: number }> {
  const batch = data.inputs[0].shape[0];
  const layout = paramLayout(m);
  const packed = new Float32Array(layout.size);
  const byName = new Map(m.graphLayers.map((l) => [l.name, l]));
  for (const e of layout.entries) packed.set(byName.get(e.layer)!.weights[e.index].values, e.offset);
  // Zero-initialized biases put relu units of an all-zero input exactly on the kink, where the
  // one-sided derivative (0, as in TensorFlow) and the central difference (1/2) disagree.
  const noise = randomArray(layout.size, 99, -0.1, 0.1);
  for (let i = 0; i < packed.length; i++) packed[i] += noise[i];
  const engine = new CpuEngine(referenceOps);
  await engine.init(layout, packed, { kind: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false });
  await engine.attach(data);
  const step = await engine.compile(buildProgram(m, layout, { batch, training: true, losses, update: false }));
  const indices = Uint32Array.from({ length: batch }, (_, i) => i);
  const program = step.program;
  const loss = async (params: Float32Array): Promise<number> => {
    engine.writeParams(params);
    engine.resetMetrics();
    step.run(indices);
    const sums = await engine.readMetrics();
    // The logged loss, as Keras computes it: weighted output means plus any regularization penalty.
    return metricLogs(program.metrics, losses, sums).loss;
  };
  await loss(packed);
  const grads = await engine.readGrads();
  const eps = 1e-3;
  const r = rng(1);
  let checked = 0;
  let kinks = 0;
  const base = await loss(packed);
  for (const e of layout.entries) {
    // Non-trainable weights (moving statistics, adapted Normalization statistics) get no gradient by design.
    if (!e.trainable) continue;
    // Every element of small weights, a random sample of large ones.
    const picks = e.size <= 40 ? [...Array(e.size).keys()] : Array.from({ length: 40 }, () => Math.floor(r() * e.size));
    for (const k of picks) {
      const at = e.offset + k;
      const p = Float64Array.from(packed);
      p[at] = packed[at] + eps;
      const up = await loss(Float32Array.from(p));
      p[at] = packed[at] - eps;
      const down = await loss(Float32Array.from(p));
      const fd = (up - down) / (2 * eps);
      const tol = 2e-3 + 2e-2 * Math.abs(fd);
      // A relu or max-pool switch inside [w - eps, w + eps] makes the one-sided slopes disagree;
      // the central difference is meaningless there, so such a point is counted and skipped.
      if (Math.abs((up - base) / eps - (base - down) / eps) > 4 * tol) {
        kinks++;
        continue;
      }
      if (Math.abs(grads[at] - fd) > tol) {
        throw new Error(`${e.layer}/${e.weight}[${k}]: backward ${grads[at]}, finite difference ${fd}`);
      }
      checked++;
    }
  }
  if (kinks > Math.max(2, checked / 20)) throw new Error(`${kinks} kinks against ${checked} checked points: too many to trust the check`);
  if (checked <= minChecked) throw new Error(`only ${checked} points checked (more than ${minChecked} needed)`);
  return { checked, kinks };
}
