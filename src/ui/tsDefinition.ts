// The TypeScript that builds a spec's model with this project's API (generated text, shown next
// to the Keras Python; never evaluated). Options are read through each layer's option
// descriptions; those equal to the layer's defaults are left out.

import { LAYERS, changedArgs, changedSpecArgs, codeFields, isDefault, layerOptions, type Initializer, type LayerConfig, type OptionType, type RegularizerSpec } from '../model/index.ts';
import type { ModelSpec } from '../worker/modelSpec.ts';

/** An option's value as TypeScript source: 3 (a square pair), [3, 5], 'same', false. */
function tsValue(type: OptionType, value: unknown): string {
  switch (type) {
    case 'pair': {
      const [a, b] = value as [number, number];
      return a === b ? String(a) : `[${a}, ${b}]`;
    }
    case 'shape':
    case 'ints':
      return `[${(value as (number | null)[]).join(', ')}]`;
    case 'sides':
      return `[${(value as number[][]).map((p) => `[${p.join(', ')}]`).join(', ')}]`;
    case 'initializer': {
      const init = value as Initializer;
      if (typeof init === 'string') return `'${init}'`;
      const args = changedArgs(init).map(([k, v]) => `${k}: ${typeof v === 'string' ? `'${v}'` : String(v)}`);
      return `{ className: '${init.className}', config: { ${args.join(', ')} } }`;
    }
    case 'regularizer':
    case 'constraint': {
      if (value === null) return 'null';
      const spec = value as { className: string };
      const args = changedSpecArgs(value as RegularizerSpec).map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`);
      return `{ className: '${spec.className}', config: { ${args.join(', ')} } }`;
    }
    case 'select':
    case 'activation':
      return `'${value as string}'`;
    case 'int':
    case 'number':
    case 'axis':
    case 'seed':
    case 'bool':
      return String(value);
    case 'numbers':
      return Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
    case 'layer':
      return value === null ? 'null' : layerCall(value as LayerConfig);
  }
}

/** `layers.lstm({ units: 16, name: 'lstm' })`: a wrapper's nested layer. */
function layerCall(c: LayerConfig): string {
  return `layers.${LAYERS[c.className].factory}(${options(c)})`;
}

function options(c: LayerConfig, extra: string[] = []): string {
  const fields = codeFields(c);
  const o: string[] = [];
  for (const option of layerOptions(c.className)) {
    if (!isDefault(option, fields)) o.push(`${option.key}: ${tsValue(option.type, fields[option.key])}`);
  }
  if (!c.trainable) o.push('trainable: false');
  o.push(...extra, `name: '${c.name}'`);
  return `{ ${o.join(', ')} }`;
}

/** A TypeScript identifier for a layer name. */
function ident(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_$]/g, '_').replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return /^[0-9]/.test(id) || ['model', 'input', 'layers', 'sequential'].includes(id) ? `${id}_` : id;
}

// The import path as a script at the repository root (README) would write it.
const HEADER_SEQUENTIAL = "import { layers, sequential } from './src/model';\n\n";
const HEADER_FUNCTIONAL = "import { input, layers, model } from './src/model';\n\n";

export function tsDefinition(spec: ModelSpec): string {
  if (spec.api === 'sequential') {
    const lines = spec.layers.map(({ config }, i) => {
      const extra = i === 0 && spec.inputShape ? [`inputShape: [${spec.inputShape.join(', ')}]`] : [];
      return `m.add(layers.${LAYERS[config.className].factory}(${options(config, extra)}));`;
    });
    return `${HEADER_SEQUENTIAL}const m = sequential({ name: '${spec.name}' });\n${lines.join('\n')}\n\nm.summary({ printFn: console.log });\n`;
  }
  const lines: string[] = [];
  for (const { config, inputs } of spec.layers) {
    if (config.className === 'InputLayer') {
      lines.push(`const ${ident(config.name)} = input({ shape: [${config.batchInputShape.slice(1).join(', ')}], name: '${config.name}' });`);
      continue;
    }
    const ins = (inputs ?? []).map(ident);
    // A layer with several inputs is a merge layer, called on the list.
    const arg = ins.length > 1 ? `[${ins.join(', ')}]` : ins[0];
    lines.push(`const ${ident(config.name)} = layers.${LAYERS[config.className].factory}(${options(config)}).apply(${arg});`);
  }
  const list = (names: string[]): string => (names.length === 1 ? ident(names[0]!) : `[${names.map(ident).join(', ')}]`);
  const inputs = spec.layers.filter((l) => l.config.className === 'InputLayer').map((l) => l.config.name);
  lines.push(`const m = model({ inputs: ${list(inputs)}, outputs: ${list(spec.outputs ?? [])}, name: '${spec.name}' });`);
  return `${HEADER_FUNCTIONAL}${lines.join('\n')}\n\nm.summary({ printFn: console.log });\n`;
}
