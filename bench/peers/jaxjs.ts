// jax-js contender on its WebGPU device: the same two models written functionally (NCHW, its
// native conv layout), softmax cross-entropy / MSE, valueAndGrad and an Adam update written
// with its ops (its optimizers live in a separate package, @jax-js/optax), the whole training
// step under one jit. jax-js arrays are reference counted: every call consumes its arguments,
// `.ref` keeps one alive, so each parameter below is read exactly once per trace.
import { blockUntilReady, defaultDevice, init, jit, lax, nn, numpy as np, random, tree, valueAndGrad } from '@jax-js/jax';
import type { Contender, SetupOptions } from '../contender';
import { branchedBatch, cnnBatch, seededRandom } from '../workloads';

type Params = { [name: string]: np.Array };
type AdamState = { params: Params; m: Params; v: Params; b1pow: np.Array; b2pow: np.Array };

interface ModelDef {
  /** Parameter shapes with their Glorot fan-in and fan-out (biases start at zero). */
  shapes: { [name: string]: { shape: number[]; fanIn: number; fanOut: number; bias?: boolean } };
  loss(p: Params, x: np.Array, targets: np.Array[], dropKey: np.Array): np.Array;
  predict(p: Params, x: np.Array): np.Array[];
}

const LR = 0.001;
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7; // the Keras / TF.js default

function maxPool2x2(x: np.Array): np.Array {
  return lax.reduceWindow(x, np.max, [2, 2], [2, 2]); // pools the two trailing (spatial) axes
}

function cnnLogits(p: Params, x: np.Array, dropKey: np.Array | null): np.Array {
  let h = lax.convGeneralDilated(x, p.w1, [1, 1], 'SAME').add(p.b1); // [B, 32, 28, 28]
  h = maxPool2x2(nn.relu(h)); // [B, 32, 14, 14]
  h = lax.convGeneralDilated(h, p.w2, [1, 1], 'SAME').add(p.b2); // [B, 64, 14, 14]
  h = maxPool2x2(nn.relu(h)); // [B, 64, 7, 7]
  h = h.reshape([-1, 64 * 7 * 7]); // [B, 3136]
  h = nn.relu(np.dot(h, p.w3).add(p.b3)); // [B, 100]
  if (dropKey) h = np.where(random.bernoulli(dropKey, 0.6, h.shape), h, 0).div(0.6); // Dropout(0.4): keep 60%, scale by 1/0.6
  return np.dot(h, p.w4).add(p.b4); // [B, 10]
}

const SEED_CNN: ModelDef = {
  shapes: {
    w1: { shape: [32, 1, 3, 3], fanIn: 9, fanOut: 32 * 9 },
    b1: { shape: [32, 1, 1], fanIn: 0, fanOut: 0, bias: true },
    w2: { shape: [64, 32, 3, 3], fanIn: 32 * 9, fanOut: 64 * 9 },
    b2: { shape: [64, 1, 1], fanIn: 0, fanOut: 0, bias: true },
    w3: { shape: [3136, 100], fanIn: 3136, fanOut: 100 },
    b3: { shape: [100], fanIn: 0, fanOut: 0, bias: true },
    w4: { shape: [100, 10], fanIn: 100, fanOut: 10 },
    b4: { shape: [10], fanIn: 0, fanOut: 0, bias: true },
  },
  loss(p, x, [labels], dropKey) {
    const batch = labels.shape[0];
    const logProbs = nn.logSoftmax(cnnLogits(p, x, dropKey)); // [B, 10]
    return logProbs.mul(nn.oneHot(labels, 10)).sum().mul(-1 / batch);
  },
  predict: (p, x) => [nn.softmax(cnnLogits(p, x, null))],
};

function branchedOutputs(p: Params, x: np.Array): np.Array[] {
  const h1 = nn.relu(np.dot(x, p.w1).add(p.b1)); // [B, 10]
  const h2 = nn.relu(np.dot(h1, p.w2).add(p.b2)); // [B, 10], feeds both heads
  const out1 = np.dot(h2.ref, p.w3).add(p.b3); // [B, 1]
  const h3 = nn.relu(np.dot(h2, p.w4).add(p.b4)); // [B, 10]
  const out2 = np.dot(h3, p.w5).add(p.b5); // [B, 1]
  return [out1, out2];
}

const BRANCHED: ModelDef = {
  shapes: {
    w1: { shape: [3, 10], fanIn: 3, fanOut: 10 },
    b1: { shape: [10], fanIn: 0, fanOut: 0, bias: true },
    w2: { shape: [10, 10], fanIn: 10, fanOut: 10 },
    b2: { shape: [10], fanIn: 0, fanOut: 0, bias: true },
    w3: { shape: [10, 1], fanIn: 10, fanOut: 1 },
    b3: { shape: [1], fanIn: 0, fanOut: 0, bias: true },
    w4: { shape: [10, 10], fanIn: 10, fanOut: 10 },
    b4: { shape: [10], fanIn: 0, fanOut: 0, bias: true },
    w5: { shape: [10, 1], fanIn: 10, fanOut: 1 },
    b5: { shape: [1], fanIn: 0, fanOut: 0, bias: true },
  },
  loss(p, x, [y1, y2], dropKey) {
    dropKey.dispose();
    const [out1, out2] = branchedOutputs(p, x);
    return np.square(out1.sub(y1)).mean().add(np.square(out2.sub(y2)).mean());
  },
  predict: branchedOutputs,
};

function glorotParams(def: ModelDef, seed = 3): Params {
  const rand = seededRandom(seed);
  const params: Params = {};
  for (const [name, { shape, fanIn, fanOut, bias }] of Object.entries(def.shapes)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const limit = bias ? 0 : Math.sqrt(6 / (fanIn + fanOut));
    params[name] = np.array(Float32Array.from({ length: size }, () => (rand() * 2 - 1) * limit)).reshape(shape);
  }
  return params;
}

function zerosLike(params: Params): Params {
  return Object.fromEntries(Object.entries(params).map(([name, p]) => [name, np.zeros(p.shape)]));
}

/** One Adam step (Kingma & Ba, with the bias correction folded into the step size, as Keras does). */
function adamUpdate(state: AdamState, grads: Params): AdamState {
  const b1pow = state.b1pow.mul(BETA1);
  const b2pow = state.b2pow.mul(BETA2);
  const lrT = np.sqrt(np.negative(b2pow.ref).add(1)).div(np.negative(b1pow.ref).add(1)).mul(LR); // scalar
  const next: AdamState = { params: {}, m: {}, v: {}, b1pow, b2pow };
  for (const name of Object.keys(state.params)) {
    const g = grads[name];
    const m = state.m[name].mul(BETA1).add(g.ref.mul(1 - BETA1));
    const v = state.v[name].mul(BETA2).add(g.ref.mul(g).mul(1 - BETA2));
    const delta = m.ref.mul(lrT.ref).div(np.sqrt(v.ref).add(EPSILON));
    next.params[name] = state.params[name].sub(delta);
    next.m[name] = m;
    next.v[name] = v;
  }
  lrT.dispose();
  return next;
}

class JaxjsContender implements Contender {
  readonly name = 'jaxjs-webgpu';
  readonly backend = 'webgpu';
  private mode: SetupOptions['mode'] = 'train';
  private x: np.Array | null = null;
  private targets: np.Array[] = [];
  private params: Params | null = null;
  private adam: AdamState | null = null;
  private stepCount = 0;
  private loss: number | null = null;
  private trainStep: ReturnType<typeof makeTrainStep> | null = null;
  private predict: ReturnType<typeof makePredict> | null = null;

  async setup({ batch, model, mode }: SetupOptions): Promise<void> {
    this.dispose();
    this.mode = mode;
    this.loss = null;
    const def = model === 'seed-cnn' ? SEED_CNN : BRANCHED;
    if (model === 'seed-cnn') {
      const data = cnnBatch(batch);
      this.x = np.array(data.x).reshape([batch, 1, 28, 28]);
      this.targets = [np.array(data.labels, { dtype: np.int32 })];
    } else {
      const data = branchedBatch(batch);
      this.x = np.array(data.x).reshape([batch, 3]);
      this.targets = [np.array(data.y1).reshape([batch, 1]), np.array(data.y2).reshape([batch, 1])];
    }
    const params = glorotParams(def);
    if (mode === 'train') {
      this.adam = { m: zerosLike(params), v: zerosLike(params), params, b1pow: np.array(1), b2pow: np.array(1) };
      this.trainStep = makeTrainStep(def);
    } else {
      this.params = params;
      this.predict = makePredict(def);
    }
    await blockUntilReady([this.x, this.targets, params]);
  }

  async step(): Promise<void> {
    if (!this.x) throw new Error(`${this.name}: step() before setup()`);
    if (this.mode === 'train' && this.adam && this.trainStep) {
      const dropKey = random.key(this.stepCount++);
      const { loss, state } = this.trainStep(this.adam, this.x.ref, tree.ref(this.targets), dropKey);
      this.adam = state;
      this.loss = (await loss.data())[0]; // the loss, read back once
      await blockUntilReady(state); // and the weight update finished, as trainOnBatch guarantees
      return;
    }
    if (this.params && this.predict) {
      const outputs = this.predict(tree.ref(this.params), this.x.ref);
      await Promise.all(outputs.map((out) => out.data()));
    }
  }

  lastLoss(): number | null {
    return this.loss;
  }

  dispose(): void {
    tree.dispose([this.x, this.targets, this.params, this.adam]);
    this.trainStep?.dispose();
    this.predict?.dispose();
    this.x = null;
    this.targets = [];
    this.params = null;
    this.adam = null;
    this.trainStep = null;
    this.predict = null;
  }
}

function makeTrainStep(def: ModelDef) {
  return jit((state: AdamState, x: np.Array, targets: np.Array[], dropKey: np.Array) => {
    const [loss, grads] = valueAndGrad(def.loss)(tree.ref(state.params), x, targets, dropKey);
    return { loss, state: adamUpdate(state, grads) };
  });
}

function makePredict(def: ModelDef) {
  return jit((params: Params, x: np.Array) => def.predict(params, x));
}

export async function jaxjsWebgpu(): Promise<Contender> {
  const devices = await init('webgpu');
  if (!devices.includes('webgpu')) throw new Error('jax-js could not start its webgpu device');
  defaultDevice('webgpu');
  return new JaxjsContender();
}
