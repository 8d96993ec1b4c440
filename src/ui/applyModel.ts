// A model read from code or files becomes the page's model: its spec, its training settings
// where they fit, and (files with weights) its trained weights through the worker's import.

import type { LoadedModel } from '../model/io/types.ts';
import { buildModel, specFromModel, type ModelSpec } from '../worker/modelSpec.ts';
import type { Opened } from '../worker/protocol.ts';
import { useStore } from './store/store.ts';
import type { CodeLanguage } from './store/codeSlice.ts';
import { settingsNote, trainingFromCode } from './trainingFromCode.ts';
import { tsDefinition } from './tsDefinition.ts';

/** A spec's model as code in `language` (what the code views show). */
export function modelCode(language: CodeLanguage, spec: ModelSpec): string {
  return language === 'python' ? buildModel(spec).toKerasPython() : tsDefinition(spec);
}

/** Makes code's model the page's model (when it differs); returns the lines to show under the editor. */
export function applyCodeModel(loaded: LoadedModel): string[] {
  const spec = specFromModel(loaded.model);
  const s = useStore.getState();
  if (JSON.stringify(spec) !== JSON.stringify(s.spec)) s.setSpec(spec, null);
  const applied = trainingFromCode(s.settings, loaded.compile, loaded.fit);
  if (JSON.stringify(applied.settings) !== JSON.stringify(s.settings)) s.setSettings(applied.settings);
  const note = settingsNote(applied);
  return [...loaded.notes, ...(note ? [note] : [])];
}

/** Makes opened files the page's model; the message says what was read and applied. */
export function applyOpened(opened: Opened): void {
  const s = useStore.getState();
  s.setSpec(opened.spec, null);
  const applied = trainingFromCode(s.settings, opened.compile, opened.fit);
  s.setSettings(applied.settings);
  const what = `${opened.names.join(' + ')} [${opened.format}]`;
  const lines = [
    opened.weights ? `Opened ${what} with its trained weights; its test results appear below once evaluated.` : `Opened the model definition from ${what}, without weights.`,
    ...opened.notes,
  ];
  const note = settingsNote(applied);
  if (note) lines.push(note);
  if (opened.weights) {
    s.importTrained(opened.spec, opened.weights, applied.settings);
  }
  s.setFileMessage({ ok: true, text: lines.join(' ') });
}
