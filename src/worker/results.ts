// Test-set results from predicted probabilities: accuracy per output, the confusion matrix,
// a gallery of the first test images and the most confidently wrong ones (first output).

import type { Sample, TestResults } from './protocol.ts';

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
    if (p !== labels[i]) wrong.push({ i, p: probs[i * CLASSES + p]! });
  }
  wrong.sort((a, b) => b.p - a.p);
  return {
    accuracy,
    count,
    confusion,
    gallery: Array.from({ length: Math.min(GALLERY, count) }, (_, i) => sample(i)),
    wrong: wrong.slice(0, WRONG).map((w) => sample(w.i)),
  };
}
