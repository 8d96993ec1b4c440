// Training settings with a message next to each wrong value (Start, in the run bar, waits until
// every value is right), and the Auto engine's choice for the current run.

import { datasetFor } from '../../worker/datasets.ts';
import { validateSettings, type TrainSettings } from '../../worker/settings.ts';
import { useStore } from '../store/store.ts';
import { isBusy } from '../runs.ts';
import { useModel } from '../useModel.ts';
import { AutoChoiceLine } from './EngineStatus.tsx';

type NumKey = Exclude<keyof TrainSettings, 'optimizer' | 'engine' | 'loss'>;

const NUMBER_FIELDS: { key: NumKey; label: string; step: number }[] = [
  { key: 'epochs', label: 'Epochs', step: 1 },
  { key: 'batchSize', label: 'Batch size', step: 1 },
  { key: 'learningRate', label: 'Learning rate', step: 0.0001 },
  { key: 'validationSplit', label: 'Validation split', step: 0.05 },
  { key: 'trainSize', label: 'Training samples', step: 1 },
  { key: 'testSize', label: 'Test samples', step: 1 },
  { key: 'seed', label: 'Seed', step: 1 },
];

export function TrainingControls() {
  const settings = useStore((s) => s.settings);
  const setSetting = useStore((s) => s.setSetting);
  const phase = useStore((s) => s.phase);
  const spec = useStore((s) => s.spec);
  const webgpu = useStore((s) => s.webgpu);
  const model = useModel(spec);
  const errors = validateSettings(settings);
  const fits = datasetFor(model);
  const regression = 'kind' in fits && fits.kind === 'regression';
  const busy = isBusy(phase);

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
        {regression ? (
          <p className="field muted" data-testid="regression-loss">Loss: mean squared error per output (regression targets y1, y2)</p>
        ) : (
        <label className="field">
          Loss
          <select value={settings.loss} data-testid="setting-loss" disabled={busy || phase === 'paused'} onChange={(e) => setSetting('loss', e.target.value as TrainSettings['loss'])}>
            <option value="sparse_categorical_crossentropy">sparse_categorical_crossentropy</option>
            <option value="sparse_categorical_crossentropy_from_logits">sparse_categorical_crossentropy, from_logits (linear output)</option>
          </select>
          {errors.loss && <span className="error" data-testid="error-loss">{errors.loss}</span>}
        </label>
        )}
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
      <AutoChoiceLine />
    </div>
  );
}
