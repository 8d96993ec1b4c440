// What the WebGPU trainer's page asks of the Node driver (scripts/train.ts), through functions
// Node exposes on the page: backups go to Node, which writes them into --backup-dir with the CPU
// CLI's code (scripts/backupDir.ts: temp file, fsync, rename); at start Node hands over the
// backups it has, newest first, and the page resumes from the first whole one. Bytes cross as
// base64 (the exposed functions take JSON).
import { firstWholeBackup } from '../../src/model/train/backupFile';
import { DEFAULT_BACKUP_POLICY } from '../../src/model/train/backupWriter';
import type { RunBackups } from '../../src/model/train/headless';

declare global {
  interface Window {
    __backupFiles: () => Promise<{ where: string; base64: string }[]>;
    __backupWrite: (at: { epoch: number; step: number }, base64: string) => Promise<void>;
    __backupClear: () => Promise<void>;
  }
}

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

function fromBase64(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/** The run's backups in Node's --backup-dir (`everySteps` 0: about every 30 s). */
export async function nodeBackups(everySteps: number): Promise<RunBackups> {
  const files = (await window.__backupFiles()).map((f) => ({ where: f.where, bytes: () => fromBase64(f.base64) }));
  return {
    sink: { write: (bytes, at) => window.__backupWrite({ epoch: at.epoch, step: at.step }, toBase64(bytes)) },
    policy: everySteps > 0 ? { ...DEFAULT_BACKUP_POLICY, everySteps } : DEFAULT_BACKUP_POLICY,
    load: (fingerprint, log) => firstWholeBackup(files, fingerprint, log),
    clear: () => window.__backupClear(),
  };
}
