// Which layer classes are called on a list of tensors (Concatenate, Add and the other merge
// layers): the page's editor offers them only in functional models, wired to several inputs.
import { defaultConfig, layerFromConfig, type LayerClassName } from './registry.ts';

/** Whether a layer of this class takes a list of tensors (a merge layer), asked of a new layer at the editor's values. */
export function takesInputList(className: LayerClassName): boolean {
  // A layer with a name of its own takes no automatic name and draws no weights until applied.
  return className !== 'InputLayer' && layerFromConfig(defaultConfig(className, 'probe')).takesList;
}
