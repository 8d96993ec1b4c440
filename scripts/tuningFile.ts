// The CLI's tuning cache: a JSON file of the choices the WebGPU engine made per adapter and shape
// (src/gpu/tuningStores.ts has its format). The headless page is seeded with its entries and hands
// back everything it knows at the end, which is written back here. A corrupt or foreign-version
// file is ignored with a warning, and replaced by the next write.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseTuningFile, tuningFileText, type TuningEntries } from '../src/gpu/tuningStores';

export const DEFAULT_TUNING_FILE = '.cache/webgpu-tuning.json';

export function readTuningFile(path: string, warn: (line: string) => void = console.warn): TuningEntries {
  if (!existsSync(path)) return {};
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    warn(`Tuning cache ${path} could not be read (${e instanceof Error ? e.message : String(e)}); tuning again.`);
    return {};
  }
  return parseTuningFile(text, (why) => warn(`Tuning cache ${path} ignored: ${why}.`));
}

/** Writes through a temporary file, so a killed run never leaves half a file. */
export function writeTuningFile(path: string, entries: TuningEntries): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, tuningFileText(entries));
  renameSync(tmp, path);
}
