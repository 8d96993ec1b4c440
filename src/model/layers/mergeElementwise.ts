// Subtract, Multiply, Average, Maximum and Minimum: Keras's elementwise merge layers, called on a
// list of tensors of one shape (Subtract on exactly two). Like Add (merge.ts), shapes must be
// equal (unknown dims match any); size-1 broadcasting is not supported by the executor.

import type { Dim, Shape } from '../../ops/shapes.ts';
import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import { fail, shapeText } from '../validate.ts';
import { configArgs, type LayerEntry } from './entry.ts';

export type ElementwiseMergeClass = 'Subtract' | 'Multiply' | 'Average' | 'Maximum' | 'Minimum';

export interface ElementwiseMergeConfig extends BaseConfig {
  className: ElementwiseMergeClass;
}

const BASES: Record<ElementwiseMergeClass, string> = {
  Subtract: 'subtract',
  Multiply: 'multiply',
  Average: 'average',
  Maximum: 'maximum',
  Minimum: 'minimum',
};

function mergeDim(a: Dim, b: Dim): Dim | undefined {
  if (a === null) return b;
  if (b === null) return a;
  return a === b ? a : undefined;
}

export class ElementwiseMerge extends Layer {
  constructor(className: ElementwiseMergeClass, args: LayerArgs) {
    openArgs(className, args, BASES[className], []);
    super(className, args, BASES[className]);
  }

  override get takesList(): boolean {
    return true;
  }

  protected inferShape(shapes: Shape[]): Shape {
    const list = shapes.map(shapeText).join(', ');
    if (this.className === 'Subtract' && shapes.length !== 2) {
      fail(this.where, `must be called on exactly 2 inputs (it computes a - b), got ${shapes.length}: ${list}.`);
    }
    const out: Shape = [...shapes[0]!];
    for (const s of shapes.slice(1)) {
      const ok = s.length === out.length && s.every((d, i) => mergeDim(d, out[i]!) !== undefined);
      if (!ok) {
        fail(this.where, `inputs must all have the same shape, got ${list}. Bring them to one shape first (e.g. a Dense or 1x1 Conv2D layer).`);
      }
      s.forEach((d, i) => (out[i] = mergeDim(d, out[i]!)!));
    }
    return out;
  }

  getConfig(): ElementwiseMergeConfig {
    return { className: this.className as ElementwiseMergeClass, ...this.baseConfig() };
  }
}

export class Subtract extends ElementwiseMerge {
  constructor(args: LayerArgs = {}) {
    super('Subtract', args);
  }
}

export class Multiply extends ElementwiseMerge {
  constructor(args: LayerArgs = {}) {
    super('Multiply', args);
  }
}

export class Average extends ElementwiseMerge {
  constructor(args: LayerArgs = {}) {
    super('Average', args);
  }
}

export class Maximum extends ElementwiseMerge {
  constructor(args: LayerArgs = {}) {
    super('Maximum', args);
  }
}

export class Minimum extends ElementwiseMerge {
  constructor(args: LayerArgs = {}) {
    super('Minimum', args);
  }
}

function entry<K extends ElementwiseMergeClass>(className: K, make: (args: LayerArgs) => Layer, inputs: number): LayerEntry<K> {
  return {
    fromConfig: (config) => make(configArgs(className, config) as LayerArgs),
    nameBase: BASES[className],
    factory: BASES[className],
    options: [],
    sample: { inputs: Array.from({ length: inputs }, () => [2, 3]) },
  };
}

export const SUBTRACT = entry('Subtract', (a) => new Subtract(a), 2);
export const MULTIPLY = entry('Multiply', (a) => new Multiply(a), 3);
export const AVERAGE = entry('Average', (a) => new Average(a), 3);
export const MAXIMUM = entry('Maximum', (a) => new Maximum(a), 3);
export const MINIMUM = entry('Minimum', (a) => new Minimum(a), 2);
