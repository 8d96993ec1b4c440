// One colour per model output, the same in every chart, table and plot; and the colours that
// tell earlier runs apart where the charts overlay them.

/** Output i's colour (the first output's is also the single-output models'). */
export const OUTPUT_COLORS = ['#2563eb', '#c2410c', '#15803d', '#9333ea', '#0e7490', '#be185d'];
/** The total loss of a multi-output model (the sum of the outputs' losses). */
export const TOTAL_COLOR = '#334155';
/** Earlier runs, oldest first, drawn thinner under the current one. */
export const RUN_COLORS = ['#94a3b8', '#a78bfa', '#5eead4', '#fda4af', '#fcd34d', '#86efac', '#7dd3fc', '#f9a8d4'];

export const outputColor = (index: number): string => OUTPUT_COLORS[index % OUTPUT_COLORS.length]!;

/**
 * The colour of a Keras log key ("loss", "val_y2_output_loss", "accuracy", ...): the output it
 * names, else the first output for a single-output model, else the total's.
 */
export function keyColor(key: string, outputs: readonly string[]): string {
  const base = key.startsWith('val_') ? key.slice(4) : key;
  const i = outputs.findIndex((o) => base.startsWith(`${o}_`));
  if (i >= 0) return outputColor(i);
  return outputs.length > 1 ? TOTAL_COLOR : outputColor(0);
}
