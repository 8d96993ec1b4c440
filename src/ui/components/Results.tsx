// After training: test accuracy, the confusion matrix with the ten class names, a gallery of
// test images with predicted vs true class and probability bars, and the most confidently wrong.

import { FASHION_MNIST_CLASSES } from '../../data/idx.ts';
import type { Sample, TestResults } from '../../worker/protocol.ts';
import { useStore } from '../store/store.ts';
import { ImageCanvas } from './ImageCanvas.tsx';

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

function ConfusionMatrix({ confusion }: { confusion: number[][] }) {
  const max = Math.max(1, ...confusion.flat());
  return (
    <div className="table-scroll">
      <table className="confusion" data-testid="confusion">
        <thead>
          <tr>
            <th className="corner">true ↓ / predicted →</th>
            {FASHION_MNIST_CLASSES.map((c) => (
              <th key={c} className="rot"><span>{c}</span></th>
            ))}
          </tr>
        </thead>
        <tbody>
          {confusion.map((row, t) => (
            <tr key={t}>
              <th>{FASHION_MNIST_CLASSES[t]}</th>
              {row.map((n, p) => {
                const alpha = n / max;
                const hue = t === p ? '37, 99, 235' : '220, 38, 38';
                return (
                  <td key={p} style={{ background: `rgba(${hue}, ${alpha.toFixed(3)})`, color: alpha > 0.55 ? 'white' : undefined }}>{n}</td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SampleCard({ s }: { s: Sample }) {
  const ok = s.predicted === s.label;
  return (
    <div className={ok ? 'sample' : 'sample wrong'}>
      <ImageCanvas width={28} height={28} values={s.pixels} size={56} title={`test image ${s.index}`} />
      <div className="sample-text">
        <div>
          <strong>{FASHION_MNIST_CLASSES[s.predicted]}</strong> {pct(s.probs[s.predicted]!)}
        </div>
        <div className="muted">true: {FASHION_MNIST_CLASSES[s.label]}</div>
        <div className="bars" aria-label="class probabilities">
          {s.probs.map((p, c) => (
            <span key={c} title={`${FASHION_MNIST_CLASSES[c]}: ${pct(p)}`} className={c === s.label ? 'bar true' : c === s.predicted ? 'bar pred' : 'bar'} style={{ height: `${Math.max(1, p * 100)}%` }} />
          ))}
        </div>
      </div>
    </div>
  );
}

function Accuracy({ results }: { results: TestResults }) {
  const entries = Object.entries(results.accuracy);
  return (
    <p className="accuracy" data-testid="test-accuracy">
      Test accuracy on {results.count} images:{' '}
      {entries.map(([name, acc], i) => (
        <span key={name}>
          {i > 0 && ', '}
          <strong>{pct(acc)}</strong>
          {entries.length > 1 && ` (${name})`}
        </span>
      ))}
    </p>
  );
}

export function Results() {
  const results = useStore((s) => s.results);
  if (!results) return <p className="muted">Train a model to see its test accuracy, confusion matrix and predictions here.</p>;
  return (
    <div className="results">
      <Accuracy results={results} />
      <h3>Confusion matrix</h3>
      <ConfusionMatrix confusion={results.confusion} />
      <h3>Test images: predicted vs true</h3>
      <div className="gallery" data-testid="gallery">
        {results.gallery.map((s) => (
          <SampleCard key={s.index} s={s} />
        ))}
      </div>
      <h3>Most confidently wrong</h3>
      <div className="gallery" data-testid="wrong">
        {results.wrong.length === 0 ? <p className="muted">None wrong.</p> : results.wrong.map((s) => <SampleCard key={s.index} s={s} />)}
      </div>
    </div>
  );
}
