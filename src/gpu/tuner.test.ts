// The tuner's logic with a fake device: a clock that says how long each variant takes.
import { describe, expect, it } from 'vitest';
import type { Dispatch } from './runtime';
import type { GpuTensor } from './tensor';
import { AUTO_MIN_WORK, Tuner, type TunerDevice } from './tuner';
import { adapterKey, pickVariant, type Tunable } from './tuning';
import { MemoryTuningStore } from './tuningStores';

/** A device whose clock reads each dispatch's (fake) kernel name from `ms`; counts timings and live scratch. */
function fakeDevice(ms: Record<string, number>, adapter = 'vendor|arch|dev|desc||') {
  const calls: { variant: string; reps: number }[] = [];
  let live = 0;
  const device: TunerDevice = {
    adapter,
    scratch: (shape, dtype) => {
      live++;
      return { buffer: {} as GPUBuffer, shape: [...shape], dtype, size: shape.reduce((a, b) => a * b, 1) };
    },
    release: () => void live--,
    dispose: () => undefined,
    time: async (dispatches, reps) => {
      const variant = dispatches[0].kernel.name;
      calls.push({ variant, reps });
      return ms[variant];
    },
  };
  return { device, calls, live: () => live };
}

function tunable(variants: string[], signature = '[3,5,7,16]', op = 'conv2d.forward'): Tunable & { prepared: { variant: string; scratch: boolean }[] } {
  const prepared: { variant: string; scratch: boolean }[] = [];
  const live: GpuTensor = { buffer: {} as GPUBuffer, shape: [3, 5, 7, 16], dtype: 'float32', size: 1680 };
  return {
    op,
    signature,
    variants,
    work: 2 ** 24,
    tensors: [live],
    prepared,
    prepare: async (variant, tensors, scratch) => {
      scratch([4]);
      prepared.push({ variant, scratch: tensors[0] !== live });
      return [{ kernel: { name: variant } } as Dispatch];
    },
  };
}

describe('Tuner', () => {
  it('times every variant on scratch copies, picks the fastest and prepares it over the live tensors', async () => {
    const { device, calls, live } = fakeDevice({ '8x8': 3, vec4: 1, generic: 2 });
    const t = tunable(['8x8', 'vec4', 'generic']);
    const { choice } = await new Tuner(device, 'auto', new MemoryTuningStore()).prepare(t, () => device.scratch([1], 'float32'));
    expect(choice).toMatchObject({ variant: 'vec4', ms: 1, times: { '8x8': 3, vec4: 1, generic: 2 }, cached: false });
    expect(new Set(calls.map((c) => c.variant))).toEqual(new Set(['8x8', 'vec4', 'generic']));
    // Timing ran on copies; only the final prepare saw the live tensors.
    expect(t.prepared.slice(0, 3).every((p) => p.scratch)).toBe(true);
    expect(t.prepared[3]).toEqual({ variant: 'vec4', scratch: false });
    // The copies and the timed variants' internal scratch are released; the chosen one's is the caller's.
    expect(live()).toBe(1);
  });

  it('drops a candidate after one trial when it is clearly slower in auto, never in exhaustive', async () => {
    const slow = fakeDevice({ a: 1, b: 10 });
    await new Tuner(slow.device, 'auto', new MemoryTuningStore()).choose(tunable(['a', 'b']));
    expect(slow.calls.filter((c) => c.variant === 'b')).toHaveLength(2); // warm-up + one trial
    const full = fakeDevice({ a: 1, b: 10 });
    await new Tuner(full.device, 'exhaustive', new MemoryTuningStore()).choose(tunable(['a', 'b']));
    expect(full.calls.filter((c) => c.variant === 'b')).toHaveLength(8); // warm-up + 7 trials
  });

  it('sizes repetitions from the warm-up run', async () => {
    const { device, calls } = fakeDevice({ a: 0.1, b: 5 });
    await new Tuner(device, 'auto', new MemoryTuningStore()).choose(tunable(['a', 'b']));
    expect(calls.filter((c) => c.variant === 'a').map((c) => c.reps)).toEqual([1, 20, 20, 20]);
    expect(calls.filter((c) => c.variant === 'b').map((c) => c.reps)).toEqual([1, 1]);
  });

  it('a cache hit times nothing; exhaustive re-times once per tuner', async () => {
    const store = new MemoryTuningStore();
    const first = fakeDevice({ a: 2, b: 1 });
    expect((await new Tuner(first.device, 'auto', store).choose(tunable(['a', 'b']))).variant).toBe('b');
    const second = fakeDevice({ a: 2, b: 1 });
    const hit = await new Tuner(second.device, 'auto', store).choose(tunable(['a', 'b']));
    expect(hit).toMatchObject({ variant: 'b', ms: 1, cached: true });
    expect(second.calls).toHaveLength(0);
    // Exhaustive ignores the stored choice (the adapter got faster at 'a'), then keeps its own.
    const third = fakeDevice({ a: 0.5, b: 1 });
    const exhaustive = new Tuner(third.device, 'exhaustive', store);
    expect((await exhaustive.choose(tunable(['a', 'b']))).variant).toBe('a');
    const n = third.calls.length;
    expect((await exhaustive.choose(tunable(['a', 'b']))).cached).toBe(true);
    expect(third.calls).toHaveLength(n);
  });

  it("'off' never times and takes the default", async () => {
    const { device, calls } = fakeDevice({ a: 9, b: 1 });
    const choice = await new Tuner(device, 'off', new MemoryTuningStore()).choose(tunable(['a', 'b']));
    expect(choice).toEqual({ op: 'conv2d.forward', variant: 'a', cached: false });
    expect(calls).toHaveLength(0);
  });

  it("'auto' keeps the default for ops too small to matter; 'exhaustive' times them", async () => {
    const small = { ...tunable(['a', 'b']), work: AUTO_MIN_WORK - 1 };
    const auto = fakeDevice({ a: 2, b: 1 });
    expect((await new Tuner(auto.device, 'auto', new MemoryTuningStore()).choose(small)).variant).toBe('a');
    expect(auto.calls).toHaveLength(0);
    const exhaustive = fakeDevice({ a: 2, b: 1 });
    expect((await new Tuner(exhaustive.device, 'exhaustive', new MemoryTuningStore()).choose(small)).variant).toBe('b');
  });

});

describe('Tuner keys', () => {
  it('keys differ by adapter, by shape and by op', async () => {
    const store = new MemoryTuningStore();
    await new Tuner(fakeDevice({ a: 2, b: 1 }, 'nvidia|ada|||').device, 'auto', store).choose(tunable(['a', 'b']));
    const other = fakeDevice({ a: 1, b: 2 }, 'google|swiftshader|||');
    expect((await new Tuner(other.device, 'auto', store).choose(tunable(['a', 'b']))).variant).toBe('a');
    const shape = fakeDevice({ a: 1, b: 2 }, 'nvidia|ada|||');
    expect((await new Tuner(shape.device, 'auto', store).choose(tunable(['a', 'b'], '[1,5,7,16]'))).variant).toBe('a');
    const op = fakeDevice({ a: 1, b: 2 }, 'nvidia|ada|||');
    expect((await new Tuner(op.device, 'auto', store).choose(tunable(['a', 'b'], '[3,5,7,16]', 'matmul'))).variant).toBe('a');
    expect(Object.keys(store.entries())).toHaveLength(4);
  });

  it('a stored variant no longer valid here is timed again; a single variant is never timed', async () => {
    const store = new MemoryTuningStore();
    const { device, calls } = fakeDevice({ a: 2, b: 1, c: 3 });
    await store.put('vendor|arch|dev|desc||#conv2d.forward#[3,5,7,16]', { variant: 'gone', ms: 1, times: {} });
    expect((await new Tuner(device, 'auto', store).choose(tunable(['a', 'b', 'c']))).variant).toBe('b');
    const n = calls.length;
    expect((await new Tuner(device, 'auto', store).choose(tunable(['c'], 'other'))).variant).toBe('c');
    expect(calls).toHaveLength(n);
  });
});

describe('variant lists', () => {
  const list = [
    { name: 'wide', valid: (c: number) => c % 4 === 0 },
    { name: 'plain', valid: () => true },
  ];
  it('picks the first valid by default and rejects invalid or unknown names clearly', () => {
    expect(pickVariant('op', list, 8, 'C 8').name).toBe('wide');
    expect(pickVariant('op', list, 3, 'C 3').name).toBe('plain');
    expect(() => pickVariant('op', list, 3, 'C 3', 'wide')).toThrow("op: variant 'wide' is not valid for C 3 (valid: plain)");
    expect(() => pickVariant('op', list, 3, 'C 3', 'nope')).toThrow(/variant 'nope' is unknown/);
  });

  it('adapter keys hold every identifying field, driver included', () => {
    expect(adapterKey({ vendor: 'nvidia', architecture: 'ada', device: '', description: 'RTX', driver: '550' })).toBe('nvidia|ada||RTX|550|');
  });
});
