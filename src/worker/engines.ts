// Choosing the training engine: WebGPU when asked for and present, the CPU engine otherwise.
// The GPU engine is loaded lazily through import.meta.glob, so the page works (on the CPU)
// in a build where src/model/train/gpuEngine.ts is absent, and WebGPU code loads only when used.

import { requestDevice } from '../gpu/device.ts';
import { CpuEngine } from '../model/train/cpuEngine.ts';
import type { Engine } from '../model/train/engine.ts';
import type { EngineChoice } from './settings.ts';

type GpuModule = { GpuEngine?: { create?: () => Promise<Engine> } };
const gpuModules = import.meta.glob<GpuModule>('../model/train/gpuEngine.ts');

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

export async function createEngine(choice: EngineChoice, probe: WebGpuProbe): Promise<ChosenEngine> {
  if (choice === 'cpu') return { engine: new CpuEngine() };
  if (!probe.ok) return { engine: new CpuEngine(), note: `WebGPU is unavailable, so training runs on the CPU. ${probe.reason}` };
  const load = Object.values(gpuModules)[0];
  const create = load ? (await load()).GpuEngine?.create : undefined;
  if (!create) return { engine: new CpuEngine(), note: 'This build has no WebGPU training engine yet, so training runs on the CPU.' };
  return { engine: await create() };
}
