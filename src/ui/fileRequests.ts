// Requests to the worker that each get one answer (open files, write files): numbered, so an
// answer settles its own promise, with the worker's result or its error message.

import type { NamedBytes, NamingLayout, WriteFormat } from '../model/io/types.ts';
import type { FromWorker, Opened, ToWorker } from '../worker/protocol.ts';
import type { ModelSpec } from '../worker/modelSpec.ts';
import type { TrainSettings } from '../worker/settings.ts';

type Answer = Extract<FromWorker, { type: 'opened' | 'files' | 'fileError' }>;
export type Written = { files: NamedBytes[]; trained: boolean };

export class FileRequests {
  private nextId = 1;
  private waiting = new Map<number, { resolve: (v: Opened | Written) => void; reject: (e: Error) => void }>();

  constructor(private readonly post: (msg: ToWorker, transfer: Transferable[]) => void) {}

  open(files: NamedBytes[], layout: NamingLayout, spec: ModelSpec): Promise<Opened> {
    const buffers = [...new Set(files.map((f) => f.data.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    return this.ask((id) => ({ type: 'openFiles', id, files, layout, spec }), buffers) as Promise<Opened>;
  }

  write(format: WriteFormat, spec: ModelSpec, settings: TrainSettings, pythonWeights: boolean): Promise<Written> {
    return this.ask((id) => ({ type: 'writeFiles', id, format, spec, settings, pythonWeights }), []) as Promise<Written>;
  }

  receive(msg: Answer): void {
    const w = this.waiting.get(msg.id);
    this.waiting.delete(msg.id);
    if (!w) return;
    if (msg.type === 'opened') w.resolve(msg.opened);
    else if (msg.type === 'files') w.resolve({ files: msg.files, trained: msg.trained });
    else w.reject(new Error(msg.message));
  }

  private ask(make: (id: number) => ToWorker, transfer: Transferable[]): Promise<Opened | Written> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      this.post(make(id), transfer);
    });
  }
}
