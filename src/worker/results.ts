// Test-set results. Fashion-MNIST, from predicted probabilities: accuracy per output, the
// confusion matrix, a gallery of the first test images and the most confidently wrong ones (first
// output). Regression: each output's errors and predicted against true.

import type { RegressionResults, Sample, TestResults } from './protocol.ts';

const CLASSES = 10;
const PIXELS = 28 * 28;
const GALLERY = 24;
const WRONG = 12;

function argmax(probs: Float32Array, row: number): number {
  let best = 0;
  for (let c = 1; c < CLASSES; c++) if (probs[row * CLASSES + c]! > probs[row * CLASSES + best]!) best = c;
  return best;
}

export function testResults(outputNames: string[], predictions: Float32Array[], labels: Uint8Array, images: Uint8Array): TestResults {
  const count = labels.length;
  const accuracy: Record<string, number> = {};
  predictions.forEach((probs, o) => {
    let correct = 0;
    for (let i = 0; i < count; i++) if (argmax(probs, i) === labels[i]) correct++;
    accuracy[outputNames[o]!] = correct / count;
  });
  const probs = predictions[0]!;
  const confusion = Array.from({ length: CLASSES }, () => new Array<number>(CLASSES).fill(0));
  const firstInCell = Array.from({ length: CLASSES }, () => new Array<number>(CLASSES).fill(-1));
  const sample = (i: number): Sample => ({
    index: i,
    label: labels[i]!,
    predicted: argmax(probs, i),
    probs: Array.from(probs.subarray(i * CLASSES, (i + 1) * CLASSES)),
    pixels: images.slice(i * PIXELS, (i + 1) * PIXELS),
  });
  const wrong: { i: number; p: number }[] = [];
  for (let i = 0; i < count; i++) {
    const p = argmax(probs, i);
    confusion[labels[i]!]![p]! += 1;
    if (firstInCell[labels[i]!]![p] === -1) firstInCell[labels[i]!]![p] = i;
    if (p !== labels[i]) wrong.push({ i, p: probs[i * CLASSES + p]! });
  }
  wrong.sort((a, b) => b.p - a.p);
  return {
    accuracy,
    count,
    confusion,
    firstInCell,
    gallery: Array.from({ length: Math.min(GALLERY, count) }, (_, i) => sample(i)),
    wrong: wrong.slice(0, WRONG).map((w) => sample(w.i)),
  };
}

/** Predicted-vs-true points kept per output for the scatter plot. */
const SCATTER = 300;

/**
 * Regression results: each output's mean squared and absolute error over the first `count` test
 * samples (output i against target i), and the first SCATTER (true, predicted) pairs.
 */
export function regressionResults(outputNames: string[], predictions: Float32Array[], targets: Float32Array[], count: number): RegressionResults {
  const outputs = outputNames.map((name, o) => {
    const predicted = predictions[o]!;
    const truth = targets[o]!;
    let se = 0;
    let ae = 0;
    for (let i = 0; i < count; i++) {
      const d = predicted[i]! - truth[i]!;
      se += d * d;
      ae += Math.abs(d);
    }
    const shown = Math.min(SCATTER, count);
    return { name, mse: se / count, mae: ae / count, truth: Array.from(truth.subarray(0, shown)), predicted: Array.from(predicted.subarray(0, shown)) };
  });
  return { kind: 'regression', count, outputs };
}
