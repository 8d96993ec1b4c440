// Looking inside: the first conv layer's filters as images and the feature maps of every
// conv/pool layer for a chosen test image (computed in the worker by a functional sub-model,
// refreshed during training).

import { FASHION_MNIST_CLASSES } from '../../data/idx.ts';
import type { FeatureMap, Inside } from '../../worker/protocol.ts';
import { TEST_IMAGES } from '../../worker/settings.ts';
import { useStore } from '../store/store.ts';
import { ImageCanvas } from './ImageCanvas.tsx';

const MAX_CHANNELS = 16;

function Filters({ filters }: { filters: NonNullable<Inside['filters']> }) {
  const [kh, kw, inC, outC] = filters.shape;
  return (
    <div>
      <h3>Filters of {filters.layer} (channel 1 of {inC})</h3>
      <div className="tiles" data-testid="filters">
        {Array.from({ length: outC }, (_, o) => (
          // kernel [kh, kw, inC, outC]: element (y, x, 0, o) sits at (y*kw + x)*inC*outC + o.
          <ImageCanvas key={o} width={kw} height={kh} values={filters.values} stride={inC * outC} offset={o} size={36} title={`filter ${o}`} />
        ))}
      </div>
    </div>
  );
}

function Maps({ map }: { map: FeatureMap }) {
  const [h, w, c] = map.shape;
  const shown = Math.min(c, MAX_CHANNELS);
  return (
    <div className="map-row">
      <div className="map-label">
        {map.layer} <span className="muted">{map.className} · {h}×{w}×{c}{c > shown ? `, first ${shown}` : ''}</span>
      </div>
      <div className="tiles">
        {Array.from({ length: shown }, (_, ch) => (
          <ImageCanvas key={ch} width={w} height={h} values={map.values} stride={c} offset={ch} size={56} title={`channel ${ch}`} />
        ))}
      </div>
    </div>
  );
}

export function LookInside() {
  const inside = useStore((s) => s.inside);
  const index = useStore((s) => s.inspectIndex);
  const setIndex = useStore((s) => s.setInspectIndex);
  const send = useStore((s) => s.send);
  if (!inside) return <p className="muted">Train a CNN to see its filters and feature maps here; they update as it learns.</p>;
  const choose = (i: number) => {
    const next = Math.max(0, Math.min(TEST_IMAGES - 1, i));
    setIndex(next);
    send({ type: 'inspect', imageIndex: next });
  };
  return (
    <div className="inside" data-testid="inside">
      {inside.filters ? <Filters filters={inside.filters} /> : <p className="muted">This model has no Conv2D layer.</p>}
      <h3>Feature maps</h3>
      <div className="toolbar">
        <ImageCanvas width={28} height={28} values={inside.pixels} size={56} />
        <span>
          Test image {inside.imageIndex} ({FASHION_MNIST_CLASSES[inside.label]})
        </span>
        <button type="button" onClick={() => choose(index - 1)}>Previous</button>
        <button type="button" onClick={() => choose(index + 1)}>Next</button>
      </div>
      {inside.maps.length === 0 ? <p className="muted">This model has no conv or pooling layer.</p> : inside.maps.map((m) => <Maps key={m.layer} map={m} />)}
    </div>
  );
}
