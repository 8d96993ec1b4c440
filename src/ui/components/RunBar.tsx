// The bar that stays at the top: what the page is for, the model and the data set it trains on,
// Start / Pause / Resume / Stop, where the run stands (epoch, step, live loss and accuracy), the
// key settings, and the engine with its rate. Start is refused, with the reason, while a setting
// is wrong or the model fits no data set.

import { useEffect, useRef } from 'react';
import { missingKernels } from '../../model/index.ts';
import { formatRate, engineLabel } from '../../worker/engineChoice.ts';
import { DATASET_TITLES, datasetFor } from '../../worker/datasets.ts';
import { validateSettings } from '../../worker/settings.ts';
import { logValue } from '../fitLog.ts';
import { isBusy, PHASE_LABELS, settingsLine } from '../runs.ts';
import { useStore } from '../store/store.ts';
import { useModel } from '../useModel.ts';
import { ExamplePicker } from './ExamplePicker.tsx';

function Status() {
  const phase = useStore((s) => s.phase);
  const progress = useStore((s) => s.progress);
  const ema = useStore((s) => s.ema);
  const last = useStore((s) => s.epochPoints.at(-1));
  const live = ema.count > 0 ? ema.value / (1 - 0.9 ** ema.count) : null;
  const accuracy = last?.logs.val_accuracy ?? last?.logs.accuracy;
  return (
    <div className="run-status" aria-live="polite">
      <span className={`phase phase-${phase}`} data-testid="phase" data-phase={phase}>{PHASE_LABELS[phase]}</span>
      {progress && (
        <span data-testid="run-progress">
          Epoch {progress.epoch}/{progress.epochs} · step {progress.step}/{progress.stepsPerEpoch}
        </span>
      )}
      {live !== null && <span data-testid="live-loss">loss {logValue(live)}</span>}
      {accuracy !== undefined && (
        <span data-testid="live-accuracy">
          {last?.logs.val_accuracy !== undefined ? 'val_accuracy' : 'accuracy'} {logValue(accuracy)}
        </span>
      )}
    </div>
  );
}

function EngineLine() {
  const choice = useStore((s) => s.settings.engine);
  const engine = useStore((s) => s.engine);
  const rate = useStore((s) => s.progress?.samplesPerSec);
  const auto = useStore((s) => s.autoChoice);
  const name = choice === 'auto' ? 'Auto' : choice === 'webgpu' ? 'WebGPU' : 'CPU';
  return (
    <span className="engine-line" data-testid="run-engine" title={auto?.reason}>
      Engine: {name}
      {engine && ` → ${engineLabel(engine)}`}
      {rate !== undefined && rate > 0 && `, ${formatRate(rate)} samples/s`}
    </span>
  );
}

/**
 * The height of the bar's first row (title and purpose) as --run-bar-head on the bar: on a phone
 * the bar sticks at minus that height, so the row scrolls away and the controls stay on top.
 */
function useHeadHeight() {
  const bar = useRef<HTMLElement>(null);
  const head = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const [b, h] = [bar.current, head.current];
    if (!b || !h || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => b.style.setProperty('--run-bar-head', `${h.offsetHeight}px`));
    observer.observe(h);
    return () => observer.disconnect();
  }, []);
  return { bar, head };
}

export function RunBar() {
  const { bar, head } = useHeadHeight();
  const example = useStore((s) => s.example);
  const pickExample = useStore((s) => s.pickExample);
  const spec = useStore((s) => s.spec);
  const settings = useStore((s) => s.settings);
  const phase = useStore((s) => s.phase);
  const send = useStore((s) => s.send);
  const startTraining = useStore((s) => s.startTraining);
  const model = useModel(spec);
  const fits = datasetFor(model);
  const errors = Object.values(validateSettings(settings));
  const refusal = missingKernels(model.graphLayers) ?? ('error' in fits ? fits.error : null);
  const busy = isBusy(phase);
  const canStart = !busy && phase !== 'paused' && errors.length === 0 && !refusal;
  return (
    <header className="run-bar" data-testid="run-bar" ref={bar}>
      <div className="run-bar-row" ref={head}>
        <h1>Keras playground</h1>
        <p className="purpose">Build a Keras model, compare the Sequential and functional APIs, and train it right here in your browser.</p>
      </div>
      <div className="run-bar-row">
        <ExamplePicker label="Model" value={example} onPick={pickExample} testId="model-picker" />
        <span className="dataset" data-testid="dataset">
          on <strong>{'kind' in fits ? DATASET_TITLES[fits.kind] : 'no data set'}</strong>
        </span>
        <div className="run-buttons" role="group" aria-label="Training">
          <button type="button" className="primary" data-testid="start" disabled={!canStart} onClick={startTraining}>
            Start training
          </button>
          <button type="button" data-testid="pause" disabled={phase !== 'training'} onClick={() => send({ type: 'pause' })}>Pause</button>
          <button type="button" data-testid="resume" disabled={phase !== 'paused'} onClick={() => send({ type: 'resume' })}>Resume</button>
          <button type="button" data-testid="stop" disabled={phase !== 'training' && phase !== 'paused'} onClick={() => send({ type: 'stop' })}>Stop</button>
        </div>
        <Status />
      </div>
      <div className="run-bar-row small">
        <a href="#train" className="settings-link" data-testid="run-settings">{settingsLine(settings)}</a>
        <EngineLine />
      </div>
      {refusal && <p className="notice refusal" data-testid="cannot-train">{refusal}</p>}
      {!refusal && errors.length > 0 && (
        <p className="notice refusal" data-testid="settings-invalid">
          A training setting needs fixing before Start: {errors[0]} <a href="#train">Go to the settings</a>.
        </p>
      )}
    </header>
  );
}
