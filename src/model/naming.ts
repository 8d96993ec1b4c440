// Keras automatic names: one counter per base name in a resettable scope, so
// two models built one after the other are named like in one Keras session
// (conv2d, conv2d_1, ...; sequential, sequential_1; model, model_1).
//
// Inputs use the classic tf.keras 2.x spelling `input_1`, `input_2` (1-based,
// InputLayer.__init__ uses backend.get_uid('input')), because the summary
// layout we reproduce char for char is the TF 2.0-2.6 one; Keras 3's
// `input_layer` would mix two eras in one printout. A scope set to the Keras 3
// layout (the Python reader's, for code that Keras 3 would run) names like Keras
// 3.15 instead: inputs `input_layer`, `input_layer_1` (zero-based, also for a
// Sequential's implicit input) and functional models `functional`, `functional_1`.

import type { NamingLayout } from './io/types.ts';

export class NameScope {
  private counters = new Map<string, number>();
  /** Whose automatic names: tf.keras 2.x's (the default) or Keras 3's. */
  layout: NamingLayout = 'classic';

  /** The base and counting of an unnamed InputLayer's name. */
  get inputBase(): { base: string; oneBased: boolean } {
    return this.layout === 'keras3' ? { base: 'input_layer', oneBased: false } : { base: 'input', oneBased: true };
  }

  /** The base of an unnamed functional model's name. */
  get modelBase(): string {
    return this.layout === 'keras3' ? 'functional' : 'model';
  }

  /** Zero-based names: base, base_1, base_2 (backend.unique_object_name). */
  next(base: string): string {
    const n = this.counters.get(base) ?? 0;
    this.counters.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  }

  /** One-based names: base_1, base_2 (backend.get_uid, used for inputs). */
  nextOneBased(base: string): string {
    const n = (this.counters.get(base) ?? 0) + 1;
    this.counters.set(base, n);
    return `${base}_${n}`;
  }

  /** The name next() would give, without taking it (for error messages). */
  peek(base: string): string {
    const n = this.counters.get(base) ?? 0;
    return n === 0 ? base : `${base}_${n}`;
  }

  /**
   * Give back a name that turned out unused (a layer whose first apply
   * failed), so a failed `add` does not shift later names. Only the most
   * recent name of a base can be given back; older ones stay taken.
   */
  release(base: string, name: string, oneBased: boolean): boolean {
    const n = this.counters.get(base) ?? 0;
    const last = oneBased ? `${base}_${n}` : n <= 1 ? base : `${base}_${n - 1}`;
    if (n === 0 || name !== last) return false;
    this.counters.set(base, n - 1);
    return true;
  }

  reset(): void {
    this.counters.clear();
  }
}

// The session scope (Keras keeps it per graph; we keep one per page).
export const defaultNameScope = new NameScope();

/** Like tf.keras.backend.clear_session() for names. */
export function resetNameScope(): void {
  defaultNameScope.reset();
}
