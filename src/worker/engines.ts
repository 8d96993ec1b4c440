// Creating a training engine: WebGPU when asked for and present, the CPU engine otherwise (the
// Auto choice between them is in autoEngine.ts).
// The GPU engine is imported lazily, so its kernels and shaders load only when WebGPU is used.

import { requestDevice } from '../gpu/device.ts';
import type { Engine } from '../model/train/engine.ts';
import { createCpuEngine } from './cpuEngineOptions.ts';
import type { EngineKind } from './settings.ts';

export type WebGpuProbe = { ok: true; adapter: string } | { ok: false; reason: string };

/** Whether WebGPU gives us a device here, and the adapter's name. */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  try {
    const { device, adapterName } = await requestDevice();
    device.destroy();
    return { ok: true, adapter: adapterName };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

export interface ChosenEngine {
  engine: Engine;
  /** Why the engine differs from the one asked for. */
  note?: string;
}

export async function createEngine(choice: EngineKind, probe: WebGpuProbe): Promise<ChosenEngine> {
  if (choice === 'cpu') return { engine: createCpuEngine() };
  if (!probe.ok) return { engine: createCpuEngine(), note: `WebGPU is unavailable, so training runs on the CPU. ${probe.reason}` };
  const { GpuEngine } = await import('../model/train/gpuEngine.ts');
  const { IndexedDbTuningStore } = await import('../gpu/tuningStores.ts');
  // Kernel choices timed on this adapter are kept across visits: the next run starts at once.
  return { engine: await GpuEngine.create(undefined, { tuning: 'auto', tuningStore: new IndexedDbTuningStore() }) };
}
