// The GPU runtime: tensors from a buffer pool, cached pipelines, prepared dispatches (pipeline +
// bind group + uniforms, built once and replayed every step), recording many dispatches into one
// command encoder, and explicit asynchronous reads. Nothing here reads back inside a step.
import { BufferPool, type PoolStats } from './bufferPool';
import { DeviceLostError, requestDevice, type GpuDevice } from './device';
import type { KernelDef } from './kernel';
import { PipelineCache } from './pipelineCache';
import { shapeString, sizeOf, type DType, type GpuTensor } from './tensor';

export type Workgroups = readonly [number, number, number];

/** A kernel bound to its buffers and uniforms, ready to be recorded any number of times. */
export interface Dispatch {
  readonly kernel: KernelDef;
  readonly pipeline: GPUComputePipeline;
  readonly bindGroup: GPUBindGroup;
  readonly workgroups: Workgroups;
  readonly uniform: GPUBuffer | null;
}

const TENSOR_USAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
const UNIFORM_USAGE = GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST;

function lostError(info: GPUDeviceLostInfo): DeviceLostError {
  const reason = info.reason === 'destroyed' ? 'it was destroyed' : 'the driver or the browser reset it';
  return new DeviceLostError(`The GPU device was lost (${reason}${info.message ? `: ${info.message}` : ''}).`);
}

export class GpuRuntime {
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  /** Resolves when the device is lost (it never comes back: create a new runtime). */
  readonly lost: Promise<GPUDeviceLostInfo>;
  private lostInfo: GPUDeviceLostInfo | null = null;

  private constructor(
    readonly device: GPUDevice,
    readonly adapterName: string,
    readonly limits: GPUSupportedLimits,
    /** The adapter's identity for tuning records (tuning.ts adapterKey). */
    readonly adapterKey: string = adapterName,
  ) {
    this.pool = new BufferPool(device, limits.maxBufferSize);
    this.pipelines = new PipelineCache(device);
    this.lost = device.lost.then((info) => (this.lostInfo = info));
  }

  get isLost(): boolean {
    return this.lostInfo !== null;
  }

  static async create(): Promise<GpuRuntime> {
    const { device, adapterName, limits, adapterKey }: GpuDevice = await requestDevice();
    return new GpuRuntime(device, adapterName, limits, adapterKey);
  }

  // ---- tensors ----

  tensor(shape: readonly number[], dtype: DType = 'float32', label?: string): GpuTensor {
    const size = sizeOf(shape);
    const bytes = size * 4;
    this.checkBindingSize(bytes, label ?? `tensor ${shapeString(shape)}`);
    return { buffer: this.pool.acquire(bytes, TENSOR_USAGE, label), shape: [...shape], dtype, size };
  }

  upload(data: Float32Array | Uint32Array, shape: readonly number[] = [data.length], label?: string): GpuTensor {
    if (sizeOf(shape) !== data.length) {
      throw new Error(`upload: shape ${shapeString(shape)} holds ${sizeOf(shape)} elements but the data has ${data.length}`);
    }
    const t = this.tensor(shape, data instanceof Uint32Array ? 'uint32' : 'float32', label);
    this.write(t, data);
    return t;
  }

  write(t: GpuTensor, data: Float32Array | Uint32Array, elementOffset = 0): void {
    this.device.queue.writeBuffer(t.buffer, (t.offset ?? 0) + elementOffset * 4, data.buffer, data.byteOffset, data.byteLength);
  }

  release(t: GpuTensor): void {
    if (t.offset !== undefined) throw new Error('release: a view is released with the tensor it views');
    this.pool.release(t.buffer);
  }

  stats(): PoolStats {
    return this.pool.stats();
  }

  /** Reads a tensor back to the CPU. Asynchronous: call it outside a step, at the caller's choice. */
  async read(t: GpuTensor): Promise<Float32Array>;
  async read(t: GpuTensor & { dtype: 'uint32' }): Promise<Uint32Array>;
  async read(t: GpuTensor): Promise<Float32Array | Uint32Array> {
    const bytes = t.size * 4;
    const staging = this.device.createBuffer({ size: Math.max(4, bytes), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(t.buffer, t.offset ?? 0, staging, 0, bytes);
    this.device.queue.submit([encoder.finish()]);
    try {
      await staging.mapAsync(GPUMapMode.READ);
    } catch (e) {
      throw (await this.lostError()) ?? e;
    }
    const copy = staging.getMappedRange(0, bytes).slice(0);
    staging.destroy();
    return t.dtype === 'uint32' ? new Uint32Array(copy) : new Float32Array(copy);
  }

  // ---- dispatches ----

  /** Builds a dispatch once: pipeline from the cache, a bind group over the tensors, its uniforms. */
  async prepare(
    kernel: KernelDef,
    tensors: readonly (GpuTensor | GPUBuffer)[],
    uniforms: ArrayBuffer | null,
    workgroups: Workgroups,
  ): Promise<Dispatch> {
    const { pipeline, layout } = await this.pipelines.get(kernel);
    this.checkWorkgroups(kernel, workgroups);
    // Tensors bind exactly their own range, so views into packed buffers work like tensors.
    const resources: GPUBufferBinding[] = tensors.map((t) =>
      'buffer' in t ? { buffer: t.buffer, offset: t.offset ?? 0, size: Math.max(4, t.size * 4) } : { buffer: t },
    );
    let uniform: GPUBuffer | null = null;
    if (uniforms) {
      uniform = this.pool.acquire(uniforms.byteLength, UNIFORM_USAGE, `${kernel.name} uniforms`);
      this.device.queue.writeBuffer(uniform, 0, uniforms);
      resources.push({ buffer: uniform });
    }
    if (resources.length !== kernel.bindings.length) {
      throw new Error(`Kernel '${kernel.name}' takes ${kernel.bindings.length} bindings but got ${resources.length}`);
    }
    const bindGroup = this.device.createBindGroup({
      label: kernel.name,
      layout,
      entries: resources.map((resource, binding) => ({ binding, resource })),
    });
    return { kernel, pipeline, bindGroup, workgroups, uniform };
  }

  /** Changes a prepared dispatch's uniforms (e.g. Adam's step counter) before the next submit. */
  setUniforms(d: Dispatch, uniforms: ArrayBuffer): void {
    if (!d.uniform) throw new Error(`Kernel '${d.kernel.name}' has no uniforms`);
    this.device.queue.writeBuffer(d.uniform, 0, uniforms);
  }

  /** Records dispatches into one compute pass of an encoder. WebGPU orders their reads and writes. */
  record(encoder: GPUCommandEncoder, dispatches: readonly Dispatch[]): void {
    const pass = encoder.beginComputePass();
    for (const d of dispatches) {
      pass.setPipeline(d.pipeline);
      pass.setBindGroup(0, d.bindGroup);
      pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
    }
    pass.end();
  }

  /** Records the dispatches into one command encoder and submits it. */
  submit(dispatches: readonly Dispatch[]): void {
    // A lost device silently ignores work: say so at once instead of at the next read.
    if (this.lostInfo) throw lostError(this.lostInfo);
    const encoder = this.device.createCommandEncoder();
    this.record(encoder, dispatches);
    this.device.queue.submit([encoder.finish()]);
  }

  dispose(d: Dispatch): void {
    if (d.uniform) this.pool.release(d.uniform);
  }

  /** One-off: prepare, submit, dispose. For tests and rarely used ops. */
  async run(kernel: KernelDef, tensors: readonly (GpuTensor | GPUBuffer)[], uniforms: ArrayBuffer | null, workgroups: Workgroups): Promise<void> {
    const d = await this.prepare(kernel, tensors, uniforms, workgroups);
    this.submit([d]);
    this.dispose(d);
  }

  /**
   * A DeviceLostError when a failed read was caused by losing the device. The read can reject
   * a moment before `device.lost` resolves, so this waits for it briefly.
   */
  private async lostError(): Promise<DeviceLostError | null> {
    const info = await Promise.race([this.lost, new Promise<null>((r) => setTimeout(() => r(null), 200))]);
    return info ? lostError(info) : null;
  }

  /** Waits until the GPU has finished everything submitted so far. */
  async finish(): Promise<void> {
    await this.device.queue.onSubmittedWorkDone();
  }

  // ---- limits ----

  /** Workgroup counts for `n` invocations of `wgSize`, folded into y when x would exceed the limit. */
  grid(n: number, wgSize: number): Workgroups {
    const groups = Math.max(1, Math.ceil(n / wgSize));
    const maxX = this.limits.maxComputeWorkgroupsPerDimension;
    if (groups <= maxX) return [groups, 1, 1];
    const y = Math.ceil(groups / maxX);
    if (y > maxX) throw new RangeError(`${n} invocations exceed maxComputeWorkgroupsPerDimension (${maxX}) squared`);
    return [maxX, y, 1];
  }

  checkBindingSize(bytes: number, what: string, advice = 'Use a smaller batch size or layer.'): void {
    const max = this.limits.maxStorageBufferBindingSize;
    if (bytes > max) {
      throw new RangeError(`${what} needs ${bytes} bytes, over this adapter's maxStorageBufferBindingSize (${max} bytes). ${advice}`);
    }
  }

  private checkWorkgroups(kernel: KernelDef, wg: Workgroups): void {
    const max = this.limits.maxComputeWorkgroupsPerDimension;
    if (wg.some((n) => n > max || n < 0 || !Number.isInteger(n))) {
      throw new RangeError(`Kernel '${kernel.name}' dispatch [${wg.join(', ')}] exceeds maxComputeWorkgroupsPerDimension (${max})`);
    }
  }
}
