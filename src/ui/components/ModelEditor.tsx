// The model editor: add, remove, reorder and configure layers; for functional models, wire
// each layer to one or more inputs and choose the outputs. Every edit is tried at once; an
// invalid one shows the model API's error next to its layer and the last valid model stays.

import { useState } from 'react';
import { LAYER_CLASS_NAMES, takesInputList, type LayerClassName, type LayerConfig } from '../../model/index.ts';
import { defaultLayer, type ModelSpec, type SpecLayer } from '../../worker/modelSpec.ts';
import { useStore } from '../store/store.ts';
import { LayerFields, type Patch } from './LayerFields.tsx';
import { ShapeInput } from './ShapeInput.tsx';

function Wiring({ draft, l, onChange }: { draft: ModelSpec; l: SpecLayer; onChange: (spec: ModelSpec) => void }) {
  if (l.config.className === 'InputLayer') return null;
  const others = draft.layers.map((o) => o.config.name).filter((name) => name !== l.config.name);
  const toggle = (name: string, on: boolean) => {
    const inputs = on ? [...(l.inputs ?? []), name] : (l.inputs ?? []).filter((n) => n !== name);
    onChange({ ...draft, layers: draft.layers.map((o) => (o.config.name === l.config.name ? { ...o, inputs } : o)) });
  };
  return (
    <div className="wiring">
      <span className="muted">inputs:</span>
      {others.map((name) => (
        <label key={name} className="chip">
          <input type="checkbox" checked={(l.inputs ?? []).includes(name)} onChange={(e) => toggle(name, e.target.checked)} />
          {name}
        </label>
      ))}
    </div>
  );
}

export function ModelEditor() {
  const draft = useStore((s) => s.draft);
  const error = useStore((s) => s.editError);
  const editDraft = useStore((s) => s.editDraft);
  const [addType, setAddType] = useState<LayerClassName>('Dense');
  const functional = draft.api === 'functional';
  const names = draft.layers.map((l) => l.config.name);

  const setLayers = (layers: SpecLayer[], outputs = draft.outputs) => editDraft({ ...draft, layers, ...(functional ? { outputs } : {}) });
  const patch = (i: number): Patch => (p) => setLayers(draft.layers.map((l, j) => (j === i ? { ...l, config: { ...l.config, ...p } as LayerConfig } : l)));
  const move = (i: number, d: -1 | 1) => {
    const layers = draft.layers.slice();
    [layers[i], layers[i + d]] = [layers[i + d]!, layers[i]!];
    setLayers(layers);
  };
  const remove = (i: number) => {
    const gone = draft.layers[i]!.config.name;
    const layers = draft.layers.filter((_, j) => j !== i).map((l) => (l.inputs ? { ...l, inputs: l.inputs.filter((n) => n !== gone) } : l));
    setLayers(layers, (draft.outputs ?? []).filter((n) => n !== gone));
  };
  const add = () => {
    const layer = defaultLayer(addType, names);
    if (functional && addType !== 'InputLayer') {
      const last = draft.layers[draft.layers.length - 1];
      layer.inputs = last ? [last.config.name] : [];
      // The new layer takes over as output from the layer it follows.
      const outputs = (draft.outputs ?? []).map((n) => (last && n === last.config.name ? layer.config.name : n));
      return setLayers([...draft.layers, layer], outputs);
    }
    setLayers([...draft.layers, layer]);
  };
  const toggleOutput = (name: string, on: boolean) =>
    setLayers(draft.layers, on ? [...(draft.outputs ?? []), name] : (draft.outputs ?? []).filter((n) => n !== name));

  // Merge layers (Concatenate, Add, Subtract, ...) take several inputs: functional models only.
  const addable = LAYER_CLASS_NAMES.filter((c) => functional || (c !== 'InputLayer' && !takesInputList(c)));
  return (
    <div className="editor" data-testid="editor">
      {error && !error.layer && <p className="error" data-testid="edit-error">{error.message}</p>}
      {!functional && (
        <ShapeInput label="input shape" value={draft.inputShape ?? []} onChange={(inputShape) => editDraft({ ...draft, inputShape })} />
      )}
      <ol className="layer-list">
        {draft.layers.map((l, i) => (
          <li key={l.config.name} className={error?.layer === l.config.name ? 'layer invalid' : 'layer'} data-layer={l.config.name}>
            <div className="layer-head">
              <strong>{l.config.name}</strong> <span className="muted">{l.config.className}</span>
              <span className="spacer" />
              {functional && l.config.className !== 'InputLayer' && (
                <label className="chip">
                  <input type="checkbox" checked={(draft.outputs ?? []).includes(l.config.name)} onChange={(e) => toggleOutput(l.config.name, e.target.checked)} />
                  output
                </label>
              )}
              <button type="button" title="Move up" aria-label={`Move ${l.config.name} up`} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
              <button type="button" title="Move down" aria-label={`Move ${l.config.name} down`} disabled={i === draft.layers.length - 1} onClick={() => move(i, 1)}>↓</button>
              <button type="button" title="Remove" aria-label={`Remove ${l.config.name}`} onClick={() => remove(i)}>✕</button>
            </div>
            <div className="fields">
              <LayerFields config={l.config} patch={patch(i)} />
            </div>
            {functional && <Wiring draft={draft} l={l} onChange={editDraft} />}
            {error?.layer === l.config.name && <p className="error" data-testid="edit-error">{error.message}</p>}
          </li>
        ))}
      </ol>
      <div className="add-layer">
        <select value={addType} onChange={(e) => setAddType(e.target.value as LayerClassName)} aria-label="Layer type">
          {addable.map((c) => (
            <option key={c} value={c}>{c}</option>
          ))}
        </select>
        <button type="button" onClick={add}>Add layer</button>
      </div>
    </div>
  );
}
