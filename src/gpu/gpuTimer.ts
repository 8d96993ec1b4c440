// The tuner's device side on a real GPU: zero-filled scratch tensors, and timing `reps` runs of a
// candidate's dispatches recorded in one compute pass. With the adapter's `timestamp-query`
// feature the pass's own timestamps measure it (the GPU's clock, no submit overhead); without
// it, the wall time from submit to onSubmittedWorkDone (the queue drained first).
import type { Dispatch, GpuRuntime } from './runtime';
import type { TunerDevice } from './tuner';
import type { GpuTensor } from './tensor';

const NS_PER_MS = 1e6;

function recordReps(pass: GPUComputePassEncoder, dispatches: readonly Dispatch[], reps: number): void {
  for (let r = 0; r < reps; r++) {
    for (const d of dispatches) {
      pass.setPipeline(d.pipeline);
      pass.setBindGroup(0, d.bindGroup);
      pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
    }
  }
  pass.end();
}

async function wallTime(rt: GpuRuntime, dispatches: readonly Dispatch[], reps: number): Promise<number> {
  await rt.finish();
  const encoder = rt.device.createCommandEncoder();
  recordReps(encoder.beginComputePass(), dispatches, reps);
  const start = performance.now();
  rt.device.queue.submit([encoder.finish()]);
  await rt.finish();
  return (performance.now() - start) / reps;
}

/** Times with the pass's timestamps; the query set and its buffers are made once per device. */
function timestampTimer(rt: GpuRuntime): TunerDevice['time'] {
  const querySet = rt.device.createQuerySet({ type: 'timestamp', count: 2 });
  const resolved = rt.device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
  const readback = rt.device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  return async (dispatches, reps) => {
    const encoder = rt.device.createCommandEncoder();
    const pass = encoder.beginComputePass({ timestampWrites: { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } });
    recordReps(pass, dispatches, reps);
    encoder.resolveQuerySet(querySet, 0, 2, resolved, 0);
    encoder.copyBufferToBuffer(resolved, 0, readback, 0, 16);
    rt.device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const [begin, end] = new BigUint64Array(readback.getMappedRange().slice(0));
    readback.unmap();
    const ms = Number(end - begin) / NS_PER_MS / reps;
    // Some drivers report 0 or wrap for very short passes: fall back to the wall clock then.
    return ms > 0 && Number.isFinite(ms) ? ms : wallTime(rt, dispatches, reps);
  };
}

/** The tuner's device for this runtime: timestamps where the device has them, the wall clock otherwise. */
export function gpuTunerDevice(rt: GpuRuntime): TunerDevice {
  const timer = rt.device.features.has('timestamp-query') ? timestampTimer(rt) : (d: readonly Dispatch[], reps: number) => wallTime(rt, d, reps);
  return {
    adapter: rt.adapterKey,
    scratch: (shape, dtype) => {
      const t: GpuTensor = rt.tensor(shape, dtype, 'tuning scratch');
      const encoder = rt.device.createCommandEncoder();
      encoder.clearBuffer(t.buffer, 0, t.size * 4);
      rt.device.queue.submit([encoder.finish()]);
      return t;
    },
    release: (t) => rt.release(t),
    dispose: (d) => rt.dispose(d),
    time: timer,
  };
}
