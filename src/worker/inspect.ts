// Looking inside a trained CNN, as the Keras book does with functional sub-models: a model from
// the same input to the output of every conv/pool layer (sharing the trained layers), run on
// one test image on the CPU engine; and the first Conv2D's kernels as images.

import { model as functionalModel, type Model } from '../model/index.ts';
import { CpuEngine } from '../model/train/cpuEngine.ts';
import { Trainer } from '../model/train/trainer.ts';
import type { HostTensor } from '../model/train/engine.ts';
import type { FeatureMap, Inside } from './protocol.ts';

const MAPPED = new Set(['Conv2D', 'MaxPooling2D', 'AveragePooling2D']);

export class Inspector {
  private constructor(
    private readonly source: Model,
    private readonly trainer: Trainer | null,
    private readonly mapped: { layer: string; className: string }[],
  ) {}

  /** One sub-model for all conv/pool outputs (null trainer when the model has none). */
  static async create(source: Model): Promise<Inspector> {
    const layers = source.nodes.filter((n) => !n.isInput && MAPPED.has(n.layer.className)).map((n) => n.layer);
    if (layers.length === 0 || source.inputs.length !== 1) return new Inspector(source, null, []);
    const sub = functionalModel({ inputs: source.inputs, outputs: layers.map((l) => l.output), name: `${source.name}_features` });
    // One thread: batch-1 feature maps gain nothing from a pool, and no engine.dispose() ends this one's threads.
    const trainer = await Trainer.compile(sub, new CpuEngine({ threads: 1 }), { loss: layers.map(() => 'mse' as const) });
    return new Inspector(source, trainer, layers.map((l) => ({ layer: l.name, className: l.className })));
  }

  /** Feature maps of one image [28*28 bytes] with the layers' current weights. */
  async inspect(imageIndex: number, label: number, pixels: Uint8Array): Promise<Inside> {
    const maps: FeatureMap[] = [];
    if (this.trainer) {
      this.trainer.pushWeights();
      const shape = [1, ...(this.source.inputs[0]!.shape.slice(1) as number[])];
      const x: HostTensor = { data: pixels, shape, scale: 1 / 255 };
      const outs = await this.trainer.predict(x, { batchSize: 1 });
      this.mapped.forEach((m, i) => {
        const [, h, w, c] = this.trainer!.model.outputs[i]!.shape as number[];
        maps.push({ ...m, shape: [h!, w!, c!], values: outs[i]! });
      });
    }
    return { imageIndex, label, pixels, filters: firstFilters(this.source), maps };
  }

  dispose(): void {
    this.trainer?.dispose();
  }
}

function firstFilters(m: Model): Inside['filters'] {
  const conv = m.nodes.find((n) => n.layer.className === 'Conv2D')?.layer;
  const kernel = conv?.weights[0];
  if (!conv || !kernel) return null;
  return { layer: conv.name, shape: kernel.shape as [number, number, number, number], values: kernel.values.slice() };
}
