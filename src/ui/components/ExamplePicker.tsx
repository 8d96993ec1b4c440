// A select over the built-in example models.

import { EXAMPLE_KEYS, EXAMPLE_TITLES, type ExampleKey } from '../../worker/examples.ts';

interface Props {
  label: string;
  value: ExampleKey | null;
  onPick: (key: ExampleKey) => void;
  testId?: string;
}

export function ExamplePicker({ label, value, onPick, testId }: Props) {
  return (
    <label className="picker">
      {label}{' '}
      <select data-testid={testId} value={value ?? ''} onChange={(e) => onPick(e.target.value as ExampleKey)}>
        {value === null && <option value="">(edited model)</option>}
        {EXAMPLE_KEYS.map((k) => (
          <option key={k} value={k}>
            {EXAMPLE_TITLES[k]}
          </option>
        ))}
      </select>
    </label>
  );
}
