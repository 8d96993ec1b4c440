// The comparison beside the editor: the verdict always on top, then tabs for the summaries side
// by side, the model as Keras Python (and TypeScript), and both graphs. All panels stay mounted
// (hidden when not chosen), so each updates as the model is edited.

import { useState, type KeyboardEvent } from 'react';
import { useStore } from '../store/store.ts';
import { useModel } from '../useModel.ts';
import { CodeViews } from './CodeViews.tsx';
import { ModelDiagram } from './ModelDiagram.tsx';
import { ComparePicker, CompareVerdict, SummaryCompare } from './SummaryCompare.tsx';

const TABS = [
  { id: 'compare', label: 'Summaries' },
  { id: 'code', label: 'Keras Python' },
  { id: 'diagram', label: 'Graphs' },
] as const;
type TabId = (typeof TABS)[number]['id'];

function Diagrams() {
  const a = useModel(useStore((s) => s.spec));
  const b = useModel(useStore((s) => s.compareSpec));
  return (
    <div className="side-by-side diagrams">
      <ModelDiagram model={a} testId="diagram-a" />
      <ModelDiagram model={b} testId="diagram-b" />
    </div>
  );
}

export function ComparePanel() {
  const [tab, setTab] = useState<TabId>('compare');
  // Arrow keys move between tabs, as in the WAI-ARIA tabs pattern.
  const onKey = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === tab);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : null;
    if (next === null) return;
    const id = TABS[(next + TABS.length) % TABS.length]!.id;
    setTab(id);
    document.getElementById(`tab-${id}`)?.focus();
  };
  return (
    <div className="compare-panel">
      <div className="toolbar">
        <ComparePicker />
      </div>
      <CompareVerdict />
      <div className="tabs" role="tablist" aria-label="Comparison views" onKeyDown={onKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            data-testid={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={t.id}
            tabIndex={tab === t.id ? 0 : -1}
            className={tab === t.id ? 'active' : ''}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="compare" aria-labelledby="tab-compare" hidden={tab !== 'compare'}>
        <SummaryCompare />
      </div>
      <div role="tabpanel" id="code" aria-labelledby="tab-code" hidden={tab !== 'code'}>
        <CodeViews />
      </div>
      <div role="tabpanel" id="diagram" aria-labelledby="tab-diagram" hidden={tab !== 'diagram'}>
        <Diagrams />
      </div>
    </div>
  );
}
