// Connects the store to the training worker: starts it, sends messages, and applies what it
// sends back to the store from outside React. Batch points are gathered and applied at most
// ten times a second; every other message is rare and applied at once.

import type { BatchPoint, FromWorker, Progress, ToWorker } from '../worker/protocol.ts';
import { FileRequests } from './fileRequests.ts';
import { useStore } from './store/store.ts';
import { watchWorker, workerDied } from './runs/runWatch.ts';
import { keepRuns } from './runs/keptRuns.ts';

const FLUSH_MS = 100;

/** A training worker named `name` whose messages go to `receive`; `onFirst` runs at its first message (it is up). */
function spawnWorker(name: string, receive: (msg: FromWorker) => void, onFirst: () => void): Worker {
  const w = new Worker(new URL('../worker/training.worker.ts', import.meta.url), { type: 'module', name });
  let first = true;
  w.onmessage = (e: MessageEvent<FromWorker>) => {
    if (first) onFirst();
    first = false;
    receive(e.data);
  };
  w.onerror = (e) => useStore.setState({ error: { kind: 'other', message: `The training worker failed: ${e.message}` }, phase: 'error' });
  // ?backupEvery=N: a backup every N steps instead of about every 30 s (tests, very slow machines).
  const every = Number(new URLSearchParams(location.search).get('backupEvery'));
  if (Number.isInteger(every) && every > 0) w.postMessage({ type: 'backupPolicy', everySteps: every } satisfies ToWorker);
  return w;
}

/** The training worker, replaced by a new one when it dies (runWatch.ts). */
class WorkerLink {
  private worker: Worker;
  private name = '';

  constructor(private readonly receive: (msg: FromWorker) => void) {
    this.worker = this.spawn();
  }

  private spawn(): Worker {
    const name = `training-${crypto.randomUUID()}`;
    this.name = name;
    return spawnWorker(name, this.receive, () => void watchWorker(name, () => this.died(name)));
  }

  post(msg: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  private died(name: string): void {
    if (name !== this.name) return;
    this.worker.terminate();
    this.worker = this.spawn();
    this.post({ type: 'probe' });
    workerDied();
  }
}

/** True while a run has started and not yet trained a step: Look inside now shows the initial weights. */
function startsRun(): boolean {
  const s = useStore.getState();
  const run = s.runs.find((r) => r.id === s.currentRun);
  return run?.status === 'running' && s.insideBefore === null && s.batchPoints.length === 0 && s.epochPoints.length === 0;
}

type RunMessage = Extract<FromWorker, { type: 'phase' | 'engine' | 'epoch' }>;

/** A phase, engine or epoch message into the store, and into the current run's record. */
function applyRunMessage(msg: RunMessage): void {
  const state = useStore.getState();
  const set = useStore.setState;
  if (msg.type === 'phase') {
    // Resuming after a lost device (or any pause) clears the message that stopped the run.
    set({ phase: msg.phase, phaseDetail: msg.detail ?? null, ...(msg.phase === 'training' ? { error: null } : {}) });
    state.updateRun({ phase: msg.phase });
  } else if (msg.type === 'engine') {
    // Start clears the Auto rates; a message without them (a new device after a lost one) keeps them.
    set({ engine: { kind: msg.kind, description: msg.description, ...(msg.note ? { note: msg.note } : {}) }, ...(msg.auto ? { autoChoice: msg.auto } : {}) });
    state.updateRun({ engine: msg.description });
  } else {
    set({ epochPoints: [...state.epochPoints, msg.point] });
    state.updateRun({ epoch: msg.point });
  }
}

/** Starts the worker and puts `send` and `requestExport` into the store. */
export function startBridge(): void {
  let points: BatchPoint[] = [];
  let progress: Progress | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let exportWaiters: ((m: Extract<FromWorker, { type: 'exported' }>) => void)[] = [];
  const files = new FileRequests((msg, transfer) => link.post(msg, transfer));

  const flush = (): void => {
    timer = null;
    if (progress) useStore.getState().addBatches(points, progress);
    points = [];
    progress = null;
  };

  const receive = (msg: FromWorker): void => {
    const set = useStore.setState;
    switch (msg.type) {
      case 'engines':
        set({ webgpu: msg.webgpu.ok ? { status: 'ok', adapter: msg.webgpu.adapter } : { status: 'unavailable', reason: msg.webgpu.reason } });
        if (!msg.webgpu.ok && useStore.getState().settings.engine === 'webgpu') useStore.getState().setSetting('engine', 'cpu');
        break;
      case 'phase':
      case 'engine':
        if (msg.type === 'phase' && timer) flush();
        applyRunMessage(msg);
        break;
      case 'batches':
        points.push(...msg.points);
        progress = msg.progress;
        timer ??= setTimeout(flush, FLUSH_MS);
        break;
      case 'epoch':
        if (timer) flush();
        applyRunMessage(msg);
        break;
      case 'results':
        set({ results: msg.results });
        break;
      case 'inside':
        set({ inside: msg.inside, ...(startsRun() ? { insideBefore: msg.inside } : {}) });
        break;
      case 'exported':
        for (const w of exportWaiters) w(msg);
        exportWaiters = [];
        break;
      case 'opened':
      case 'files':
      case 'fileError':
        files.receive(msg);
        break;
      case 'error':
        set({ error: { kind: msg.kind, message: msg.message } });
        break;
      case 'backup':
        return useStore.getState().backupMessage(msg.runId, msg.status);
      default:
        msg satisfies never;
    }
  };

  const link = new WorkerLink(receive);
  const send = (msg: ToWorker): void => link.post(msg);
  const requestExport = (): Promise<Extract<FromWorker, { type: 'exported' }>> =>
    new Promise((resolve) => {
      exportWaiters.push(resolve);
      send({ type: 'export' });
    });
  useStore.setState({
    send,
    requestExport,
    openFiles: (list, layout) => files.open(list, layout, useStore.getState().spec),
    writeFiles: (format, pythonWeights = false) => files.write(format, useStore.getState().spec, useStore.getState().settings, pythonWeights),
  });
  send({ type: 'probe' });
  void useStore.getState().refreshBackups();
  void keepRuns();
}
