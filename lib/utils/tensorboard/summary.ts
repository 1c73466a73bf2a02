// Summary protos for each kind of value, as torch.utils.tensorboard.summary builds them.
import type { Tensor } from '../../tensor';
import { DataType, type Summary } from './proto';
import { makeHistogram, type HistogramBins } from './histogram';
import { makeImage } from './image';
export { hparams } from './hparams';

/** A number, or a one-element tensor. */
export type ScalarLike = number | bigint | boolean | Tensor;

function toNumber(value: ScalarLike, what: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return Number(value);
  if (value.numel() !== 1) throw new Error(`${what}: expected a one-element tensor, got shape [${value.shape.join(', ')}]`);
  return Number(value.item());
}

/** Options of scalar summaries: PyTorch's new_style (a tensor with the scalars plugin) and double_precision. */
export interface ScalarOptions {
  newStyle?: boolean;
  doublePrecision?: boolean;
}

/** A scalar: simple_value (float32) by default, or a tensor read by the scalars plugin. */
export function scalar(tag: string, value: ScalarLike, options: ScalarOptions = {}): Summary {
  const v = toNumber(value, 'scalar');
  if (!options.newStyle) return { value: [{ tag, simpleValue: v }] };
  const tensor = options.doublePrecision ? { dtype: DataType.DT_DOUBLE, doubleVal: [v] } : { dtype: DataType.DT_FLOAT, floatVal: [v] };
  return { value: [{ tag, tensor, metadata: { pluginData: { pluginName: 'scalars' } } }] };
}

/** A histogram of the values (see makeHistogram). */
export function histogram(tag: string, values: Tensor, bins: HistogramBins = 'tensorflow', maxBins?: number): Summary {
  return { value: [{ tag, histo: makeHistogram(values, bins, maxBins) }] };
}

/** A PNG image of the tensor (see makeImage). */
export function image(tag: string, tensor: Tensor, dataformats: string = 'CHW'): Summary {
  return { value: [{ tag, image: makeImage(tensor, dataformats) }] };
}

/**
 * Text for the text plugin: a string tensor of shape [1] under `tag + '/text_summary'`, with
 * plugin_name "text" (its TextPluginData(version=0) serializes to no bytes).
 */
export function text(tag: string, value: string): Summary {
  return {
    value: [{
      tag: `${tag}/text_summary`,
      metadata: { pluginData: { pluginName: 'text' } },
      tensor: { dtype: DataType.DT_STRING, stringVal: [Buffer.from(value, 'utf8')], tensorShape: { dim: [{ size: 1 }] } },
    }],
  };
}
