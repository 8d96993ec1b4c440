// The code editor (open or not, its language and starting text) and the naming layout pasted
// code and opened files are read with (Keras 2's input_1 or Keras 3's input_layer).

import type { StateCreator } from 'zustand';
import type { NamingLayout } from '../../model/io/types.ts';
import type { Store } from './store.ts';

export type CodeLanguage = 'python' | 'typescript';

export interface CodeSlice {
  /** The editor's starting text; `version` changes each time something opens it with new text. */
  codeEditor: { language: CodeLanguage; text: string; version: number } | null;
  namingLayout: NamingLayout;
  /** The outcome of the last model file opened or downloaded, shown by those controls. */
  fileMessage: { ok: boolean; text: string } | null;
  setFileMessage: (m: CodeSlice['fileMessage']) => void;
  openCodeEditor: (language: CodeLanguage, text: string) => void;
  closeCodeEditor: () => void;
  setNamingLayout: (layout: NamingLayout) => void;
}

export const createCodeSlice: StateCreator<Store, [], [], CodeSlice> = (set, get) => ({
  codeEditor: null,
  namingLayout: 'classic',
  fileMessage: null,
  setFileMessage: (fileMessage) => set({ fileMessage }),
  openCodeEditor: (language, text) => set({ codeEditor: { language, text, version: (get().codeEditor?.version ?? 0) + 1 } }),
  closeCodeEditor: () => set({ codeEditor: null }),
  setNamingLayout: (namingLayout) => set({ namingLayout }),
});
