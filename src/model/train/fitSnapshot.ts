// The whole state of a fit at a step boundary, enough to go on bit for bit (Keras's
// BackupAndRestore): the engine's weights, optimizer slots and counters (the iteration count
// also seeds dropout), the epoch's sample order and the shuffle generator, the epoch's metric
// sums, the learning rate, the history so far and the callbacks' state (EarlyStopping's wait and
// best weights, ReduceLROnPlateau's). fit takes one through `backup` and goes on from one given
// as `resumeFrom`.
import type { Random } from '../random';
import type { Callback, CallbackState, Logs } from './callbacks';
import type { Engine, EngineState } from './engine';
import type { History, ResolvedFit } from './fitArgs';

export interface FitSnapshot {
  /** The epoch in progress (0-based); `epochs` when fit had finished. */
  epoch: number;
  /** Steps of that epoch done; 0 means the epoch has not begun (its shuffle is still to come). */
  step: number;
  /** The sample order of the epoch (the next shuffle permutes it further). */
  order: Uint32Array;
  /** The shuffle generator's state after the epoch's shuffle. */
  rng: Uint32Array;
  engine: EngineState;
  /** The metric sums of the epoch's steps so far (the running means go on from them). */
  sums: Float64Array;
  /** The epoch's running means at this step, as fit's logs give them ({} at step 0). */
  logs: Logs;
  learningRate: number;
  /** Logs of the finished epochs. */
  history: History;
  /** The state of each of fit's callbacks, by position (null: a callback without one); absent in older backups. */
  callbacks?: (CallbackState | null)[];
}

/** When fit takes a snapshot: after `due` says so for a step, at every epoch end, and when stopped mid-epoch. */
export interface BackupHook {
  /** Asked after every training step with the steps done in the epoch. */
  due(step: number): boolean;
  /** Receives the snapshot; must not throw (a writer reports its own failures). fit does not wait for it. */
  save(snapshot: FitSnapshot): void;
}

/** Reads a snapshot at the current point of the engine's queue. */
export async function takeSnapshot(engine: Engine, at: { epoch: number; step: number }, order: Uint32Array, rng: Random, history: History, callbacks: Callback[] = []): Promise<Omit<FitSnapshot, 'logs'>> {
  const [state, sums] = await Promise.all([engine.readState(), engine.readMetrics()]);
  const copy: History = { epoch: [...history.epoch], history: Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, [...v]])) };
  const states = callbacks.map((c) => c.getState?.() ?? null);
  return { ...at, order: order.slice(), rng: rng.getState(), engine: state, sums, learningRate: engine.getLearningRate(), history: copy, callbacks: states };
}

/** Gives each of fit's callbacks its state from a snapshot (after onTrainBegin, which resets some): the same kind at the same place. */
export function restoreCallbacks(callbacks: Callback[], s: FitSnapshot): void {
  for (const [i, state] of (s.callbacks ?? []).entries()) {
    const c = callbacks[i];
    if (state && c?.setState && c.getState?.().kind === state.kind) c.setState(state);
  }
}

/** Checks a snapshot against this fit's plan and puts its state into the engine, the order and the generator. */
export function restoreSnapshot(engine: Engine, s: FitSnapshot, plan: ResolvedFit, order: Uint32Array): void {
  const where = 'fit: resumeFrom';
  if (s.order.length !== plan.trainCount) throw new Error(`${where} has an order of ${s.order.length} samples but this fit trains on ${plan.trainCount}; resume with the same data and validation split.`);
  if (!Number.isInteger(s.epoch) || s.epoch < 0 || s.epoch > plan.epochs) throw new Error(`${where} is at epoch ${s.epoch + 1}, past this fit's ${plan.epochs} epochs.`);
  if (!Number.isInteger(s.step) || s.step < 0 || s.step >= plan.stepsPerEpoch) throw new Error(`${where} is at step ${s.step} of an epoch of ${plan.stepsPerEpoch} steps; resume with the same batch size.`);
  engine.writeState(s.engine);
  if (engine.getLearningRate() !== s.learningRate) engine.setLearningRate(s.learningRate);
  order.set(s.order);
  plan.rng.setState(s.rng);
}
