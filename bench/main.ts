// The benchmark page: hosts one contender (`?contender=tfjs-webgpu`) and lets the Node driver
// (scripts/bench.ts) set up workloads and time steps through `window.__bench`. Timing happens
// here, with performance.now(), so the driver's round trips are not counted.
import type { Contender, SetupOptions } from './contender';
import { CONTENDERS } from './contenders';

export interface BenchPage {
  status: 'loading' | 'ready' | 'error';
  error?: string;
  name: string;
  backend?: string;
  adapter?: string;
  /** Builds the workload; resolves with the milliseconds it took. */
  setup(opts: SetupOptions): Promise<number>;
  /** Runs `count` steps and resolves with each one's milliseconds. */
  run(count: number): Promise<number[]>;
  memory(): number | null;
  /** Ours only: the kernel variant of each heavy instruction of the workload set up. */
  variants(): { label: string; variant: string; ms?: number }[];
  lastLoss(): number | null;
  dispose(): void;
}

declare global {
  interface Window {
    __bench: BenchPage;
  }
}

async function adapterName(): Promise<string> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) return 'no WebGPU adapter';
  const { vendor, architecture, description } = adapter.info;
  return [vendor, architecture, description].filter(Boolean).join(' / ') || 'unknown adapter';
}

function benchPage(name: string): BenchPage {
  let contender: Contender | null = null;
  const loaded = (): Contender => {
    if (!contender) throw new Error(`contender ${name} is not loaded`);
    return contender;
  };
  const page: BenchPage = {
    status: 'loading',
    name,
    async setup(opts) {
      const start = performance.now();
      await loaded().setup(opts);
      return performance.now() - start;
    },
    async run(count) {
      const c = loaded();
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const start = performance.now();
        await c.step();
        times.push(performance.now() - start);
      }
      return times;
    },
    memory: () => loaded().memory?.() ?? null,
    variants: () => loaded().variants?.() ?? [],
    lastLoss: () => loaded().lastLoss?.() ?? null,
    dispose: () => loaded().dispose(),
  };
  const factory = CONTENDERS[name];
  const load = factory ? factory() : Promise.reject(new Error(`unknown contender '${name}'`));
  Promise.all([load, adapterName()]).then(
    ([c, adapter]) => {
      contender = c;
      page.backend = c.backend;
      page.adapter = adapter;
      page.status = 'ready';
    },
    (e: unknown) => {
      page.error = e instanceof Error ? e.message : String(e);
      page.status = 'error';
    },
  );
  return page;
}

window.__bench = benchPage(new URLSearchParams(location.search).get('contender') ?? '');
