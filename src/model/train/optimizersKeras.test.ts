// Every optimizer's CPU reference step (clipping, weight decay and schedules included) against
// Keras 3.15.1: tests/fixtures/keras/optimizers/keras3.15.1_optimizers.json, made by make_optimizers.py
// (5 steps on two small weights with fixed gradients), and the schedules' values.
// Tolerance: Keras takes beta^t with pow, we multiply step by step (a few ulps of alpha apart).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optimizerSlots, optimizerSlotInit } from '../../ops/optimizers';
import { scheduleValue, type ScheduleConfig } from '../../ops/schedules';
import { applyOptimizer } from '../../ops/reference/optimizerApply';
import { newOptimizerState } from '../../ops/reference/optimizers';
import { LearningRate } from './learningRate';
import { resolveOptimizer, type OptimizerArg } from './optimizerConfig';

interface Fixture {
  weights: number[][];
  grads: number[][][];
  optimizers: { name: string; options: OptimizerArg; after: number[][][] }[];
  schedules: { options: ScheduleConfig; values: number[] }[];
}

const fixture = JSON.parse(readFileSync(new URL('../../../tests/fixtures/keras/optimizers/keras3.15.1_optimizers.json', import.meta.url), 'utf8')) as Fixture;

function closeTo(actual: ArrayLike<number>, expected: number[], rel: number, what: string): void {
  const worst = Array.from(actual).reduce((m, a, i) => Math.max(m, Math.abs(a - expected[i]) / Math.max(1e-3, Math.abs(expected[i]))), 0);
  expect(worst, `${what}: ${Array.from(actual).join(', ')} vs ${expected.join(', ')}`).toBeLessThan(rel);
}

describe('optimizers against Keras 3.15.1', () => {
  const segments = [
    { offset: 0, size: fixture.weights[0].length },
    { offset: fixture.weights[0].length, size: fixture.weights[1].length },
  ];
  for (const c of fixture.optimizers) {
    it(c.name, () => {
      const config = resolveOptimizer(c.options);
      const w = Float32Array.from(fixture.weights.flat());
      const slots = new Float32Array(optimizerSlots(config) * w.length).fill(optimizerSlotInit(config));
      const state = newOptimizerState();
      const lr = new LearningRate(config);
      for (let step = 0; step < c.after.length; step++) {
        const g = Float32Array.from(fixture.grads[step].flat());
        applyOptimizer(w, g, slots, state, config, lr.at(state.iterations), segments);
        closeTo(w, c.after[step].flat(), 1e-5, `${c.name} step ${step + 1}`);
      }
    });
  }
});

describe('learning-rate schedules against Keras 3.15.1', () => {
  for (const s of fixture.schedules) {
    it(`${s.options.className} ${JSON.stringify(s.options)}`, () => {
      closeTo(
        s.values.map((_, step) => scheduleValue(s.options, step)),
        s.values,
        1e-6,
        s.options.className,
      );
    });
  }
});
