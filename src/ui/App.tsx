// The playground page: the run bar on top; the editor beside the comparison (the hero); then
// training, results, look inside, save and load. Layout only; each section is its own
// component reading the store.

import { lazy, Suspense, useState, type DragEvent } from 'react';
import { Backups } from './components/Backups.tsx';
import { RunList } from './components/RunList.tsx';
import { ComparePanel } from './components/ComparePanel.tsx';
import { EngineStatus } from './components/EngineStatus.tsx';
import { FitLog } from './components/FitLog.tsx';
import { LookInside } from './components/LookInside.tsx';
import { ModelEditor } from './components/ModelEditor.tsx';
import { ModelFiles, openFileList } from './components/ModelFiles.tsx';
import { ProgressBar } from './components/ProgressBar.tsx';
import { Results } from './components/Results.tsx';
import { RunBar } from './components/RunBar.tsx';
import { SaveLoad } from './components/SaveLoad.tsx';
import { StaleNote } from './components/StaleNote.tsx';
import { TrainingCharts } from './components/TrainingCharts.tsx';
import { TrainingControls } from './components/TrainingControls.tsx';
import { useStore } from './store/store.ts';

// CodeMirror and the code readers load only when the editor first opens.
const CodeEditor = lazy(() => import('./components/CodeEditor.tsx'));

function CodeEditorSlot() {
  const open = useStore((s) => s.codeEditor !== null);
  if (!open) return null;
  return (
    <Suspense fallback={<p className="muted">Loading the code editor…</p>}>
      <CodeEditor />
    </Suspense>
  );
}

const hasFiles = (e: DragEvent): boolean => e.dataTransfer.types.includes('Files');

/** Model files dropped anywhere on the page open like "Open model file". */
function useFileDrop() {
  const [over, setOver] = useState(false);
  return {
    over,
    handlers: {
      onDragOver: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setOver(true);
      },
      onDragLeave: (e: DragEvent) => {
        if (e.currentTarget === e.target) setOver(false);
      },
      onDrop: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setOver(false);
        void openFileList([...e.dataTransfer.files]);
        document.getElementById('model')?.scrollIntoView({ behavior: 'smooth' });
      },
    },
  };
}

export function App({ urlProblem }: { urlProblem: string | null }) {
  const drop = useFileDrop();
  return (
    <>
      <RunBar />
      <main {...drop.handlers} className={drop.over ? 'drop-target' : undefined}>
        <EngineStatus />
        {urlProblem && <p className="notice warning">{urlProblem}</p>}
        <section id="model" className="hero" aria-label="Model and comparison">
          <div className="hero-editor">
            <h2>Your model</h2>
            <ModelFiles />
            <CodeEditorSlot />
            <ModelEditor />
          </div>
          <div className="hero-compare">
            <h2>Sequential or functional: the same model?</h2>
            <ComparePanel />
          </div>
        </section>
        <section id="train">
          <h2>Training</h2>
          <TrainingControls />
          <Backups />
          <ProgressBar />
          <StaleNote what="These curves and this log" />
          <TrainingCharts />
          <FitLog />
          <RunList />
        </section>
        <section id="results">
          <h2>Test results</h2>
          <Results />
        </section>
        <section id="inside">
          <h2>Look inside</h2>
          <StaleNote what="These filters and feature maps" />
          <LookInside />
        </section>
        <section id="save">
          <h2>Save and load</h2>
          <SaveLoad />
        </section>
      </main>
    </>
  );
}
