// The editable options of one layer, by type: filters, kernel size, strides, padding, units,
// activation, dropout rate, pool size, axis, input shape. Values go to the model API unchecked.

import { ACTIVATIONS } from '../../model/index.ts';
import type { LayerSpec } from '../../worker/modelSpec.ts';
import { ShapeInput } from './ShapeInput.tsx';

type Patch = (patch: Partial<LayerSpec>) => void;

const num = (text: string): number => (text.trim() === '' ? NaN : Number(text));

function NumberField({ label, value, onChange, step }: { label: string; value: number | undefined; onChange: (v: number) => void; step?: number }) {
  return (
    <label className="field">
      {label}
      <input type="number" step={step ?? 1} value={value === undefined || Number.isNaN(value) ? '' : value} onChange={(e) => onChange(num(e.target.value))} />
    </label>
  );
}

function SquareField({ label, value, onChange }: { label: string; value: [number, number] | undefined; onChange: (v: [number, number]) => void }) {
  return <NumberField label={label} value={value?.[0]} onChange={(v) => onChange([v, v])} />;
}

function Padding({ l, patch }: { l: LayerSpec; patch: Patch }) {
  return (
    <label className="field">
      padding
      <select value={l.padding ?? 'valid'} onChange={(e) => patch({ padding: e.target.value as 'same' | 'valid' })}>
        <option value="valid">valid</option>
        <option value="same">same</option>
      </select>
    </label>
  );
}

function ActivationField({ l, patch }: { l: LayerSpec; patch: Patch }) {
  return (
    <label className="field">
      activation
      <select value={l.activation ?? 'linear'} onChange={(e) => patch({ activation: e.target.value as LayerSpec['activation'] })}>
        {ACTIVATIONS.map((a) => (
          <option key={a} value={a}>{a}</option>
        ))}
      </select>
    </label>
  );
}

export function LayerFields({ l, patch }: { l: LayerSpec; patch: Patch }) {
  switch (l.className) {
    case 'InputLayer':
      return <ShapeInput label="shape" value={l.shape ?? []} onChange={(shape) => patch({ shape })} />;
    case 'Conv2D':
      return (
        <>
          <NumberField label="filters" value={l.filters} onChange={(filters) => patch({ filters })} />
          <SquareField label="kernel size" value={l.kernelSize} onChange={(kernelSize) => patch({ kernelSize })} />
          <SquareField label="strides" value={l.strides} onChange={(strides) => patch({ strides })} />
          <Padding l={l} patch={patch} />
          <ActivationField l={l} patch={patch} />
        </>
      );
    case 'Dense':
      return (
        <>
          <NumberField label="units" value={l.units} onChange={(units) => patch({ units })} />
          <ActivationField l={l} patch={patch} />
        </>
      );
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return (
        <>
          <SquareField label="pool size" value={l.poolSize} onChange={(poolSize) => patch({ poolSize })} />
          <SquareField label="strides" value={l.strides} onChange={(strides) => patch({ strides })} />
          <Padding l={l} patch={patch} />
        </>
      );
    case 'Dropout':
      return <NumberField label="rate" step={0.05} value={l.rate} onChange={(rate) => patch({ rate })} />;
    case 'Activation':
      return <ActivationField l={l} patch={patch} />;
    case 'Concatenate':
      return <NumberField label="axis" value={l.axis} onChange={(axis) => patch({ axis })} />;
    case 'Flatten':
    case 'Add':
      return null;
    default:
      l.className satisfies never;
      return null;
  }
}
