// The wasm-pool e2e probe in a module Web Worker: runs probePool on the bytes it is sent.
import { probePool, type PoolProbeResult } from './poolProbe.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<Uint8Array<ArrayBuffer>>) => void) | null;
  postMessage: (r: PoolProbeResult) => void;
};

scope.onmessage = async (event) => {
  scope.postMessage(await probePool(event.data));
};
