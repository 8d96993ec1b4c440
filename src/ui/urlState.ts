// The model and the training settings in the page's URL, as data: `example=seed-cnn` for an
// unedited built-in model or `model=<base64url JSON spec>`, `compare=<example>`, and one
// parameter per setting. Read once at start (each value validated), written on every change.

import { EXAMPLE_KEYS, exampleSpec, isExampleKey } from '../worker/examples.ts';
import { parseSpec, type ModelSpec } from '../worker/modelSpec.ts';
import { DEFAULT_SETTINGS, ENGINE_CHOICES, type EngineChoice, type TrainSettings } from '../worker/settings.ts';
import { useStore } from './store/store.ts';

const SETTING_KEYS: Record<keyof TrainSettings, string> = {
  epochs: 'epochs', batchSize: 'batch', learningRate: 'lr', optimizer: 'optimizer', validationSplit: 'val',
  trainSize: 'train', testSize: 'test', seed: 'seed', engine: 'engine', loss: 'loss',
};

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

export function encodeSpec(spec: ModelSpec): string {
  return toBase64Url(JSON.stringify(spec));
}

/** Reads the URL into the store; returns a message when part of it was unusable. */
export function readUrl(search: string): string | null {
  const params = new URLSearchParams(search);
  const state = useStore.getState();
  const problems: string[] = [];
  const example = params.get('example');
  const encoded = params.get('model');
  if (encoded) {
    try {
      state.setSpec(parseSpec(JSON.parse(fromBase64Url(encoded))), null);
    } catch (e) {
      problems.push(`the model in the link is not valid (${e instanceof Error ? e.message : String(e)})`);
    }
  } else if (example) {
    if (isExampleKey(example)) state.setSpec(exampleSpec(example), example);
    else problems.push(`unknown example "${example}" (known: ${EXAMPLE_KEYS.join(', ')})`);
  }
  const compare = params.get('compare');
  if (compare && isExampleKey(compare)) state.pickCompare(compare);
  const settings: TrainSettings = { ...DEFAULT_SETTINGS };
  for (const [key, name] of Object.entries(SETTING_KEYS) as [keyof TrainSettings, string][]) {
    const raw = params.get(name);
    if (raw === null) continue;
    if (key === 'optimizer') settings.optimizer = raw as TrainSettings['optimizer'];
    else if (key === 'engine') {
      // Links from before Auto say webgpu or cpu (a forced engine); no engine now means Auto.
      if (ENGINE_CHOICES.includes(raw as EngineChoice)) settings.engine = raw as EngineChoice;
      else problems.push(`unknown engine "${raw}" (known: ${ENGINE_CHOICES.join(', ')})`);
    }
    else if (key === 'loss') settings.loss = raw as TrainSettings['loss'];
    else settings[key] = Number(raw);
  }
  state.setSettings(settings);
  return problems.length > 0 ? `Parts of the link were ignored: ${problems.join('; ')}.` : null;
}

/** The URL for the current state. */
export function currentUrl(): string {
  const s = useStore.getState();
  const params = new URLSearchParams();
  if (s.example) params.set('example', s.example);
  else params.set('model', encodeSpec(s.spec));
  params.set('compare', s.compareExample);
  for (const [key, name] of Object.entries(SETTING_KEYS) as [keyof TrainSettings, string][]) {
    if (s.settings[key] !== DEFAULT_SETTINGS[key]) params.set(name, String(s.settings[key]));
  }
  return `${location.pathname}?${params.toString()}`;
}

/** Keeps the address bar in step with the store. */
export function syncUrl(): void {
  let last = '';
  useStore.subscribe((s, prev) => {
    if (s.spec === prev.spec && s.settings === prev.settings && s.compareExample === prev.compareExample && s.example === prev.example) return;
    const url = currentUrl();
    if (url !== last) {
      last = url;
      history.replaceState(null, '', url);
    }
  });
}
