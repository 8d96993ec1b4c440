// The editable options of one layer, read from its option descriptions (the layer registry):
// each option with a label gets a field by its type: a number, a pair edited as a square, a
// select, an activation, an input shape. Values go to the model API unchecked.

import { useMemo } from 'react';
import { ACTIVATIONS, INITIALIZERS, configFields, layerOptions, type AnyOption, type LayerConfig } from '../../model/index.ts';
import { ShapeInput } from './ShapeInput.tsx';

export type Patch = (patch: Record<string, unknown>) => void;

/** Sizes (units, filters, kernel and pool sizes) are positive integers. */
const POSITIVE = [1, Number.MAX_SAFE_INTEGER] as const;

const num = (text: string): number => (text.trim() === '' ? NaN : Number(text));

interface NumberFieldProps {
  label: string;
  value: number | undefined;
  onChange: (v: number) => void;
  step?: number;
  range?: readonly [number, number];
}

function NumberField({ label, value, onChange, step, range }: NumberFieldProps) {
  return (
    <label className="field">
      {label}
      <input type="number" step={step ?? 1} min={range?.[0]} max={range?.[1]} value={value === undefined || Number.isNaN(value) ? '' : value} onChange={(e) => onChange(num(e.target.value))} />
    </label>
  );
}

function SelectField({ label, value, choices, onChange }: { label: string; value: string; choices: readonly string[]; onChange: (v: string) => void }) {
  return (
    <label className="field">
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {choices.map((c) => (
          <option key={c} value={c}>{c}</option>
        ))}
      </select>
    </label>
  );
}

/** InputLayer's batch shape, edited as its feature shape (the batch size is kept). */
function ShapeField({ label, value, onChange }: { label: string; value: (number | null)[]; onChange: (v: (number | null)[]) => void }) {
  // One array per value, so ShapeInput sees a new shape only when the config's changes.
  const features = useMemo(() => value.slice(1) as number[], [value]);
  return <ShapeInput label={label} value={features} onChange={(shape) => onChange([value[0] ?? null, ...shape])} />;
}

function OptionField({ option, label, value, patch }: { option: AnyOption; label: string; value: unknown; patch: Patch }) {
  const set = (v: unknown) => patch({ [option.key]: v });
  switch (option.type) {
    case 'int':
      return <NumberField label={label} range={option.range ?? POSITIVE} value={value as number | undefined} onChange={set} />;
    case 'number':
    case 'axis':
    case 'seed':
      return <NumberField label={label} step={option.step} range={option.range} value={value as number | undefined} onChange={set} />;
    case 'pair':
      return <NumberField label={label} range={option.range ?? POSITIVE} value={(value as [number, number] | undefined)?.[0]} onChange={(v) => set([v, v])} />;
    case 'select':
      return <SelectField label={label} value={String(value)} choices={option.choices ?? []} onChange={set} />;
    case 'activation':
      return <SelectField label={label} value={String(value ?? 'linear')} choices={ACTIVATIONS} onChange={set} />;
    case 'initializer':
      return <SelectField label={label} value={String(value)} choices={INITIALIZERS} onChange={set} />;
    case 'bool':
      return <SelectField label={label} value={String(value)} choices={['true', 'false']} onChange={(v) => set(v === 'true')} />;
    case 'regularizer':
    case 'constraint':
      // Not in the editor (no label); written by Keras JSON, Python and TypeScript.
      return null;
    case 'shape':
      return <ShapeField label={label} value={value as (number | null)[]} onChange={set} />;
    case 'ints':
      return <ShapeInput label={label} value={value as number[]} onChange={set} />;
    case 'sides':
      return <NumberField label={label} range={option.range} value={(value as number[][] | undefined)?.[0]?.[0]} onChange={(v) => set([[v, v], [v, v]])} />;
    case 'numbers':
      return null;
    case 'layer':
      // A wrapper's nested layer is edited in code or JSON; the field shows which layer it holds.
      return <span className="field">{label}: {(value as LayerConfig | null)?.className ?? 'derived'}</span>;
  }
}

export function LayerFields({ config, patch }: { config: LayerConfig; patch: Patch }) {
  const fields = configFields(config);
  return (
    <>
      {layerOptions(config.className).map((option) =>
        option.label === undefined ? null : <OptionField key={option.key} option={option} label={option.label} value={fields[option.key]} patch={patch} />,
      )}
    </>
  );
}
