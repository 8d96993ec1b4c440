// The adapter the page trains on, or plainly why there is no WebGPU and what to do about it; and
// (under the training controls) the Auto engine's rate on each engine and which one trains.

import { useStore } from '../store/store.ts';

/** While Auto times the engines: which one; afterwards: both rates and the reason. */
export function AutoChoiceLine() {
  const choice = useStore((s) => s.autoChoice);
  const phase = useStore((s) => s.phase);
  const detail = useStore((s) => s.phaseDetail);
  if (!choice) {
    if (phase === 'compiling' && detail) return <p className="engine-choice muted" data-testid="engine-timing">{detail}</p>;
    return null;
  }
  // The reason names both rates (or why an engine has none); the attributes carry them exactly.
  const rates = Object.fromEntries(choice.timings.map((t) => [`data-rate-${t.kind}`, t.samplesPerSec ?? '']));
  return (
    <p className="engine-choice" data-testid="engine-choice" data-chosen={choice.chosen} {...rates}>
      Auto engine: <strong data-testid="engine-reason">{choice.reason}</strong>
    </p>
  );
}

export function EngineStatus() {
  const webgpu = useStore((s) => s.webgpu);
  const engine = useStore((s) => s.engine);
  if (webgpu.status === 'checking') return <p className="engine-status">Checking for WebGPU…</p>;
  if (webgpu.status === 'unavailable') {
    return (
      <div className="notice warning" role="alert" data-testid="no-webgpu">
        <strong>WebGPU is not available in this browser.</strong> {webgpu.reason}
        <p>
          To train on your GPU, open this page in Chrome or Edge 113 or newer (or Safari 26, or Firefox 141 on Windows), with
          hardware acceleration turned on, over https or localhost. Until then you can still build and edit models, compare their
          summaries and diagrams, and train on the CPU engine.
        </p>
      </div>
    );
  }
  return (
    <p className="engine-status" data-testid="adapter">
      WebGPU adapter: <strong>{webgpu.adapter}</strong>
      {engine && (
        <>
          {' '}· training on <strong data-testid="engine-description" data-kind={engine.kind}>{engine.description}</strong>
          {engine.note && <span className="muted"> ({engine.note})</span>}
        </>
      )}
    </p>
  );
}
