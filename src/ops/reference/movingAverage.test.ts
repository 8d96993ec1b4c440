// The moving-average reference: momentum 0 takes x, momentum 1 keeps the state, 0.9 mixes in float32.
import { expect, it } from 'vitest';
import { movingAverage } from './movingAverage';

it('movingAverage mixes state and x by momentum, in float32', () => {
  const state = Float32Array.of(1, -2, 0.5);
  const x = Float32Array.of(3, 4, -0.25);
  expect([...movingAverage(state, x, 0)]).toEqual([...x]);
  expect([...movingAverage(state, x, 1)]).toEqual([...state]);
  const f = Math.fround;
  expect([...movingAverage(state, x, 0.9)]).toEqual([...state].map((s, i) => f(f(s * f(0.9)) + f(x[i] * f(1 - 0.9)))));
  expect(() => movingAverage(state, Float32Array.of(1), 0.5)).toThrow(/sizes differ/);
});
