// Epoch, step, samples per second and time left, with the engine that does the work.

import { useStore } from '../store/store.ts';

function duration(sec: number): string {
  if (!Number.isFinite(sec)) return '—';
  const s = Math.round(sec);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

export function ProgressBar() {
  const progress = useStore((s) => s.progress);
  const engine = useStore((s) => s.engine);
  const error = useStore((s) => s.error);
  const phase = useStore((s) => s.phase);
  if (!progress) return error ? <ErrorNotice /> : null;
  const total = progress.epochs * progress.stepsPerEpoch;
  const done = (progress.epoch - 1) * progress.stepsPerEpoch + progress.step;
  return (
    <div className="progress" data-testid="progress">
      <progress max={total} value={Math.min(done, total)} />
      <span>
        Epoch {progress.epoch}/{progress.epochs} · step {progress.step}/{progress.stepsPerEpoch} · {Math.round(progress.samplesPerSec)} samples/s
        {phase === 'training' && ` · ETA ${duration(progress.etaSec)}`}
        {phase === 'paused' && ' · paused'}
        {engine && <span className="muted"> · {engine.description}</span>}
      </span>
      <ErrorNotice />
    </div>
  );
}

export function ErrorNotice() {
  const error = useStore((s) => s.error);
  if (!error) return null;
  return (
    <p className="notice error-box" role="alert" data-testid={`error-${error.kind}`}>
      {error.message}
    </p>
  );
}
