// The playground page: sections in the order a user works through them. Layout only; each
// section is its own component reading the store.

import { lazy, Suspense, useState, type DragEvent } from 'react';
import { Backups } from './components/Backups.tsx';
import { CodeViews } from './components/CodeViews.tsx';
import { EngineStatus } from './components/EngineStatus.tsx';
import { ExamplePicker } from './components/ExamplePicker.tsx';
import { LookInside } from './components/LookInside.tsx';
import { ModelDiagram } from './components/ModelDiagram.tsx';
import { ModelEditor } from './components/ModelEditor.tsx';
import { ModelFiles, openFileList } from './components/ModelFiles.tsx';
import { ProgressBar } from './components/ProgressBar.tsx';
import { Results } from './components/Results.tsx';
import { SaveLoad } from './components/SaveLoad.tsx';
import { SummaryCompare } from './components/SummaryCompare.tsx';
import { TrainingCharts } from './components/TrainingCharts.tsx';
import { TrainingControls } from './components/TrainingControls.tsx';
import { useStore } from './store/store.ts';
import { useModel } from './useModel.ts';

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

export function App({ urlProblem }: { urlProblem: string | null }) {
  const example = useStore((s) => s.example);
  const pickExample = useStore((s) => s.pickExample);
  const drop = useFileDrop();
  return (
    <main {...drop.handlers} className={drop.over ? 'drop-target' : undefined}>
      <header>
        <h1>WebGPU Keras Playground</h1>
        <EngineStatus />
        {urlProblem && <p className="notice warning">{urlProblem}</p>}
      </header>
      <section id="model">
        <h2>Model</h2>
        <ExamplePicker label="Example:" value={example} onPick={pickExample} testId="model-picker" />
        <ModelFiles />
        <CodeEditorSlot />
        <div className="model-grid">
          <ModelEditor />
          <CodeViews />
        </div>
      </section>
      <section id="compare">
        <h2>Summaries side by side</h2>
        <SummaryCompare />
      </section>
      <section id="diagram">
        <h2>Graphs (plot_model with shapes)</h2>
        <Diagrams />
      </section>
      <section id="train">
        <h2>Train on Fashion-MNIST</h2>
        <TrainingControls />
        <Backups />
        <ProgressBar />
        <TrainingCharts />
      </section>
      <section id="results">
        <h2>Test results</h2>
        <Results />
      </section>
      <section id="inside">
        <h2>Look inside</h2>
        <LookInside />
      </section>
      <section id="save">
        <h2>Save and load</h2>
        <SaveLoad />
      </section>
    </main>
  );
}
