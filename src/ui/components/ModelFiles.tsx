// Model files in and out: "Open model file" (and files dropped anywhere on the page) for .keras,
// .h5, .weights.h5, Keras JSON, TF.js model.json + shards and .py; a Download menu writing the
// current model (trained or freshly initialized) in each format. The worker reads and writes.

import { useStore } from '../store/store.ts';
import type { NamedBytes, WriteFormat } from '../../model/io/types.ts';
import { applyOpened } from '../applyModel.ts';
import { download } from '../modelFiles.ts';

export const OPEN_ACCEPT = '.keras,.h5,.hdf5,.json,.bin,.py,.ts';
/** Files larger than this together are refused before reading (the worker checks again). */
const MAX_BYTES = 1 << 30;

/** Each format, and whether its files carry the weights (the others: architecture and compile settings). */
const FORMATS: { id: string; format: WriteFormat; label: string; weights: boolean }[] = [
  { id: 'keras', format: 'keras', label: 'Keras 3 (.keras)', weights: true },
  { id: 'h5', format: 'h5', label: 'HDF5 (.h5)', weights: true },
  { id: 'weights.h5', format: 'weights.h5', label: 'Weights only (.weights.h5)', weights: true },
  { id: 'json', format: 'json', label: 'Keras JSON, tf.keras 2 (.json)', weights: false },
  { id: 'keras3-json', format: 'keras3-json', label: 'Keras JSON, Keras 3 (.json)', weights: false },
  { id: 'tfjs', format: 'tfjs', label: 'TensorFlow.js (model.json + .bin)', weights: true },
  { id: 'python', format: 'python', label: 'Python (.py)', weights: false },
  { id: 'python-weights', format: 'python', label: 'Python with weights (.py + .weights.h5)', weights: true },
];

const mimeOf = (name: string): string =>
  name.endsWith('.json') ? 'application/json' : name.endsWith('.py') ? 'text/x-python' : 'application/octet-stream';
const why = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Reads the chosen or dropped files and has the worker open them; errors keep the model. */
export async function openFileList(list: File[]): Promise<void> {
  const s = useStore.getState();
  try {
    if (list.length === 0) return;
    const total = list.reduce((n, f) => n + f.size, 0);
    if (total > MAX_BYTES) throw new Error(`${list.map((f) => f.name).join(', ')}: ${(total / 2 ** 20).toFixed(0)} MiB is more than a model may have here (1024 MiB).`);
    const files: NamedBytes[] = await Promise.all(list.map(async (f) => ({ name: f.name, data: new Uint8Array(await f.arrayBuffer()) })));
    applyOpened(await s.openFiles(files, s.namingLayout));
  } catch (e) {
    s.setFileMessage({ ok: false, text: why(e) });
  }
}

async function downloadAs(id: string): Promise<void> {
  const s = useStore.getState();
  const entry = FORMATS.find((f) => f.id === id)!;
  try {
    const { files, trained } = await s.writeFiles(entry.format, id === 'python-weights');
    for (const f of files) download(f.name, f.data as Uint8Array<ArrayBuffer>, mimeOf(f.name));
    const names = files.map((f) => f.name).join(', ');
    const weights = !entry.weights ? 'the architecture without weights' : trained ? 'with the trained weights' : 'untrained (freshly initialized weights)';
    s.setFileMessage({ ok: true, text: `Downloaded ${names} as ${entry.label}: ${weights}.` });
  } catch (e) {
    s.setFileMessage({ ok: false, text: why(e) });
  }
}

export function ModelFiles() {
  const message = useStore((s) => s.fileMessage);
  const layout = useStore((s) => s.namingLayout);
  const setLayout = useStore((s) => s.setNamingLayout);
  return (
    <div className="model-files">
      <div className="toolbar">
        <label className="file-button">
          Open model file…
          <input
            type="file"
            multiple
            accept={OPEN_ACCEPT}
            aria-label="Open model file (.keras, .h5, .weights.h5, .json, model.json + .bin, .py)"
            data-testid="open-model-file"
            onChange={(e) => openFileList([...(e.target.files ?? [])]).finally(() => (e.target.value = ''))}
          />
        </label>
        <span className="muted small">or drop files anywhere on the page</span>
        <details className="menu">
          <summary>Download model</summary>
          <div className="menu-items" role="group" aria-label="Download the current model as">
            {FORMATS.map(({ id, label }) => (
              <button key={id} type="button" data-testid={`download-${id}`} onClick={(e) => {
                  // A menu closes once something in it is chosen.
                  const menu = e.currentTarget.closest('details');
                  if (menu) menu.open = false;
                  void downloadAs(id);
                }}>
                {label}
              </button>
            ))}
          </div>
        </details>
        <label className="field inline small">
          Automatic names
          <select value={layout} onChange={(e) => setLayout(e.target.value as typeof layout)} aria-label="Automatic names of pasted code and opened files">
            <option value="classic">tf.keras 2 (input_1)</option>
            <option value="keras3">Keras 3 (input_layer)</option>
          </select>
        </label>
      </div>
      {message && <p className={message.ok ? 'notice' : 'notice error-box'} data-testid="file-message" role="status">{message.text}</p>}
    </div>
  );
}
