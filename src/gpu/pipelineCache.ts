// Compute pipelines cached by shader source and override constants. In-flight compiles are
// shared, and WGSL compile errors are reported with the kernel name, line and column.
import type { BindingKind, KernelDef } from './kernel';

export interface CompiledKernel {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

function layoutEntry(kind: BindingKind, binding: number): GPUBindGroupLayoutEntry {
  const type: GPUBufferBindingType = kind === 'uniform' ? 'uniform' : kind === 'read' ? 'read-only-storage' : 'storage';
  return { binding, visibility: GPUShaderStage.COMPUTE, buffer: { type } };
}

export class PipelineCache {
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly pipelines = new Map<string, Map<string, Promise<CompiledKernel>>>();

  constructor(private readonly device: GPUDevice) {}

  get(kernel: KernelDef): Promise<CompiledKernel> {
    let bySource = this.pipelines.get(kernel.source);
    if (!bySource) {
      bySource = new Map();
      this.pipelines.set(kernel.source, bySource);
    }
    // Constants are data, so their canonical JSON (sorted keys) is the second half of the key.
    const constants = kernel.constants ?? {};
    const constKey = JSON.stringify(Object.keys(constants).sort().map((k) => [k, constants[k]]));
    const variant = `${kernel.entryPoint ?? 'main'}|${kernel.bindings.join(',')}|${constKey}`;
    let compiled = bySource.get(variant);
    if (!compiled) {
      compiled = this.compile(kernel);
      bySource.set(variant, compiled);
      compiled.catch(() => bySource.delete(variant));
    }
    return compiled;
  }

  get size(): number {
    let n = 0;
    for (const m of this.pipelines.values()) n += m.size;
    return n;
  }

  private async compile(kernel: KernelDef): Promise<CompiledKernel> {
    let module = this.modules.get(kernel.source);
    if (!module) {
      // The scope keeps a compile error from also surfacing as an uncaptured device error: it is
      // reported once, below, with the kernel's name, line and column.
      this.device.pushErrorScope('validation');
      module = this.device.createShaderModule({ code: kernel.source, label: kernel.name });
      this.modules.set(kernel.source, module);
      const info = await module.getCompilationInfo();
      await this.device.popErrorScope();
      const errors = info.messages.filter((m) => m.type === 'error');
      if (errors.length > 0) {
        this.modules.delete(kernel.source);
        const text = errors.map((m) => `  ${kernel.name}.wgsl:${m.lineNum}:${m.linePos}: ${m.message}`).join('\n');
        throw new Error(`WGSL compile error in kernel '${kernel.name}':\n${text}`);
      }
    }
    const layout = this.device.createBindGroupLayout({
      label: kernel.name,
      entries: kernel.bindings.map(layoutEntry),
    });
    this.device.pushErrorScope('validation');
    const pipeline = await this.device.createComputePipelineAsync({
      label: kernel.name,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: kernel.entryPoint ?? 'main', constants: kernel.constants as Record<string, number> | undefined },
    });
    const error = await this.device.popErrorScope();
    if (error) throw new Error(`Pipeline for kernel '${kernel.name}' failed: ${error.message}`);
    return { pipeline, layout };
  }
}
