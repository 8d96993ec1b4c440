// WGSL sources as text. Each kernel file is used with the shared helpers appended (not prepended,
// so WGSL error line numbers match the kernel's own file).
import common from '../../shaders/common.wgsl?raw';
import convGeometry from '../../shaders/conv_geometry.wgsl?raw';

export function withCommon(source: string): string {
  return `${source}\n${common}`;
}

/** A conv2d kernel: the common helpers and its geometry as override constants (conv_geometry.wgsl). */
export function withConvGeometry(source: string): string {
  return `${withCommon(source)}\n${convGeometry}`;
}
