// Save and load trained models: in the browser (IndexedDB) by name, and as files (model.json +
// weights.bin). Loading validates everything first; a bad file changes nothing.

import { useEffect, useState } from 'react';
import { download, modelFile, parseJsonText, readModel, type LoadedModel } from '../modelFiles.ts';
import { deleteSaved, getSaved, listSaved, putSaved } from '../savedModels.ts';
import { useStore } from '../store/store.ts';

function useApply() {
  return (loaded: LoadedModel, what: string) => {
    const s = useStore.getState();
    s.setSpec(loaded.spec, null);
    if (loaded.weights) {
      s.importTrained(loaded.spec, loaded.weights, s.settings);
      s.setIoMessage({ ok: true, text: `Loaded ${what} with its trained weights; its test results appear below once evaluated.` });
    } else {
      s.setIoMessage({ ok: true, text: `Loaded the model definition from ${what} (no weights).` });
    }
  };
}

/** The models saved in this browser, each with Load and Delete. */
function SavedList({ saved, onLoad, onDelete }: { saved: string[]; onLoad: (key: string) => void; onDelete: (key: string) => void }) {
  if (saved.length === 0) return null;
  return (
    <ul className="saved-list">
      {saved.map((k) => (
        <li key={k}>
          {k} <button type="button" onClick={() => onLoad(k)}>Load</button>{' '}
          <button type="button" onClick={() => onDelete(k)}>Delete</button>
        </li>
      ))}
    </ul>
  );
}

export function SaveLoad() {
  const phase = useStore((s) => s.phase);
  const message = useStore((s) => s.ioMessage);
  const setMessage = useStore((s) => s.setIoMessage);
  const requestExport = useStore((s) => s.requestExport);
  const [saved, setSaved] = useState<string[]>([]);
  const [name, setName] = useState('my-model');
  const apply = useApply();
  const trained = phase === 'done' || phase === 'paused' || phase === 'error';
  const fail = (e: unknown) => setMessage({ ok: false, text: e instanceof Error ? e.message : String(e) });
  const refresh = () => listSaved().then(setSaved, fail);
  useEffect(() => {
    listSaved().then(setSaved, () => setSaved([]));
  }, []);

  const saveInBrowser = async () => {
    try {
      const m = await requestExport();
      await putSaved({ name, savedAt: new Date().toISOString(), modelJson: m.modelJson, manifest: m.manifest, weights: m.weights });
      setMessage({ ok: true, text: `Saved "${name}" in this browser.` });
      refresh();
    } catch (e) {
      fail(e);
    }
  };
  const loadFromBrowser = async (key: string) => {
    try {
      const r = await getSaved(key);
      if (!r) throw new Error(`No saved model named "${key}".`);
      apply(readModel(modelFile(r.modelJson, r.manifest), r.weights, `The saved model "${key}"`), `"${key}"`);
    } catch (e) {
      fail(e);
    }
  };
  const downloadFiles = async () => {
    try {
      const m = await requestExport();
      download('model.json', JSON.stringify(modelFile(m.modelJson, m.manifest), null, 1), 'application/json');
      download('weights.bin', m.weights, 'application/octet-stream');
      setMessage({ ok: true, text: 'Downloaded model.json and weights.bin.' });
    } catch (e) {
      fail(e);
    }
  };
  const upload = async (files: FileList | null) => {
    try {
      const list = [...(files ?? [])];
      const jsonFile = list.find((f) => f.name.endsWith('.json'));
      const binFile = list.find((f) => !f.name.endsWith('.json'));
      if (!jsonFile) throw new Error('Choose a model.json file (and its weights.bin to load trained weights).');
      const json = parseJsonText(await jsonFile.text(), jsonFile.name);
      apply(readModel(json, binFile ? await binFile.arrayBuffer() : null, jsonFile.name), jsonFile.name);
    } catch (e) {
      fail(e);
    }
  };

  return (
    <div className="save-load">
      <div className="toolbar">
        <label className="field inline">
          Name <input type="text" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="button" disabled={!trained || !name.trim()} onClick={saveInBrowser}>Save in browser</button>
        <button type="button" disabled={!trained} onClick={downloadFiles}>Download files</button>
        <label className="file-button">
          Upload files…
          <input type="file" multiple accept=".json,.bin,application/json" data-testid="upload" onChange={(e) => upload(e.target.files).finally(() => (e.target.value = ''))} />
        </label>
      </div>
      <p className="muted small">
        These files are this page's own pair (model.json + weights.bin). Keras's formats (.keras, .h5, .weights.h5, Keras JSON, TF.js, Python) open and download
        with <a href="#model">Open model file and Download model</a> under Model.
      </p>
      {message && <p className={message.ok ? 'notice' : 'notice error-box'} data-testid="io-message">{message.text}</p>}
      <SavedList saved={saved} onLoad={loadFromBrowser} onDelete={(k) => deleteSaved(k).then(refresh, fail)} />
    </div>
  );
}
