// The code editor (loaded on demand): paste or type Keras Python or our TypeScript; 300 ms after
// the last change the code is read (never run) and, when it reads, its model becomes the page's
// model. An error leaves the model as it was and shows under its line and below the editor.

import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import CodeMirror, { EditorView, type ReactCodeMirrorRef } from '@uiw/react-codemirror';
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { hasCodePosition } from '../../model/io/codeError.ts';
import type { NamingLayout } from '../../model/io/types.ts';
import { applyCodeModel, modelCode } from '../applyModel.ts';
import { readCode } from '../readCode.ts';
import type { CodeLanguage } from '../store/codeSlice.ts';
import { useStore } from '../store/store.ts';

export const READ_DELAY_MS = 300;

type Status =
  | { ok: true; summary: string; lines: string[] }
  | { ok: false; message: string; line?: number; column?: number };

const LANGUAGES: { value: CodeLanguage; label: string }[] = [
  { value: 'python', label: 'Keras Python' },
  { value: 'typescript', label: 'TypeScript' },
];

function readAndApply(language: CodeLanguage, text: string, layout: NamingLayout): Status {
  try {
    const loaded = readCode(language, text, layout);
    const lines = applyCodeModel(loaded);
    const m = loaded.model;
    return { ok: true, summary: `The page now shows "${m.name}": ${m.graphLayers.length} layers, ${m.countParams().toLocaleString('en-US')} parameters.`, lines };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (!hasCodePosition(e)) return { ok: false, message };
    // Readers spell the position differently ("line 4:12: ..." or "4:12: ..."): show it one way.
    const detail = message.replace(/^(line )?\d+:\d+:\s*/, '');
    return { ok: false, message: `line ${e.line}:${e.column}: ${detail}`, line: e.line, column: e.column };
  }
}

/** The error as a CodeMirror diagnostic: from its column to the end of the word there. */
function diagnostics(view: EditorView, status: Status): Diagnostic[] {
  if (status.ok || status.line === undefined) return [];
  const doc = view.state.doc;
  const line = doc.line(Math.min(Math.max(status.line, 1), doc.lines));
  const from = Math.min(line.from + Math.max((status.column ?? 1) - 1, 0), line.to);
  const word = /^[\w$.]+/.exec(doc.sliceString(from, line.to))?.[0].length ?? 1;
  const to = Math.min(Math.max(from + word, from), doc.length);
  return [{ from, to, severity: 'error', message: status.message.replace(/^line \d+:\d+: /, '') }];
}

/**
 * Reads the code READ_DELAY_MS after its last change (unless it is the page's own model as code,
 * `pageCode`) and marks its error in the editor; `busy` until the current code is read.
 */
function useReading(language: CodeLanguage, text: string, layout: NamingLayout, refs: EditorRefs) {
  const { pageCode, shownSpec, view: ref } = refs;
  const [status, setStatus] = useState<Status | null>(null);
  const [readKey, setReadKey] = useState('');
  const key = `${language}\n${layout}\n${text}`;
  useEffect(() => {
    const show = (next: Status | null) => {
      setStatus(next);
      setReadKey(key);
      if (next?.ok) shownSpec.current = JSON.stringify(useStore.getState().spec);
      const view = ref.current?.view;
      if (view) view.dispatch(setDiagnostics(view.state, next ? diagnostics(view, next) : []));
    };
    if (!text.trim() || pageCode.current === `${language}\n${text}`) {
      show(null);
      return;
    }
    const timer = setTimeout(() => show(readAndApply(language, text, layout)), READ_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key, language, text, layout, pageCode, shownSpec, ref]);
  return { status, busy: readKey !== key };
}

interface EditorRefs {
  view: RefObject<ReactCodeMirrorRef | null>;
  /** The page's own model as code (language + text) when the editor shows it: nothing to read. */
  pageCode: RefObject<string | null>;
  /** The spec (JSON) the editor's code describes. */
  shownSpec: RefObject<string>;
}

/**
 * When the page's model changes elsewhere (an example picked, a form edit, a file opened), the
 * editor shows it as code, so the next keystroke cannot bring the old model back.
 */
function useFollowPageModel(language: CodeLanguage, setText: (t: string) => void, refs: EditorRefs) {
  const spec = useStore((s) => s.spec);
  useEffect(() => {
    const json = JSON.stringify(spec);
    if (json === refs.shownSpec.current) return;
    refs.shownSpec.current = json;
    const code = modelCode(language, spec);
    refs.pageCode.current = `${language}\n${code}`;
    setText(code);
  }, [spec, language, setText, refs]);
}

export default function CodeEditor() {
  const editor = useStore((s) => s.codeEditor);
  const layout = useStore((s) => s.namingLayout);
  const close = useStore((s) => s.closeCodeEditor);
  const [language, setLanguage] = useState<CodeLanguage>(editor?.language ?? 'python');
  const [text, setText] = useState(editor?.text ?? '');
  const ref = useRef<ReactCodeMirrorRef>(null);
  const pageCode = useRef<string | null>(null);
  const shownSpec = useRef(JSON.stringify(useStore.getState().spec));
  const refs = useMemo<EditorRefs>(() => ({ view: ref, pageCode, shownSpec }), []);
  const { status, busy } = useReading(language, text, layout, refs);
  useFollowPageModel(language, setText, refs);
  const version = editor?.version;

  // Opened (Edit on a code view): start from that text, the page's model as code.
  useEffect(() => {
    const e = useStore.getState().codeEditor;
    if (!e) return;
    pageCode.current = `${e.language}\n${e.text}`;
    shownSpec.current = JSON.stringify(useStore.getState().spec);
    setLanguage(e.language);
    setText(e.text);
  }, [version]);

  const extensions = useMemo(
    () => [
      language === 'python' ? python() : javascript({ typescript: true }),
      lintGutter(),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': `Model code (${language === 'python' ? 'Keras Python' : 'TypeScript'})` }),
    ],
    [language],
  );
  if (!editor) return null;

  const switchTo = (next: CodeLanguage) => {
    if (next === language) return;
    const code = modelCode(next, useStore.getState().spec);
    pageCode.current = `${next}\n${code}`;
    shownSpec.current = JSON.stringify(useStore.getState().spec);
    setLanguage(next);
    setText(code);
  };

  return (
    <div className="code-editor" data-testid="code-editor" aria-busy={busy}>
      <div className="tabs" role="group" aria-label="Language of the code">
        {LANGUAGES.map(({ value, label }) => (
          <button key={value} type="button" className={language === value ? 'active' : ''} aria-pressed={language === value} onClick={() => switchTo(value)}>
            {label}
          </button>
        ))}
        <span className="spacer" />
        <span className="muted small">Read as you type; the code is never run.</span>
        <button type="button" onClick={close}>Close editor</button>
      </div>
      <CodeMirror ref={ref} value={text} height="360px" extensions={extensions} indentWithTab={false} onChange={setText} />
      {status && !status.ok && <p className="notice error-box code-status" data-testid="code-error" role="alert">{status.message}</p>}
      {status?.ok && (
        <div className="notice code-status" data-testid="code-ok" role="status">
          {status.summary}
          {status.lines.map((l) => <p key={l}>{l}</p>)}
        </div>
      )}
    </div>
  );
}
