// The page's training backups, on the worker's side: one RunBackup per run holds the run's Web
// Lock for as long as the run lives, keeps the curves posted so far (thinned), and gives each fit
// a BackupWriter that writes the whole run state to IndexedDB at epoch ends and about every 30 s.
// A backup carries what the page needs to show the interrupted run and resume it: the model
// spec, the settings, the engine it trained on, and the curves.

import { decodeBackup, BackupError, fingerprint, type Backup } from '../model/train/backupFile.ts';
import { BackupWriter, DEFAULT_BACKUP_POLICY, type BackupPolicy, type BackupStatus } from '../model/train/backupWriter.ts';
import { deleteBackups, putBackup, runBackups, runLock } from './backupStore.ts';
import type { FitSnapshot } from '../model/train/fitSnapshot.ts';
import type { ModelSpec } from './modelSpec.ts';
import type { BatchPoint, EpochPoint, FromWorker } from './protocol.ts';
import type { EngineKind, TrainSettings } from './settings.ts';

const MAX_POINTS = 600;

/** What a page backup holds besides the fit snapshot. */
export interface RunBackupMeta {
  runId: string;
  spec: ModelSpec;
  settings: TrainSettings;
  /** The engine that trained it (a resume uses the same one: bit for bit on the CPU). */
  engine: EngineKind;
  /** Epochs done when the fit that took the snapshot began (its seed and epoch count follow from it). */
  fitBase: number;
  batchPoints: BatchPoint[];
  epochPoints: EpochPoint[];
}

/** Where a resumed run goes on from: a backup's snapshot, and the epochs done before the fit that took it. */
export interface ResumePoint {
  snapshot: FitSnapshot;
  fitBase: number;
}

/** The fingerprint that ties a backup to its model and settings. */
export const runFingerprint = (spec: ModelSpec, settings: TrainSettings): Promise<string> => fingerprint(JSON.stringify({ spec, settings }));

/** The newest whole backup of a run (torn ones skipped), or null. */
export async function newestBackup(runId: string): Promise<Backup<RunBackupMeta> | null> {
  for (const record of await runBackups(runId)) {
    try {
      return decodeBackup<RunBackupMeta>(new Uint8Array(record.bytes), `The backup of run ${runId}`);
    } catch (e) {
      if (!(e instanceof BackupError) || e.problem !== 'torn') throw e;
      console.warn(`${e.message} The one before it is used.`);
    }
  }
  return null;
}

export class RunBackup {
  private seq = 0;
  private release: (() => void) | null = null;
  private batchPoints: BatchPoint[];
  private epochPoints: EpochPoint[];
  private writer: BackupWriter<RunBackupMeta> | null = null;

  private constructor(
    readonly runId: string,
    private readonly spec: ModelSpec,
    private readonly settings: TrainSettings,
    private readonly engine: EngineKind,
    private readonly fp: string,
    private readonly post: (msg: FromWorker) => void,
    from: RunBackupMeta | null,
    private readonly policy: BackupPolicy,
  ) {
    this.batchPoints = from ? [...from.batchPoints] : [];
    this.epochPoints = from ? [...from.epochPoints] : [];
  }

  /**
   * Takes the run's lock and starts its backups (a new run, or `from` a backup being resumed).
   * Null when another tab holds the run (it is alive there), or where there is no IndexedDB (Node).
   */
  static async open(runId: string, spec: ModelSpec, settings: TrainSettings, engine: EngineKind, post: (msg: FromWorker) => void, from: Backup<RunBackupMeta> | null = null, policy = DEFAULT_BACKUP_POLICY): Promise<RunBackup | null> {
    if (typeof indexedDB === 'undefined') return null;
    const b = new RunBackup(runId, spec, settings, engine, await runFingerprint(spec, settings), post, from?.meta ?? null, policy);
    if (!(await b.lock())) return null;
    b.seq = from ? (await runBackups(runId))[0]?.seq ?? 0 : 0;
    return b;
  }

  /** Holds the run's Web Lock until end(); false when another holder has it. */
  private lock(): Promise<boolean> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    if (!locks) return Promise.resolve(true);
    return new Promise((granted) => {
      void locks.request(runLock(this.runId), { ifAvailable: true }, (lock) => {
        if (!lock) {
          granted(false);
          return undefined;
        }
        granted(true);
        return new Promise<void>((release) => (this.release = release));
      });
    });
  }

  /** Keeps the curves the run posts, for the next backups. */
  observe(msg: FromWorker): void {
    if (msg.type === 'batches') {
      let list = this.batchPoints.concat(msg.points);
      while (list.length > MAX_POINTS) list = list.filter((_, i) => i % 2 === 0 || i === list.length - 1);
      this.batchPoints = list;
    } else if (msg.type === 'epoch') {
      this.epochPoints = [...this.epochPoints, msg.point];
    }
  }

  /** The backup hook of a fit that begins with `fitBase` epochs done. */
  writerFor(fitBase: number): BackupWriter<RunBackupMeta> {
    const meta = (): RunBackupMeta => ({ runId: this.runId, spec: this.spec, settings: this.settings, engine: this.engine, fitBase, batchPoints: this.batchPoints, epochPoints: this.epochPoints });
    const sink = { write: (bytes: Uint8Array) => putBackup(this.runId, ++this.seq, bytes) };
    const report = (status: BackupStatus) => this.post({ type: 'backup', runId: this.runId, status });
    // Backups stopped (a full quota) stay stopped for the rest of the run.
    const stopped = this.writer?.status.stopped ?? null;
    this.writer = new BackupWriter(sink, this.fp, meta, this.policy, report);
    if (stopped) this.writer.status = { ...this.writer.status, stopped };
    report(this.writer.status);
    return this.writer;
  }

  /** The newest whole backup this run has stored, once the snapshots taken so far are written (null when none is). */
  async newest(): Promise<ResumePoint | null> {
    await this.writer?.flush();
    try {
      const found = await newestBackup(this.runId);
      return found ? { snapshot: found.snapshot, fitBase: found.meta.fitBase } : null;
    } catch (e) {
      console.warn(`The run's backup could not be read: ${e instanceof Error ? e.message : String(e)}`);
      return null;
    }
  }

  /** The run has ended (finished or stopped and evaluated): its backups go, and its lock. */
  async end(): Promise<void> {
    await this.writer?.flush();
    await deleteBackups(this.runId);
    this.unlock();
  }

  /** The run is left unfinished (another one replaces it in this tab): its backups stay, resumable after a reload. */
  unlock(): void {
    this.release?.();
    this.release = null;
  }
}
