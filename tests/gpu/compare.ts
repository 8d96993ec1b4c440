// The WebGPU engine against the CPU engine on the reference ops, for the executor and layer
// contract tests: same model, weights and batch; every weight's gradient and the metric sums agree.
import type { Model } from '../../src/model/index';
import { CpuEngine } from '../../src/model/train/cpuEngine';
import { referenceOps } from '../../src/model/train/cpuOps';
import type { DataSet, Engine, OptimizerConfig } from '../../src/model/train/engine';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { buildProgram, type OutputLoss } from '../../src/model/train/plan';
import { assertClose } from '../util/check';
import { packedWeights } from '../util/layerContract';

export const ADAM: OptimizerConfig = { kind: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

export async function engines(m: Model, data: DataSet, opt: OptimizerConfig) {
  const { layout, packed } = packedWeights(m);
  const gpu = await GpuEngine.create();
  const cpu = new CpuEngine(referenceOps);
  for (const e of [gpu, cpu] as Engine[]) {
    await e.init(layout, packed, opt);
    await e.attach(data);
  }
  return { layout, gpu, cpu };
}

export async function gradientsAgree(m: Model, data: DataSet, losses: OutputLoss[], batch: number): Promise<void> {
  const { layout, gpu, cpu } = await engines(m, data, ADAM);
  const program = buildProgram(m, layout, { batch, training: true, losses, update: false });
  const indices = Uint32Array.from({ length: batch }, (_, i) => (i * 7) % data.inputs[0].shape[0]);
  for (const e of [gpu, cpu] as Engine[]) (await e.compile(program)).run(indices);
  const [g, c] = [await gpu.readGrads(), await cpu.readGrads()];
  for (const e of layout.entries) {
    assertClose(g.subarray(e.offset, e.offset + e.size), c.subarray(e.offset, e.offset + e.size), { atol: 2e-5, rtol: 2e-3 }, `d ${e.layer}/${e.weight}`);
  }
  const [mg, mc] = [await gpu.readMetrics(), await cpu.readMetrics()];
  assertClose(mg.subarray(0, program.metrics.count), mc.subarray(0, program.metrics.count), { atol: 1e-4, rtol: 1e-4 }, 'metric sums');
  gpu.dispose();
}

