// The arena: allocations are aligned and disjoint, freed blocks are reused and merged, growth bumps
// the generation and ArenaArray views follow it with their contents intact.
import { describe, expect, it } from 'vitest';
import { ArenaArray, ARENA_BASE, WasmArena } from './memory';

describe('WasmArena', () => {
  it('hands out aligned, disjoint blocks above the module area, and reuses freed ones', () => {
    const a = new WasmArena(new WebAssembly.Memory({ initial: 1 }));
    const x = a.alloc(10);
    const y = a.alloc(100);
    expect(x).toBe(ARENA_BASE);
    expect(y % 64).toBe(0);
    expect(y).toBeGreaterThanOrEqual(x + 10);
    a.release(x, 10);
    expect(a.alloc(8)).toBe(x);
  });

  it('merges freed neighbours so a larger block fits where two small ones were', () => {
    const a = new WasmArena(new WebAssembly.Memory({ initial: 1 }));
    const [x, y] = [a.alloc(64), a.alloc(64)];
    a.alloc(64); // keeps x and y from merging into the top
    a.release(x, 64);
    a.release(y, 64);
    expect(a.alloc(128)).toBe(x);
  });

  it('grows on demand, bumping the generation; ArenaArray views follow with their data', () => {
    const a = new WasmArena(new WebAssembly.Memory({ initial: 1 }));
    const arr = new ArenaArray<Float32Array>(a, 1000, 'float32');
    arr.view.set([1, 2, 3]);
    const before = a.generation;
    const old = arr.view;
    const big = new ArenaArray<Float32Array>(a, 1 << 20, 'float32');
    expect(a.generation).toBeGreaterThan(before);
    expect(old.length).toBe(0); // a plain memory's old views are detached
    expect(Array.from(arr.view.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(big.view.length).toBe(1 << 20);
    expect(a.ptrOf(arr.view)).toBe(arr.at);
    expect(a.ptrOf(new Float32Array(4))).toBe(-1);
  });

  it('drops temporaries after each op', () => {
    const a = new WasmArena(new WebAssembly.Memory({ initial: 1 }));
    const t = a.temp(1000);
    a.endTemps();
    expect(a.temp(1000)).toBe(t);
  });
});
