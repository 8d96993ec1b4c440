// Runs every registered GPU test in this page, one after another, on one runtime, and publishes
// the results on `window.__gpuTests` for the Node driver. `?grep=text` runs only matching tests.
import { GpuRuntime } from '../../src/gpu/runtime';
import { registry } from './harness';

export interface GpuTestResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

export interface GpuTestReport {
  adapter: string | null;
  fatal?: string;
  results: GpuTestResult[];
  done: boolean;
}

declare global {
  interface Window {
    __gpuTests: GpuTestReport;
  }
}

const report: GpuTestReport = { adapter: null, results: [], done: false };
window.__gpuTests = report;

async function main(): Promise<void> {
  import.meta.glob('./**/*.gpu.ts', { eager: true });
  const grep = new URLSearchParams(location.search).get('grep');
  let rt: GpuRuntime;
  try {
    rt = await GpuRuntime.create();
  } catch (e) {
    report.fatal = String(e instanceof Error ? e.message : e);
    return;
  }
  report.adapter = rt.adapterName;
  rt.device.addEventListener('uncapturederror', (ev) => {
    console.error(`uncaptured WebGPU error: ${(ev as GPUUncapturedErrorEvent).error.message}`);
  });
  for (const { name, fn } of registry) {
    if (grep && !name.includes(grep)) continue;
    const start = performance.now();
    rt.device.pushErrorScope('validation');
    let error: string | undefined;
    try {
      await fn(rt);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const gpuError = await rt.device.popErrorScope();
    if (gpuError && !error) error = `WebGPU validation error: ${gpuError.message}`;
    const result: GpuTestResult = { name, ok: !error, ms: performance.now() - start, error };
    report.results.push(result);
    console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${name} (${result.ms.toFixed(0)} ms)${error ? `\n     ${error}` : ''}`);
  }
}

main()
  .catch((e) => {
    report.fatal = String(e);
  })
  .finally(() => {
    report.done = true;
  });
