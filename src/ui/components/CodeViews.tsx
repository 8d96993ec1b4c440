// Model A as code: the TypeScript that builds it here and the Keras Python (from the model
// API's export), each copyable with one click or opened in the code editor; and a copyable link
// to the whole setup.

import { useState } from 'react';
import { CopyButton } from './CopyButton.tsx';
import { useStore } from '../store/store.ts';
import { tsDefinition } from '../tsDefinition.ts';
import { useModel } from '../useModel.ts';

type Tab = 'python' | 'typescript';

export function CodeViews() {
  const spec = useStore((s) => s.spec);
  const model = useModel(spec);
  const [tab, setTab] = useState<Tab>('python');
  const openEditor = useStore((s) => s.openCodeEditor);
  const text = tab === 'python' ? model.toKerasPython() : tsDefinition(spec);
  return (
    <div className="code-views">
      <div className="tabs">
        <button type="button" className={tab === 'python' ? 'active' : ''} onClick={() => setTab('python')}>
          Keras Python
        </button>
        <button type="button" className={tab === 'typescript' ? 'active' : ''} onClick={() => setTab('typescript')}>
          TypeScript
        </button>
        <span className="spacer" />
        <button type="button" data-testid="edit-code" onClick={() => openEditor(tab, text)}>
          {tab === 'python' ? 'Edit Python' : 'Edit TypeScript'}
        </button>
        <CopyButton text={text} label={tab === 'python' ? 'Copy Python' : 'Copy TypeScript'} />
        <CopyButton text={location.href} label="Copy link" />
      </div>
      <pre className="code" data-testid={`code-${tab}`} tabIndex={0} aria-label={tab === 'python' ? 'Keras Python code' : 'TypeScript code'}>{text}</pre>
    </div>
  );
}
