// The Python subset the reader accepts, one feature at a time, each checked against what Keras
// would build (parameter counts worked out by hand from Keras's formulas), and the errors it
// gives for arguments Keras would not take or our layers refuse, at the call's line:column.
import { beforeEach, describe, expect, it } from 'vitest';
import { resetNameScope, summaryRows } from '../../index';
import type { Conv2D } from '../../layers/conv';
import { PythonCodeError, readPython } from './index';

beforeEach(() => resetNameScope());

function errorOf(code: string): PythonCodeError {
  try {
    readPython(code);
  } catch (e) {
    if (e instanceof PythonCodeError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('imports', () => {
  const body = (prefix: string) => `m = ${prefix}Sequential([${prefix}Input(shape=(4,)), L.Dense(3)])\n`;
  it.each([
    ['import tensorflow as tf\nL = tf.keras.layers\n', 'tf.keras.'],
    ['import keras\nfrom keras import layers as L\n', 'keras.'],
    ['from tensorflow import keras\nL = keras.layers\n', 'keras.'],
    ['from tensorflow.keras import layers as L, models\nfrom tensorflow.keras import Input\n', 'models.'],
  ])('%s', (imports, prefix) => {
    const code = imports + body(prefix).replace(`${prefix}Input`, prefix === 'models.' ? 'Input' : `${prefix}Input`);
    expect(summaryRows(readPython(code).model).totalParams).toBe(15);
  });

  it('takes bare imported classes and aliases', () => {
    const code = `from keras.layers import Dense as D, Input, Conv2D
from keras.models import Model
i = Input((8, 8, 3))
x = Conv2D(4, (3, 3))(i)
m = Model(i, D(2)(x))`;
    // Conv2D: 3*3*3*4 + 4 = 112; Dense on (6, 6, 4): 4*2 + 2 = 10.
    expect(summaryRows(readPython(code).model).totalParams).toBe(122);
  });
});

describe('values and calls', () => {
  it('reads literals, arithmetic, comments, Korean text and rebinding', () => {
    const code = `import keras
from keras import layers
## 입력층 (Korean comment)
size = 28 * 28   # 784
inputs = keras.Input(shape=(size,), name="픽셀")
x = layers.Rescaling(1./255, offset=-0.5)(inputs)
x = layers.Dense(2**5, activation='relu', kernel_initializer=keras.initializers.HeNormal(seed=1),
                 kernel_regularizer=keras.regularizers.l2(0.01))(x)
x = layers.Dropout(rate=1 - 0.75)(x)
outputs = layers.Dense(10, 'softmax')(x)
model = keras.Model(inputs=inputs, outputs=[outputs], name='mlp')
`;
    const { model } = readPython(code);
    expect(model.name).toBe('mlp');
    expect(model.inputs[0]!.layer.name).toBe('픽셀');
    const [, rescaling, dense, dropout, out] = model.layers;
    expect(rescaling!.getConfig()).toMatchObject({ scale: 1 / 255, offset: -0.5 });
    expect(dense!.getConfig()).toMatchObject({ units: 32, kernelInitializer: { className: 'HeNormal', config: { seed: 1 } }, kernelRegularizer: { className: 'L2', config: { l2: 0.01 } } });
    expect(dropout!.getConfig()).toMatchObject({ rate: 0.25 });
    expect(out!.getConfig()).toMatchObject({ activation: 'softmax' });
    expect(summaryRows(model).totalParams).toBe(784 * 32 + 32 + 330);
  });

  it('reads Windows line ends and a byte-order mark', () => {
    const code = "\ufeffimport keras\r\nmodel = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(3)])\r\nmodel.summary()\r\n";
    expect(readPython(code).summaries).toBe(1);
    const e = errorOf('\ufeffimport keras\r\nx = 1\r\ny = zzz\r\n');
    expect([e.line, e.column]).toEqual([3, 5]);
  });

  it('shares a layer called twice and merges a list', () => {
    const code = `import keras
from keras import layers
a = keras.Input(shape=(5,))
b = keras.Input(shape=(5,))
shared = layers.Dense(4)
x = layers.Concatenate()([shared(a), shared(b)])
model = keras.Model([a, b], layers.Dense(1)(x))`;
    const { model } = readPython(code);
    expect(model.inputs.map((t) => t.layer.name)).toEqual(['input_1', 'input_2']);
    // One Dense(4) on 5 features (24), shared; Dense(1) on 8 (9).
    expect(summaryRows(model).totalParams).toBe(33);
  });

  it("reads Keras's input_dim as a one-dimensional input_shape", () => {
    const code = 'from keras.models import Sequential\nfrom keras.layers import Dense\nmodel = Sequential()\nmodel.add(Dense(32, input_dim=784))';
    const { model } = readPython(code);
    expect(model.inputs[0]!.shape).toEqual([null, 784]);
    expect(summaryRows(model).totalParams).toBe(784 * 32 + 32);
  });

  it('takes positional arguments in Keras 3 order', () => {
    const code = `import keras
from keras import layers
model = keras.Sequential([layers.Input((10, 10, 3)), layers.Conv2D(8, 3, 2, 'same'), layers.MaxPooling2D((2, 2), 1)])`;
    const conv = readPython(code).model.layers[0] as Conv2D;
    expect(conv.getConfig()).toMatchObject({ filters: 8, kernelSize: [3, 3], strides: [2, 2], padding: 'same' });
    expect(readPython(code).model.outputs[0]!.shape).toEqual([null, 4, 4, 8]);
  });
});

describe('compile, fit and the rest', () => {
  const MODEL = 'import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(2, name="out")])\n';

  it('reads optimizer objects, loss objects, metric lists, loss weights and fit settings', () => {
    const code = `${MODEL}opt = keras.optimizers.Adam(learning_rate=1e-3)
model.compile(optimizer=opt, loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=['accuracy'], loss_weights=[1.0])
es = keras.callbacks.EarlyStopping(monitor='val_loss', patience=3)
history = model.fit(train_x[:1000], train_y[:1000], epochs=5, batch_size=64, validation_split=0.2, shuffle=False,
                    callbacks=[es, keras.callbacks.ReduceLROnPlateau(factor=0.5), keras.callbacks.CSVLogger('log.csv')], verbose=0)
model.evaluate(test_x, test_y)
model.predict(test_x)
model.load_weights('best.weights.h5')
model.summary()
model.summary()`;
    const r = readPython(code);
    expect(r.compile).toEqual({
      optimizer: { kind: 'adam', learningRate: 1e-3 },
      loss: { className: 'SparseCategoricalCrossentropy', config: { from_logits: true } },
      metrics: ['accuracy'],
      lossWeights: [1],
    });
    expect(r.fit).toEqual({
      epochs: 5, batchSize: 64, validationSplit: 0.2, shuffle: false,
      callbacks: [
        { className: 'EarlyStopping', config: { monitor: 'val_loss', patience: 3 } },
        { className: 'ReduceLROnPlateau', config: { factor: 0.5 } },
        { className: 'CSVLogger', config: { filename: 'log.csv' } },
      ],
    });
    expect(r.weightsFile).toBe('best.weights.h5');
    expect(r.summaries).toBe(2);
    expect(r.notes.some((n) => n.includes('model.evaluate'))).toBe(true);
  });

  it('reads dict losses and metrics by output name', () => {
    const code = `${MODEL}model.compile('sgd', loss={'out': 'mse'}, metrics={'out': ['mae']})`;
    expect(readPython(code).compile).toEqual({ optimizer: 'sgd', loss: { out: 'mse' }, metrics: { out: ['mae'] } });
  });

  it('keeps the model assigned to `model` when several are built, and says so', () => {
    const code = `${MODEL}other = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(1)])`;
    const r = readPython(code);
    expect(r.model.name).toBe('sequential');
    expect(r.notes.join('\n')).toContain('2 models');
  });
});

describe('errors at the call', () => {
  it('names an unknown keyword argument and the allowed ones', () => {
    const e = errorOf('import keras\nx = keras.layers.Dense(10, unit=3)');
    expect([e.line, e.column]).toEqual([2, 28]);
    expect(e.message).toContain("the argument 'unit' of layers.Dense; allowed: units, activation, use_bias");
  });

  it("keeps a layer's own message at its line:column", () => {
    const e = errorOf("import keras\nm = keras.Sequential()\nm.add(keras.layers.Dense(0, input_shape=(3,)))");
    expect([e.line, e.column]).toEqual([3, 7]);
    expect(e.message).toContain('units must be an integer from 1');
    const shape = errorOf('import keras\na = keras.Input(shape=(3,))\nb = keras.Input(shape=(4,))\nc = keras.layers.Add()([a, b])');
    expect([shape.line, shape.column]).toEqual([4, 5]);
    expect(shape.message).toMatch(/Add/);
  });

  it('refuses unsupported option values through the Keras config reader', () => {
    const e = errorOf("import keras\nx = keras.layers.Conv2D(3, 3, data_format='channels_first')");
    expect(e.line).toBe(2);
    expect(e.message).toContain('data_format');
  });

  it('checks loss and optimizer names at the argument', () => {
    const loss = errorOf("import keras\nmodel = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])\nmodel.compile(optimizer='adam', loss='msee')");
    expect([loss.line, loss.column]).toEqual([3, 38]);
    expect(loss.message).toContain('unknown loss "msee"');
    const opt = errorOf("import keras\nmodel = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])\nmodel.compile(optimizer='adamx', loss='mse')");
    expect([opt.line, opt.column]).toEqual([3, 25]);
  });

  it('needs a model, with an input shape', () => {
    expect(errorOf('import keras\nx = 1').message).toContain('found no model');
    expect(errorOf('import keras\nmodel = keras.Sequential()\nmodel.add(keras.layers.Dense(3))').message).toContain('without an input shape');
  });
});
