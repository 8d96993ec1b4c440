// A backup's bytes: read back exactly; a torn, truncated, older-format or other-model copy is
// refused with a message that says which.
import { describe, expect, it } from 'vitest';
import { BACKUP_FORMAT_VERSION, BackupError, decodeBackup, encodeBackup, fingerprint, type Backup } from './backupFile';
import type { FitSnapshot } from './fitSnapshot';

function snapshot(): FitSnapshot {
  return {
    epoch: 2,
    step: 7,
    order: Uint32Array.of(3, 1, 2, 0),
    rng: Uint32Array.of(1, 2, 3, 0xffffffff),
    engine: { params: Float32Array.of(0.1, -2.5, Math.PI), slots: Float32Array.of(1e-30, 7), counters: Float64Array.of(42, 0.9 ** 42, 0.999 ** 42, 0.001) },
    sums: Float64Array.of(56, 1.25, 0.1 + 0.2),
    logs: { loss: 0.7, accuracy: 0.75 },
    learningRate: 0.001,
    history: { epoch: [0, 1], history: { loss: [0.9, 0.5], accuracy: [0.6, 0.8] } },
  };
}

const backup = (fp = 'abc'): Backup<{ settings: { epochs: number } }> => ({ fingerprint: fp, savedAt: 1234, meta: { settings: { epochs: 3 } }, snapshot: snapshot() });

describe('backup files', () => {
  it('read back bit for bit', () => {
    const bytes = encodeBackup(backup());
    expect(decodeBackup(bytes, 'b', 'abc')).toEqual(backup());
    // Read from an unaligned offset (a slice of a larger buffer) too.
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodeBackup(shifted.subarray(1), 'b').snapshot).toEqual(snapshot());
    // A Node Buffer from a pool, as readFileSync gives (its slice() is a view).
    expect(decodeBackup(Buffer.from(shifted.subarray(1)), 'b').snapshot).toEqual(snapshot());
  });

  it('detects a torn or truncated copy', () => {
    const bytes = encodeBackup(backup());
    for (const cut of [2, 10, 40, bytes.length - 20, bytes.length - 1]) {
      expect(() => decodeBackup(bytes.subarray(0, cut), 'backup-1.kbak')).toThrow(/backup-1.kbak is (torn or )?truncated/);
    }
    const flipped = bytes.slice();
    flipped[bytes.length - 30]! ^= 0x10;
    const error = (() => {
      try {
        decodeBackup(flipped, 'b');
      } catch (e) {
        return e as BackupError;
      }
    })();
    expect(error).toBeInstanceOf(BackupError);
    expect(error?.problem).toBe('torn');
  });

  it('refuses another format or another model with a clear message', () => {
    const older = encodeBackup(backup());
    new DataView(older.buffer).setUint32(4, BACKUP_FORMAT_VERSION - 1, true);
    expect(() => decodeBackup(older, 'old.kbak')).toThrow(`old.kbak was written in an older backup format (version ${BACKUP_FORMAT_VERSION - 1}); this version reads version ${BACKUP_FORMAT_VERSION}`);
    expect(() => decodeBackup(encodeBackup(backup('other')), 'b.kbak', 'abc')).toThrow(/b.kbak is a backup of another model or other training settings/);
    expect(() => decodeBackup(new TextEncoder().encode('{"not": "a backup"}'), 'x.json')).toThrow(/x.json is not a training backup/);
  });

  it('fingerprints with SHA-256', async () => {
    expect(await fingerprint('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
