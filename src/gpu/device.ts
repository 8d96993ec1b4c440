// Getting a WebGPU device in a page or a Web Worker through navigator.gpu. When WebGPU is absent,
// the error says why and what to do.
import { adapterKey } from './tuning';

export class WebGpuUnavailableError extends Error {
  override name = 'WebGpuUnavailableError';
}

/** The GPU device is gone (driver reset, GPU process crash, device.destroy()); its buffers with it. */
export class DeviceLostError extends Error {
  override name = 'DeviceLostError';
}

export interface GpuDevice {
  device: GPUDevice;
  adapterName: string;
  /** The adapter's identity for tuning records (tuning.ts adapterKey). */
  adapterKey: string;
  limits: GPUSupportedLimits;
}

function findGpu(): GPU | undefined {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  return nav?.gpu;
}

/** The limits we ask for: the adapter's own maximums for the ones large tensors and kernels need. */
function wantedLimits(adapter: GPUAdapter): Record<string, number> {
  const names = [
    'maxStorageBufferBindingSize',
    'maxBufferSize',
    'maxComputeWorkgroupStorageSize',
    'maxComputeInvocationsPerWorkgroup',
    'maxComputeWorkgroupSizeX',
    'maxComputeWorkgroupSizeY',
    'maxStorageBuffersPerShaderStage',
  ] as const;
  const limits: Record<string, number> = {};
  for (const name of names) limits[name] = adapter.limits[name];
  return limits;
}

/** Requests an adapter and a device with the limits large tensors need. */
export async function requestDevice(): Promise<GpuDevice> {
  const gpu = findGpu();
  if (!gpu) {
    throw new WebGpuUnavailableError(
      'WebGPU is not available here: navigator.gpu is undefined. Use a browser with WebGPU ' +
        '(Chrome or Edge 113+, Safari 26+, Firefox 141+ on Windows), make sure the page is served ' +
        'over https or localhost, or choose the CPU engine.',
    );
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new WebGpuUnavailableError(
      'WebGPU is present but no GPU adapter was found (the GPU may be blocklisted or hardware ' +
        'acceleration is off). Enable hardware acceleration, update the graphics driver, or choose the CPU engine.',
    );
  }
  // Timestamp queries let the tuner time kernels on the GPU's clock; only asked for where offered.
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const device = await adapter.requestDevice({ requiredLimits: wantedLimits(adapter), requiredFeatures });
  const info = adapter.info;
  const adapterName = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown adapter';
  return { device, adapterName, adapterKey: adapterKey(info as unknown as Record<string, unknown>), limits: device.limits };
}
