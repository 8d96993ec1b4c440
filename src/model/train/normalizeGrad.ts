// The gradient rule of `normalize` (BatchNormalization, Normalization). The per-channel sums of dy
// and dy * xhat give dbeta and dgamma; dx is dy * gamma * inverseStd, plus, when the statistics are
// the batch's own (training BatchNormalization), the exact terms through the mean and variance.
import type { GradContext, GradRule, TapeOf } from './gradRules';
import type { ValueId } from './program';

/** Row `row` of sums [2, C] copied into a new [C] value (dbeta: row 0, dgamma: row 1). */
function sumsRow(g: GradContext, sums: ValueId, row: number, into: ValueId, channels: number): void {
  g.emit({ op: 'copyColumns', src: sums, dst: into, rows: 1, width: channels, srcRow: 2 * channels, srcCol: row * channels, dstRow: channels, dstCol: 0 });
}

export const NORMALIZE_RULE: GradRule<'normalize'> = {
  out: (i) => i.y,
  grad: (i: TapeOf<'normalize'>, dy, g) => {
    if (g.needsGrad(i.mean) && !i.batchStats) throw new Error(`${g.origin.where}: the gradient of trainable normalization statistics is not supported`);
    const gammaGrad = i.gamma !== null && g.needsGrad(i.gamma);
    const betaGrad = i.beta !== null && g.needsGrad(i.beta);
    const inputGrad = g.needsGrad(i.x);
    const { x, mean, variance, channels, epsilon, floor } = i;
    let sums: ValueId | null = null;
    if (gammaGrad || betaGrad || (inputGrad && i.batchStats)) {
      sums = g.grad([2, channels], 'sums');
      g.emit({ op: 'normalizeGradSums', dy, x, mean, variance, sums, channels, epsilon, floor });
      if (betaGrad) sumsRow(g, sums, 0, g.weightGrad(i.beta!), channels);
      if (gammaGrad) sumsRow(g, sums, 1, g.weightGrad(i.gamma!), channels);
    }
    if (!inputGrad) return;
    const dx = g.grad([...g.shapeOf(x)], 'input');
    g.emit({ op: 'normalizeGradInput', dy, x, mean, variance, gamma: i.gamma, sums: i.batchStats ? sums : null, dx, channels, epsilon, floor });
    g.addGrad(x, dx);
  },
};
