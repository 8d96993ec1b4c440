// Takes fit's snapshots when due (every `everySteps` steps, or about every `everySeconds` of
// training, and at every epoch end) and writes them through a sink (a directory in Node,
// IndexedDB in the page) without making fit wait: one write at a time, and a snapshot taken
// while one is being written replaces any older one waiting. A sink that fails (a full disk, a
// storage quota) stops the backups, not the run; `status` says why.
import { encodeBackup } from './backupFile';
import type { BackupHook, FitSnapshot } from './fitSnapshot';

/** Where backups go. `write` must replace the previous backup atomically (or keep it until the new one is whole). */
export interface BackupSink {
  write(bytes: Uint8Array, snapshot: FitSnapshot): Promise<void>;
}

export interface BackupPolicy {
  /** A snapshot after every this many steps of an epoch (0: by time instead). */
  everySteps: number;
  /** With everySteps 0: a snapshot after the first step this many seconds after the last one. */
  everySeconds: number;
}

export const DEFAULT_BACKUP_POLICY: BackupPolicy = { everySteps: 0, everySeconds: 30 };

export interface BackupStatus {
  /** Backups written whole. */
  written: number;
  /** Where the last one written stood. */
  last: { epoch: number; step: number; savedAt: number } | null;
  /** Why backups stopped (the sink's error), or null while they go on. */
  stopped: string | null;
}

export class BackupWriter<Meta> implements BackupHook {
  status: BackupStatus = { written: 0, last: null, stopped: null };
  private lastTaken = performance.now();
  private waiting: FitSnapshot | null = null;
  private writing: Promise<void> | null = null;

  constructor(
    private readonly sink: BackupSink,
    private readonly fingerprint: string,
    /** The run's model, settings and the like, stored with each backup (read when it is written). */
    private readonly meta: () => Meta,
    private readonly policy: BackupPolicy = DEFAULT_BACKUP_POLICY,
    private readonly onStatus: (status: BackupStatus) => void = () => undefined,
  ) {}

  due(step: number): boolean {
    if (this.status.stopped) return false;
    if (this.policy.everySteps > 0) return step % this.policy.everySteps === 0;
    return performance.now() - this.lastTaken >= this.policy.everySeconds * 1000;
  }

  save(snapshot: FitSnapshot): void {
    if (this.status.stopped) return;
    this.lastTaken = performance.now();
    this.waiting = snapshot;
    this.writing ??= this.drain();
  }

  /** Resolves when the snapshots taken so far are written (or backups stopped). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    // Lets save() record this promise before the loop can end (and clear it).
    await Promise.resolve();
    while (this.waiting && !this.status.stopped) {
      const snapshot = this.waiting;
      this.waiting = null;
      const savedAt = Date.now();
      try {
        await this.sink.write(encodeBackup({ fingerprint: this.fingerprint, savedAt, meta: this.meta(), snapshot }), snapshot);
        this.status = { ...this.status, written: this.status.written + 1, last: { epoch: snapshot.epoch, step: snapshot.step, savedAt } };
      } catch (e) {
        this.status = { ...this.status, stopped: e instanceof Error ? e.message : String(e) };
      }
      this.onStatus(this.status);
    }
    this.writing = null;
  }
}
