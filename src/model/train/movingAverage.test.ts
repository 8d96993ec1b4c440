// The movingAverage instruction on the CPU engine, in a hand-built training Program: it updates a
// non-trainable weight in place as the reference does, the optimizer leaves that weight alone,
// and the memory plan places its input like any other value.
import { expect, it } from 'vitest';
import { movingAverage } from '../../ops/reference/movingAverage';
import { randomArray } from '../../../tests/util/check';
import { CpuEngine } from './cpuEngine';
import { planMemory } from './memoryPlan';
import { movingAverageProgram } from '../../../tests/util/programs';

it('movingAverage: state = momentum * state + (1 - momentum) * x, twice, as the reference; Adam leaves the state to it', async () => {
  const { program, layout } = movingAverageProgram(0.9, true);
  const params = randomArray(layout.size, 1, -1, 1);
  const x = randomArray(6, 2, -1, 1);
  const engine = new CpuEngine();
  await engine.init(layout, params, { kind: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  await engine.attach({ inputs: [{ data: x, shape: [2, 3] }], targets: [] });
  const step = await engine.compile(program);
  step.run(Uint32Array.of(0, 1));
  step.run(Uint32Array.of(0, 1));
  const doubled = x.map((v) => v + v);
  let expected: Float32Array = params.slice(64, 70);
  for (let k = 0; k < 2; k++) expected = movingAverage(expected, doubled, 0.9);
  const after = await engine.readParams();
  expect([...after.subarray(64, 70)]).toEqual([...expected]);
  // The trainable weight has a zero gradient here too: unchanged.
  expect([...after.subarray(0, 5)]).toEqual([...params.subarray(0, 5)]);
  const plan = planMemory(program);
  expect(plan.slotOf.has(2) && !plan.slotOf.has(1)).toBe(true);
});
