// The wasm-pool e2e probe on a page's main thread (poolProbe.html): exposes probePool to the test.
import { probePool } from './poolProbe.ts';

(window as unknown as { poolProbe: typeof probePool }).poolProbe = probePool;
