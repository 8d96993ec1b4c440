// WGSL sources as text. Each kernel file is used with the shared helpers appended (not prepended,
// so WGSL error line numbers match the kernel's own file).
import common from '../../shaders/common.wgsl?raw';

export function withCommon(source: string): string {
  return `${source}\n${common}`;
}
