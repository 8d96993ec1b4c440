// The lowerings of BatchNormalization and Normalization: which statistics normalize reads.
import type { OpBuilder } from './forwardOps';
import type { LayerCall } from './lowerings';
import type { ValueId } from './program';
import type { ConfigOf } from '../configs';
import { NORMALIZATION_EPSILON, channelValue, type ChannelValues } from '../layers/normalization';

/**
 * Training (a trainable layer): the batch's moments, then the moving statistics move toward them.
 * Evaluation, prediction, or a frozen layer (Keras 3): the moving statistics.
 */
export function lowerBatchNormalization(g: OpBuilder, call: LayerCall<ConfigOf<'BatchNormalization'>>): ValueId {
  const { config, inputs: [x], training } = call;
  const weights = [...call.weights];
  const gamma = config.scale ? weights.shift()! : null;
  const beta = config.center ? weights.shift()! : null;
  const [movingMean, movingVariance] = weights;
  const common = { gamma, beta, epsilon: config.epsilon, floor: false };
  if (!training || !config.trainable) {
    return g.normalize(x, { ...common, mean: movingMean, variance: movingVariance, batchStats: false });
  }
  const { mean, variance } = g.moments(x);
  const y = g.normalize(x, { ...common, mean, variance, batchStats: true });
  g.movingAverage(movingMean, mean, config.momentum);
  g.movingAverage(movingVariance, variance, config.momentum);
  return y;
}

/** Normalization: its mean/variance weights (adapted), or the config's constants broadcast to every channel. */
export function lowerNormalization(g: OpBuilder, call: LayerCall<ConfigOf<'Normalization'>>): ValueId {
  const { config, inputs: [x], weights } = call;
  if (config.mean === null || config.variance === null) {
    return g.normalize(x, { mean: weights[0], variance: weights[1], gamma: null, beta: null, epsilon: NORMALIZATION_EPSILON, floor: true, batchStats: false });
  }
  const shape = g.shapeOf(x);
  const perChannel = (v: ChannelValues) => Array.from({ length: shape[shape.length - 1] }, (_, c) => channelValue(v, c));
  return g.normalizeConstant(x, perChannel(config.mean), perChannel(config.variance), NORMALIZATION_EPSILON);
}
