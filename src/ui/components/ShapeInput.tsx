// A shape typed as "28, 28, 1": the text is kept while typing; each change is committed parsed.

import { useState } from 'react';

export function parseShape(text: string): number[] {
  return text.split(',').map((s) => (s.trim() === '' ? NaN : Number(s)));
}

export function ShapeInput({ value, onChange, label }: { value: number[]; onChange: (shape: number[]) => void; label: string }) {
  const [text, setText] = useState(value.join(', '));
  const [seen, setSeen] = useState(value);
  // A new value from outside (another example picked) replaces the text unless it is what the text says.
  if (value !== seen) {
    setSeen(value);
    const parsed = parseShape(text);
    if (parsed.length !== value.length || parsed.some((d, i) => d !== value[i])) setText(value.join(', '));
  }
  return (
    <label className="field">
      {label}
      <input
        type="text"
        value={text}
        size={10}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseShape(e.target.value));
        }}
      />
    </label>
  );
}
