// Reuses freed GPU buffers: free lists keyed by usage and size class, so a training loop that
// frees and allocates the same sizes every step allocates nothing after the first one.
// Live counts and bytes are tracked so tests can prove memory stays flat.

export interface PoolStats {
  liveBuffers: number;
  liveBytes: number;
  freeBuffers: number;
  freeBytes: number;
}

/** Size classes: multiples of 256 bytes up to 64 KiB, then powers of two split in quarters. */
export function sizeClass(bytes: number): number {
  const b = Math.max(16, bytes);
  if (b <= 65536) return Math.ceil(b / 256) * 256;
  const pow = 2 ** Math.floor(Math.log2(b));
  const quarter = pow / 4;
  return Math.ceil(b / quarter) * quarter;
}

export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private readonly live = new Set<GPUBuffer>();
  private liveBytes = 0;
  private freeBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly maxBufferSize: number,
  ) {}

  acquire(bytes: number, usage: GPUBufferUsageFlags, label?: string): GPUBuffer {
    const size = sizeClass(bytes);
    if (size > this.maxBufferSize) {
      throw new RangeError(
        `A buffer of ${bytes} bytes exceeds this adapter's maxBufferSize (${this.maxBufferSize} bytes). Use a smaller batch or model.`,
      );
    }
    const key = `${usage}:${size}`;
    const list = this.free.get(key);
    let buffer = list?.pop();
    if (buffer) {
      this.freeBytes -= size;
    } else {
      buffer = this.device.createBuffer({ size, usage, label });
    }
    this.live.add(buffer);
    this.liveBytes += size;
    return buffer;
  }

  release(buffer: GPUBuffer): void {
    if (!this.live.delete(buffer)) throw new Error('BufferPool.release: buffer is not live in this pool (released twice?)');
    this.liveBytes -= buffer.size;
    const key = `${buffer.usage}:${buffer.size}`;
    const list = this.free.get(key) ?? [];
    list.push(buffer);
    this.free.set(key, list);
    this.freeBytes += buffer.size;
  }

  /** Destroys every free buffer (live ones stay). */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.freeBytes = 0;
  }

  stats(): PoolStats {
    let freeBuffers = 0;
    for (const list of this.free.values()) freeBuffers += list.length;
    return { liveBuffers: this.live.size, liveBytes: this.liveBytes, freeBuffers, freeBytes: this.freeBytes };
  }
}
