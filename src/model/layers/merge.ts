// Concatenate and Add: layers called on a list of tensors. Shapes must agree
// (all but the concatenation axis, or all of them); unknown dims match any.
// Each class comes with its config type and its registry entry.

import { Layer, openArgs, type BaseConfig, type LayerArgs } from '../layer.ts';
import type { Dim, Shape } from '../../ops/shapes.ts';
import { describe, fail, shapeText } from '../validate.ts';
import { configArgs, type LayerEntry } from './entry.ts';

export interface ConcatenateConfig extends BaseConfig {
  className: 'Concatenate';
  axis: number;
}

export interface AddConfig extends BaseConfig {
  className: 'Add';
}

function listShapes(shapes: Shape[]): string {
  return shapes.map(shapeText).join(', ');
}

/** Two dims agree if equal or either is unknown; the result keeps what is known. */
function mergeDim(a: Dim, b: Dim): Dim | undefined {
  if (a === null) return b;
  if (b === null) return a;
  return a === b ? a : undefined;
}

export interface ConcatenateArgs extends LayerArgs {
  /** Defaults to -1, the channel/feature axis. */
  axis?: number;
}

export class Concatenate extends Layer {
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    const where = openArgs('Concatenate', args, 'concatenate', ['axis']);
    const axis = args.axis ?? -1;
    if (typeof axis !== 'number' || !Number.isInteger(axis) || axis === 0) {
      fail(where, `axis must be a non-zero integer (0 is the batch axis; -1 is the last), got ${describe(axis)}.`);
    }
    super('Concatenate', args, 'concatenate');
    this.axis = axis;
  }

  override get takesList(): boolean {
    return true;
  }

  protected inferShape(shapes: Shape[]): Shape {
    const rank = shapes[0]!.length;
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    if (axis < 1 || axis >= rank) {
      fail(this.where, `axis ${this.axis} is out of range for inputs of rank ${rank} (${listShapes(shapes)}). Use an axis from 1 to ${rank - 1} or -1.`);
    }
    const out: Shape = [...shapes[0]!];
    for (const s of shapes.slice(1)) {
      const ok = s.length === rank && s.every((d, i) => i === axis || mergeDim(d, out[i]!) !== undefined);
      if (!ok) {
        fail(this.where, `inputs must have the same shape except on axis ${this.axis}, got ${listShapes(shapes)}. Resize them (e.g. pooling or a Dense layer) so only axis ${this.axis} differs.`);
      }
      s.forEach((d, i) => {
        if (i === axis) out[i] = out[i] === null || d === null ? null : (out[i] as number) + d;
        else out[i] = mergeDim(d, out[i]!)!;
      });
    }
    return out;
  }

  getConfig(): ConcatenateConfig {
    return { className: 'Concatenate', ...this.baseConfig(), axis: this.axis };
  }
}

export class Add extends Layer {
  constructor(args: LayerArgs = {}) {
    openArgs('Add', args, 'add', []);
    super('Add', args, 'add');
  }

  override get takesList(): boolean {
    return true;
  }

  // No broadcasting of size-1 dims: the executor adds equal shapes only.
  protected inferShape(shapes: Shape[]): Shape {
    const out: Shape = [...shapes[0]!];
    for (const s of shapes.slice(1)) {
      const ok = s.length === out.length && s.every((d, i) => mergeDim(d, out[i]!) !== undefined);
      if (!ok) {
        fail(this.where, `inputs must all have the same shape, got ${listShapes(shapes)}. Bring them to one shape first (e.g. a Dense or 1x1 Conv2D layer).`);
      }
      s.forEach((d, i) => (out[i] = mergeDim(d, out[i]!)!));
    }
    return out;
  }

  getConfig(): AddConfig {
    return { className: 'Add', ...this.baseConfig() };
  }
}

export const CONCATENATE: LayerEntry<'Concatenate'> = {
  fromConfig: (config) => new Concatenate(configArgs('Concatenate', config) as ConcatenateArgs),
  nameBase: 'concatenate',
  factory: 'concatenate',
  options: [{ key: 'axis', type: 'axis', label: 'axis', default: -1 }],
  sample: { inputs: [[4], [3]] },
};

export const ADD: LayerEntry<'Add'> = {
  fromConfig: (config) => new Add(configArgs('Add', config) as LayerArgs),
  nameBase: 'add',
  factory: 'add',
  options: [],
  sample: { inputs: [[2, 3], [2, 3]] },
};
