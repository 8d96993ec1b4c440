// The adapter the page trains on, or plainly why there is no WebGPU and what to do about it.

import { useStore } from '../store/store.ts';

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
          summaries and diagrams, and train on the CPU engine (slower).
        </p>
      </div>
    );
  }
  return (
    <p className="engine-status" data-testid="adapter">
      WebGPU adapter: <strong>{webgpu.adapter}</strong>
      {engine && (
        <>
          {' '}· training on <strong>{engine.description}</strong>
          {engine.note && <span className="muted"> ({engine.note})</span>}
        </>
      )}
    </p>
  );
}
