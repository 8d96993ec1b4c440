// Every framework the benchmark can run, by name. Each entry loads its framework lazily, so a
// page only pulls in the one it measures. The Node driver reads the names from here too.
import type { ContenderFactory } from './contender';

export const CONTENDERS: { [name: string]: ContenderFactory } = {
  ours: () => import('./ours').then((m) => m.ours()),
  'ours-cpu': () => import('./ours').then((m) => m.oursCpu()),
  'tfjs-webgpu': () => import('./peers/tfjs').then((m) => m.tfjsWebgpu()),
  'tfjs-cpu': () => import('./peers/tfjs').then((m) => m.tfjsCpu()),
  'jaxjs-webgpu': () => import('./peers/jaxjs').then((m) => m.jaxjsWebgpu()),
};

/** The contender the others are compared with (ratio ours/theirs), once it is registered. */
export const OURS = 'ours';
