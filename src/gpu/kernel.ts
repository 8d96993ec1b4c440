// What a kernel is to the runtime: its WGSL source, entry point, override constants and the
// kind of each binding in @binding order. Bind-group layouts are explicit, built from `bindings`.

export type BindingKind = 'read' | 'storage' | 'uniform';

export interface KernelDef {
  /** For labels and error messages. */
  readonly name: string;
  /** Complete WGSL (common helpers already prepended, see `withCommon`). */
  readonly source: string;
  readonly entryPoint?: string;
  /** One entry per @binding(i) of @group(0), in order. */
  readonly bindings: readonly BindingKind[];
  /** Values for the shader's `override` constants (tile and workgroup sizes). */
  readonly constants?: Readonly<Record<string, number>>;
}

export type UniformField = ['u32' | 'i32' | 'f32', number];

/** Packs a uniform struct of 4-byte scalars, padded to 16 bytes as WGSL's uniform layout wants. */
export function packUniforms(fields: readonly UniformField[]): ArrayBuffer {
  const bytes = Math.max(16, Math.ceil((fields.length * 4) / 16) * 16);
  const buffer = new ArrayBuffer(bytes);
  const view = new DataView(buffer);
  fields.forEach(([type, value], i) => {
    if (type === 'f32') view.setFloat32(i * 4, value, true);
    else if (type === 'i32') view.setInt32(i * 4, value, true);
    else view.setUint32(i * 4, value, true);
  });
  return buffer;
}

/** u32 fields only: the common case of sizes, strides and padding. */
export function u32Uniforms(...values: number[]): ArrayBuffer {
  return packUniforms(values.map((v): UniformField => ['u32', v]));
}

/** The kernel with more override constants (one pipeline per distinct set, cached). */
export function withConstants(kernel: KernelDef, constants: Readonly<Record<string, number>>): KernelDef {
  return { ...kernel, constants: { ...kernel.constants, ...constants } };
}
