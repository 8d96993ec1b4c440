// The layer contract on WebGPU, for every class in the registry (see src/model/layers/contract.test.ts
// for the CPU side): the layer alone executes to its inferred output shape with the outputs of the
// CPU reference engine, and the gradients of every weight of the small model holding it agree.
// Classes without kernels yet (registry entry kernels: 'none') are left out.
import { CpuEngine } from '../../src/model/train/cpuEngine';
import { referenceOps } from '../../src/model/train/cpuOps';
import { GpuEngine } from '../../src/model/train/gpuEngine';
import { assertClose } from '../util/check';
import { contractCase, contractClasses, executable, inferredSize, predictOn } from '../util/layerContract';
import { gradientsAgree } from './compare';
import { gpuTest } from './harness';

const BATCH = 5;

for (const className of contractClasses().filter(executable)) {
  gpuTest(`contract: ${className} executes to its inferred shape with the CPU reference's outputs on WebGPU`, async () => {
    const c = contractCase(className, BATCH, 2);
    const gpu = await GpuEngine.create();
    const [onGpu] = await predictOn(gpu, c.bare, c.data);
    gpu.dispose();
    const [onCpu] = await predictOn(new CpuEngine(referenceOps), c.bare, c.data);
    if (onGpu.length !== inferredSize(c, BATCH)) throw new Error(`${className}: ${onGpu.length} values executed, ${inferredSize(c, BATCH)} inferred`);
    assertClose(onGpu, onCpu, { atol: 1e-5, rtol: 1e-4 }, `${className} output, WebGPU vs CPU reference`);
  });

  gpuTest(`contract: ${className} gradients of a model holding it, WebGPU vs CPU reference`, async () => {
    const c = contractCase(className, BATCH, 3);
    await gradientsAgree(c.model, c.data, c.losses, BATCH);
  });
}
