// Looking inside, as chapter 8-3 does: the first conv layer's filters before and after training
// on one shared colour scale (every input channel), and the feature maps of every conv/pool layer
// (every channel) for a chosen test image: computed in the worker by a functional sub-model,
// refreshed during training. Gallery images open here.

import { FASHION_MNIST_CLASSES } from '../../data/idx.ts';
import type { FeatureMap, Inside } from '../../worker/protocol.ts';
import { TEST_IMAGES } from '../../worker/settings.ts';
import { useStore } from '../store/store.ts';
import { ImageCanvas } from './ImageCanvas.tsx';

type Filters = NonNullable<Inside['filters']>;

function valueRange(...arrays: Float32Array[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    for (const v of a) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return [lo, hi];
}

/** One row of tiles per input channel; kernel [kh, kw, inC, outC]: (y, x, c, o) at (y*kw + x)*inC*outC + c*outC + o. */
function FilterTiles({ filters, range, when }: { filters: Filters; range: readonly [number, number]; when: string }) {
  const [kh, kw, inC, outC] = filters.shape;
  return (
    <div className="filter-set" data-when={when}>
      <div className="filter-label">{when}</div>
      {Array.from({ length: inC }, (_, c) => (
        <div key={c} className="tiles">
          {inC > 1 && <span className="muted small">input channel {c + 1}</span>}
          {Array.from({ length: outC }, (_, o) => (
            <ImageCanvas key={o} width={kw} height={kh} values={filters.values} stride={inC * outC} offset={c * outC + o} size={36} range={range} title={`${when}: filter ${o + 1}, input channel ${c + 1}`} />
          ))}
        </div>
      ))}
    </div>
  );
}

function FiltersView({ now, before }: { now: Filters; before: Filters | null }) {
  const range = before ? valueRange(before.values, now.values) : valueRange(now.values);
  const [, , inC, outC] = now.shape;
  return (
    <div>
      <h3>
        Filters of {now.layer} ({outC} filters × {inC} input channel{inC === 1 ? '' : 's'})
      </h3>
      <p className="muted small">
        One colour scale for all: black is {range[0].toFixed(3)}, white is {range[1].toFixed(3)}.
      </p>
      {before && <FilterTiles filters={before} range={range} when="Before training" />}
      <div data-testid="filters">
        <FilterTiles filters={now} range={range} when={before ? 'After training' : 'Now'} />
      </div>
    </div>
  );
}

function Maps({ map }: { map: FeatureMap }) {
  const [h, w, c] = map.shape;
  const size = c > 32 ? 40 : 56;
  return (
    <div className="map-row">
      <div className="map-label">
        {map.layer} <span className="muted">{map.className} · {h}×{w}×{c}</span>
      </div>
      <div className="tiles">
        {Array.from({ length: c }, (_, ch) => (
          <ImageCanvas key={ch} width={w} height={h} values={map.values} stride={c} offset={ch} size={size} title={`${map.layer} channel ${ch + 1}`} />
        ))}
      </div>
    </div>
  );
}

export function LookInside() {
  const inside = useStore((s) => s.inside);
  const before = useStore((s) => s.insideBefore);
  const index = useStore((s) => s.inspectIndex);
  const setIndex = useStore((s) => s.setInspectIndex);
  const send = useStore((s) => s.send);
  if (!inside) {
    return <p className="muted">Train a CNN to see its filters before and after training and the feature maps of a test image here; they update as it learns. Click any test image under Test results to open it here.</p>;
  }
  const choose = (i: number) => {
    const next = Math.max(0, Math.min(TEST_IMAGES - 1, i));
    setIndex(next);
    send({ type: 'inspect', imageIndex: next });
  };
  const beforeFilters = before && before !== inside ? before.filters : null;
  return (
    <div className="inside" data-testid="inside">
      {inside.filters ? <FiltersView now={inside.filters} before={beforeFilters} /> : <p className="muted">This model has no Conv2D layer.</p>}
      <h3>Feature maps</h3>
      <div className="toolbar">
        <ImageCanvas width={28} height={28} values={inside.pixels} size={56} title={`test image ${inside.imageIndex}`} />
        <span data-testid="inside-image">
          Test image {inside.imageIndex} ({FASHION_MNIST_CLASSES[inside.label]})
        </span>
        <button type="button" onClick={() => choose(index - 1)}>Previous image</button>
        <button type="button" onClick={() => choose(index + 1)}>Next image</button>
      </div>
      {inside.maps.length === 0 ? <p className="muted">This model has no conv or pooling layer.</p> : inside.maps.map((m) => <Maps key={m.layer} map={m} />)}
    </div>
  );
}
