// A button that copies text to the clipboard and says for two seconds whether it worked.

import { useState } from 'react';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [note, setNote] = useState<string | null>(null);
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setNote('Copied'),
      () => setNote('Copy failed: select the text and copy it'),
    );
    setTimeout(() => setNote(null), 2000);
  };
  return (
    <button type="button" onClick={copy} disabled={text === ''}>
      {note ?? label}
    </button>
  );
}
