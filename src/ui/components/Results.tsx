// After training: test accuracy, the confusion matrix with the ten class names, a gallery of
// test images with predicted vs true class and probability bars, and the most confidently wrong
// (a click opens an image in Look inside); a regression run's errors and scatter plots instead.
// Marked stale once the page's model is no longer the one that was trained.

import { FASHION_MNIST_CLASSES } from '../../data/idx.ts';
import type { Sample, TestResults } from '../../worker/protocol.ts';
import { outputColor } from '../colors.ts';
import { RegressionView } from './RegressionResults.tsx';
import { StaleNote } from './StaleNote.tsx';
import { useStore } from '../store/store.ts';
import { ImageCanvas } from './ImageCanvas.tsx';

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

const luminance = (rgb: number[]): number => {
  const [r, g, b] = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
};

/**
 * A cell's colour (blue on the diagonal, red off it, deeper with the count), blended onto white,
 * and black or white text, whichever keeps the WCAG contrast above 4.5:1.
 */
function cellColors(share: number, correct: boolean): { background: string; color: string } {
  const hue = correct ? [30, 64, 175] : [185, 28, 28];
  const rgb = hue.map((c) => Math.round(255 + (c - 255) * share));
  return { background: `rgb(${rgb.join(', ')})`, color: luminance(rgb) > 0.18 ? '#000' : '#fff' };
}

function ConfusionMatrix({ confusion, firstInCell }: { confusion: number[][]; firstInCell: number[][] | undefined }) {
  const max = Math.max(1, ...confusion.flat());
  const open = useOpenInside();
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Confusion matrix">
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
                const { background, color } = cellColors(n / max, t === p);
                const first = firstInCell?.[t]?.[p] ?? -1;
                // A mouse shortcut: the gallery's images open the same view from the keyboard.
                const title = first >= 0 ? `${FASHION_MNIST_CLASSES[t]} predicted as ${FASHION_MNIST_CLASSES[p]}: click to look inside test image ${first}` : undefined;
                return (
                  <td key={p} style={{ background, color }} className={first >= 0 ? 'clickable' : undefined} title={title} onClick={first >= 0 ? () => open(first) : undefined}>{n}</td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Opens test image `index` in Look inside (its feature maps) and scrolls there. */
function useOpenInside(): (index: number) => void {
  const setIndex = useStore((s) => s.setInspectIndex);
  const send = useStore((s) => s.send);
  return (index) => {
    setIndex(index);
    send({ type: 'inspect', imageIndex: index });
    document.getElementById('inside')?.scrollIntoView({ behavior: 'smooth' });
  };
}

function SampleCard({ s }: { s: Sample }) {
  const ok = s.predicted === s.label;
  const open = useOpenInside();
  return (
    <button type="button" className={ok ? 'sample' : 'sample wrong'} onClick={() => open(s.index)} aria-label={`${FASHION_MNIST_CLASSES[s.predicted]} ${pct(s.probs[s.predicted]!)} true: ${FASHION_MNIST_CLASSES[s.label]} (test image ${s.index}; open in Look inside)`}>
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
    </button>
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
          {entries.length > 1 && (
            <>
              {' ('}
              <span style={{ color: outputColor(i) }}>{name}</span>)
            </>
          )}
        </span>
      ))}
    </p>
  );
}

export function Results() {
  const results = useStore((s) => s.results);
  if (!results) {
    return <p className="muted">After a run, its test results appear here: for Fashion-MNIST the accuracy, the confusion matrix and predictions; for the regression set each output's error and predicted-vs-true plot.</p>;
  }
  if ('kind' in results) {
    return (
      <>
        <StaleNote what="These results" />
        <RegressionView results={results} />
      </>
    );
  }
  return (
    <div className="results">
      <StaleNote what="These results" />
      <Accuracy results={results} />
      <h3>Confusion matrix</h3>
      <ConfusionMatrix confusion={results.confusion} firstInCell={results.firstInCell} />
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
