// `npm run train -- --backup-dir DIR`: training backups in a directory. Each is written to a
// temporary file, flushed to disk and renamed to backup-NNNNNN-epochE-stepS.kbak (a rename is atomic), and the
// newest KEEP stay: a backup torn by a crash (or a disk that lied about flushing) is skipped for
// the one before it. A backup of another model or format is refused, never silently replaced.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { firstWholeBackup, type Backup } from '../src/model/train/backupFile.ts';
import type { BackupSink } from '../src/model/train/backupWriter.ts';

const KEEP = 2;
const NAME = /^backup-(\d{6})-epoch\d+-step\d+\.kbak$/;

/** Tests only: milliseconds to pause halfway through writing each backup (to kill the process mid-write). */
const WRITE_PAUSE_MS = Number(process.env.TRAIN_BACKUP_WRITE_PAUSE_MS ?? 0);

export class BackupDir implements BackupSink {
  private seq: number;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.seq = this.backups()[0]?.seq ?? 0;
  }

  /** The backups present, newest first. */
  private backups(): { seq: number; path: string }[] {
    return readdirSync(this.dir)
      .flatMap((name) => {
        const m = NAME.exec(name);
        return m ? [{ seq: Number(m[1]), path: join(this.dir, name) }] : [];
      })
      .sort((a, b) => b.seq - a.seq);
  }

  async write(bytes: Uint8Array, at: { epoch: number; step: number }): Promise<void> {
    this.seq += 1;
    // Epochs counted from 1 as the progress lines count them; step 0 is the epoch's start.
    const name = `backup-${String(this.seq).padStart(6, '0')}-epoch${at.epoch + 1}-step${at.step}.kbak`;
    const tmp = join(this.dir, `.${name}.tmp`);
    // Asynchronous writes and flush: they run on libuv's threads while training goes on.
    const file = await open(tmp, 'w');
    try {
      if (WRITE_PAUSE_MS > 0) {
        const half = bytes.length >> 1;
        await file.write(bytes, 0, half);
        console.log(`backup: writing ${name}`);
        await new Promise((r) => setTimeout(r, WRITE_PAUSE_MS));
        await file.write(bytes, half, bytes.length - half);
      } else {
        await file.write(bytes);
      }
      await file.sync();
    } catch (e) {
      // A full disk: no half file stays behind to fill it further.
      await file.close();
      await rm(tmp, { force: true });
      throw e;
    }
    await file.close();
    await rename(tmp, join(this.dir, name));
    for (const old of this.backups().slice(KEEP)) rmSync(old.path, { force: true });
  }

  /** The backups present, newest first, each read when asked for. */
  files(): { where: string; bytes: () => Uint8Array }[] {
    return this.backups().map(({ path }) => ({ where: path, bytes: () => readFileSync(path) }));
  }

  /**
   * The newest whole backup for `fingerprint`, or null when there is none. Torn copies are
   * skipped (reported through `log`); one of another model or format is an error.
   */
  load<Meta>(fingerprint: string, log: (line: string) => void): Backup<Meta> | null {
    return firstWholeBackup<Meta>(this.files(), fingerprint, log);
  }

  /** Removes the backups and any half-written temporary files (a finished run's). */
  clear(): void {
    for (const name of readdirSync(this.dir)) {
      if (NAME.test(name) || /^\.backup-.*\.kbak\.tmp$/.test(name)) rmSync(join(this.dir, name), { force: true });
    }
  }
}
