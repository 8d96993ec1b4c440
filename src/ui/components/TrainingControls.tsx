// Training settings with a message next to each wrong value, and Start / Pause / Resume / Stop.
// Start is refused while a value is wrong or the model cannot train on Fashion-MNIST.

import { fashionMnistMismatch } from '../../worker/examples.ts';
import { validateSettings, type TrainSettings } from '../../worker/settings.ts';
import { missingKernels } from '../../model/index.ts';
import { useStore } from '../store/store.ts';
import { useModel } from '../useModel.ts';
import { AutoChoiceLine } from './EngineStatus.tsx';

type NumKey = Exclude<keyof TrainSettings, 'optimizer' | 'engine' | 'loss'>;

const NUMBER_FIELDS: { key: NumKey; label: string; step: number }[] = [
  { key: 'epochs', label: 'Epochs', step: 1 },
  { key: 'batchSize', label: 'Batch size', step: 1 },
  { key: 'learningRate', label: 'Learning rate', step: 0.0001 },
  { key: 'validationSplit', label: 'Validation split', step: 0.05 },
  { key: 'trainSize', label: 'Training images', step: 1 },
  { key: 'testSize', label: 'Test images', step: 1 },
  { key: 'seed', label: 'Seed', step: 1 },
];

export function TrainingControls() {
  const settings = useStore((s) => s.settings);
  const setSetting = useStore((s) => s.setSetting);
  const phase = useStore((s) => s.phase);
  const spec = useStore((s) => s.spec);
  const webgpu = useStore((s) => s.webgpu);
  const send = useStore((s) => s.send);
  const clearRun = useStore((s) => s.clearRun);
  const model = useModel(spec);
  const errors = validateSettings(settings);
  const mismatch = missingKernels(model.graphLayers) ?? fashionMnistMismatch(model);
  const busy = phase === 'loading' || phase === 'compiling' || phase === 'training' || phase === 'stopping' || phase === 'evaluating';
  const canStart = !busy && phase !== 'paused' && Object.keys(errors).length === 0 && !mismatch;

  const start = () => {
    clearRun();
    useStore.setState({ phase: 'loading' });
    send({ type: 'train', spec, settings });
  };

  return (
    <div className="train-controls">
      <div className="settings-grid">
        {NUMBER_FIELDS.map(({ key, label, step }) => (
          <label key={key} className={errors[key] ? 'field invalid' : 'field'}>
            {label}
            <input
              type="number"
              step={step}
              data-testid={`setting-${key}`}
              value={Number.isNaN(settings[key]) ? '' : settings[key]}
              disabled={busy || phase === 'paused'}
              onChange={(e) => setSetting(key, e.target.value.trim() === '' ? NaN : Number(e.target.value))}
            />
            {errors[key] && <span className="error" data-testid={`error-${key}`}>{errors[key]}</span>}
          </label>
        ))}
        <label className="field">
          Optimizer
          <select value={settings.optimizer} disabled={busy || phase === 'paused'} onChange={(e) => setSetting('optimizer', e.target.value as TrainSettings['optimizer'])}>
            <option value="adam">Adam</option>
            <option value="rmsprop">RMSprop</option>
            <option value="sgd">SGD</option>
            <option value="adamw">AdamW (weight decay 0.004)</option>
            <option value="adagrad">Adagrad</option>
            <option value="adadelta">Adadelta</option>
            <option value="adamax">Adamax</option>
            <option value="nadam">Nadam</option>
          </select>
        </label>
        <label className="field">
          Loss
          <select value={settings.loss} data-testid="setting-loss" disabled={busy || phase === 'paused'} onChange={(e) => setSetting('loss', e.target.value as TrainSettings['loss'])}>
            <option value="sparse_categorical_crossentropy">sparse_categorical_crossentropy</option>
            <option value="sparse_categorical_crossentropy_from_logits">sparse_categorical_crossentropy, from_logits (linear output)</option>
          </select>
          {errors.loss && <span className="error" data-testid="error-loss">{errors.loss}</span>}
        </label>
        <label className="field">
          Engine
          <select value={settings.engine} data-testid="setting-engine" disabled={busy || phase === 'paused'} onChange={(e) => setSetting('engine', e.target.value as TrainSettings['engine'])}>
            <option value="auto" title="Times a few training steps on each engine and trains on the faster">Auto</option>
            <option value="webgpu" disabled={webgpu.status === 'unavailable'}>WebGPU</option>
            <option value="cpu">CPU</option>
          </select>
          {errors.engine && <span className="error" data-testid="error-engine">{errors.engine}</span>}
        </label>
      </div>
      {mismatch && <p className="notice" data-testid="cannot-train">{mismatch}</p>}
      <div className="buttons">
        <button type="button" className="primary" data-testid="start" disabled={!canStart} onClick={start}>Start</button>
        <button type="button" data-testid="pause" disabled={phase !== 'training'} onClick={() => send({ type: 'pause' })}>Pause</button>
        <button type="button" data-testid="resume" disabled={phase !== 'paused'} onClick={() => send({ type: 'resume' })}>Resume</button>
        <button type="button" data-testid="stop" disabled={phase !== 'training' && phase !== 'paused'} onClick={() => send({ type: 'stop' })}>Stop</button>
        <span className="phase" data-testid="phase">{phase}</span>
      </div>
      <AutoChoiceLine />
    </div>
  );
}
