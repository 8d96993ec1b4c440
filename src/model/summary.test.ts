// Golden summaries. The first two are copied character for character from
// issue 3 (the classic tf.keras 2.0-2.6 text the Keras book prints). The
// functional CNN is that text plus its InputLayer row. The other expected
// texts are derived by hand from the rules of tf.keras's
// layer_utils.print_summary (TF 2.0-2.6): rows ordered by depth with ties in
// DFS-from-outputs order (Functional._map_graph_network), 98 columns with
// "Connected to" for non-chain graphs, positions [.33, .55, .67, 1], one extra
// line per further inbound tensor, names cut at the column end. The Keras 3
// boxes follow keras/src/utils/summary_utils.py with rich's table layout.

import { beforeEach, describe, expect, it } from 'vitest';
import { resetNameScope } from './index.ts';
import { branched, multiInputConcat, residual, seedCnn, seedCnnFunctional, sharedTwoHeads } from './examples.ts';

beforeEach(() => resetNameScope());

const SEED_CNN = `Model: "sequential"
_________________________________________________________________
Layer (type)                 Output Shape              Param #   
=================================================================
conv2d (Conv2D)              (None, 28, 28, 32)        320       
_________________________________________________________________
max_pooling2d (MaxPooling2D) (None, 14, 14, 32)        0         
_________________________________________________________________
conv2d_1 (Conv2D)            (None, 14, 14, 64)        18496     
_________________________________________________________________
max_pooling2d_1 (MaxPooling2 (None, 7, 7, 64)          0         
_________________________________________________________________
flatten (Flatten)            (None, 3136)              0         
_________________________________________________________________
dense (Dense)                (None, 100)               313700    
_________________________________________________________________
dropout (Dropout)            (None, 100)               0         
_________________________________________________________________
dense_1 (Dense)              (None, 10)                1010      
=================================================================
Total params: 333,526
Trainable params: 333,526
Non-trainable params: 0
_________________________________________________________________`;

const BRANCHED = `Model: "model"
__________________________________________________________________________________________________
Layer (type)                    Output Shape         Param #     Connected to                     
==================================================================================================
input_layer (InputLayer)        [(None, 3)]          0                                            
__________________________________________________________________________________________________
Layer_1 (Dense)                 (None, 10)           40          input_layer[0][0]                
__________________________________________________________________________________________________
Layer_2 (Dense)                 (None, 10)           110         Layer_1[0][0]                    
__________________________________________________________________________________________________
Branched_layer (Dense)          (None, 10)           110         Layer_2[0][0]                    
__________________________________________________________________________________________________
y1_output (Dense)               (None, 1)            11          Layer_2[0][0]                    
__________________________________________________________________________________________________
y2_output (Dense)               (None, 1)            11          Branched_layer[0][0]             
==================================================================================================
Total params: 282
Trainable params: 282
Non-trainable params: 0
__________________________________________________________________________________________________`;

// The Sequential text with the functional InputLayer row ([(None, ...)] since its node outputs a list).
const SEED_CNN_FUNCTIONAL = `Model: "model"
_________________________________________________________________
Layer (type)                 Output Shape              Param #   
=================================================================
input_1 (InputLayer)         [(None, 28, 28, 1)]       0         
_________________________________________________________________
conv2d (Conv2D)              (None, 28, 28, 32)        320       
_________________________________________________________________
max_pooling2d (MaxPooling2D) (None, 14, 14, 32)        0         
_________________________________________________________________
conv2d_1 (Conv2D)            (None, 14, 14, 64)        18496     
_________________________________________________________________
max_pooling2d_1 (MaxPooling2 (None, 7, 7, 64)          0         
_________________________________________________________________
flatten (Flatten)            (None, 3136)              0         
_________________________________________________________________
dense (Dense)                (None, 100)               313700    
_________________________________________________________________
dropout (Dropout)            (None, 100)               0         
_________________________________________________________________
dense_1 (Dense)              (None, 10)                1010      
=================================================================
Total params: 333,526
Trainable params: 333,526
Non-trainable params: 0
_________________________________________________________________`;

// Two inputs: both InputLayers at the same depth in input order; Concatenate lists one line per inbound tensor.
const MULTI_INPUT = `Model: "two_inputs"
__________________________________________________________________________________________________
Layer (type)                    Output Shape         Param #     Connected to                     
==================================================================================================
pixels (InputLayer)             [(None, 784)]        0                                            
__________________________________________________________________________________________________
meta (InputLayer)               [(None, 8)]          0                                            
__________________________________________________________________________________________________
dense (Dense)                   (None, 64)           50240       pixels[0][0]                     
__________________________________________________________________________________________________
dense_1 (Dense)                 (None, 16)           144         meta[0][0]                       
__________________________________________________________________________________________________
concatenate (Concatenate)       (None, 80)           0           dense[0][0]                      
                                                                 dense_1[0][0]                    
__________________________________________________________________________________________________
dense_2 (Dense)                 (None, 10)           810         concatenate[0][0]                
==================================================================================================
Total params: 51,194
Trainable params: 51,194
Non-trainable params: 0
__________________________________________________________________________________________________`;

// Residual: the stem conv feeds both the block and Add, so it sits deeper than conv2d_1;
// 'average_pooling2d (AveragePooling2D)' is cut at 31 characters plus a space.
const RESIDUAL = `Model: "residual"
__________________________________________________________________________________________________
Layer (type)                    Output Shape         Param #     Connected to                     
==================================================================================================
input_1 (InputLayer)            [(None, 28, 28, 1)]  0                                            
__________________________________________________________________________________________________
conv2d (Conv2D)                 (None, 28, 28, 16)   160         input_1[0][0]                    
__________________________________________________________________________________________________
conv2d_1 (Conv2D)               (None, 28, 28, 16)   2320        conv2d[0][0]                     
__________________________________________________________________________________________________
conv2d_2 (Conv2D)               (None, 28, 28, 16)   2320        conv2d_1[0][0]                   
__________________________________________________________________________________________________
add (Add)                       (None, 28, 28, 16)   0           conv2d[0][0]                     
                                                                 conv2d_2[0][0]                   
__________________________________________________________________________________________________
activation (Activation)         (None, 28, 28, 16)   0           add[0][0]                        
__________________________________________________________________________________________________
average_pooling2d (AveragePooli (None, 14, 14, 16)   0           activation[0][0]                 
__________________________________________________________________________________________________
flatten (Flatten)               (None, 3136)         0           average_pooling2d[0][0]          
__________________________________________________________________________________________________
dense (Dense)                   (None, 10)           31370       flatten[0][0]                    
==================================================================================================
Total params: 36,170
Trainable params: 36,170
Non-trainable params: 0
__________________________________________________________________________________________________`;

// A shared layer called twice: one row, one Connected-to line per call, node index 1 for the second call.
const SIAMESE = `Model: "siamese"
__________________________________________________________________________________________________
Layer (type)                    Output Shape         Param #     Connected to                     
==================================================================================================
input_1 (InputLayer)            [(None, 16)]         0                                            
__________________________________________________________________________________________________
input_2 (InputLayer)            [(None, 16)]         0                                            
__________________________________________________________________________________________________
shared (Dense)                  (None, 8)            136         input_1[0][0]                    
                                                                 input_2[0][0]                    
__________________________________________________________________________________________________
concatenate (Concatenate)       (None, 16)           0           shared[0][0]                     
                                                                 shared[1][0]                     
__________________________________________________________________________________________________
same (Dense)                    (None, 1)            17          concatenate[0][0]                
__________________________________________________________________________________________________
diff (Dense)                    (None, 4)            68          concatenate[0][0]                
==================================================================================================
Total params: 221
Trainable params: 221
Non-trainable params: 0
__________________________________________________________________________________________________`;

// Keras 3: 88 columns shrunk from [39, 31, 18] + padding to [38, 29, 17] by rich; params with separators.
const SEED_CNN_KERAS3 = `Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ conv2d (Conv2D)                      │ (None, 28, 28, 32)          │             320 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ max_pooling2d (MaxPooling2D)         │ (None, 14, 14, 32)          │               0 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ conv2d_1 (Conv2D)                    │ (None, 14, 14, 64)          │          18,496 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ max_pooling2d_1 (MaxPooling2D)       │ (None, 7, 7, 64)            │               0 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ flatten (Flatten)                    │ (None, 3136)                │               0 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dense (Dense)                        │ (None, 100)                 │         313,700 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dropout (Dropout)                    │ (None, 100)                 │               0 │
├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤
│ dense_1 (Dense)                      │ (None, 10)                  │           1,010 │
└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 Total params: 333,526 (1.27 MB)
 Trainable params: 333,526 (1.27 MB)
 Non-trainable params: 0 (0.00 B)`;

// Keras 3 with connections: 108 columns -> [31, 27, 17, 28]; long cells wrap at spaces.
const RESIDUAL_KERAS3 = `Model: "residual"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)                  ┃ Output Shape              ┃         Param # ┃ Connected to               ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ input_1 (InputLayer)          │ (None, 28, 28, 1)         │               0 │ -                          │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ conv2d (Conv2D)               │ (None, 28, 28, 16)        │             160 │ input_1[0][0]              │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ conv2d_1 (Conv2D)             │ (None, 28, 28, 16)        │           2,320 │ conv2d[0][0]               │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ conv2d_2 (Conv2D)             │ (None, 28, 28, 16)        │           2,320 │ conv2d_1[0][0]             │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ add (Add)                     │ (None, 28, 28, 16)        │               0 │ conv2d[0][0],              │
│                               │                           │                 │ conv2d_2[0][0]             │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ activation (Activation)       │ (None, 28, 28, 16)        │               0 │ add[0][0]                  │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ average_pooling2d             │ (None, 14, 14, 16)        │               0 │ activation[0][0]           │
│ (AveragePooling2D)            │                           │                 │                            │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ flatten (Flatten)             │ (None, 3136)              │               0 │ average_pooling2d[0][0]    │
├───────────────────────────────┼───────────────────────────┼─────────────────┼────────────────────────────┤
│ dense (Dense)                 │ (None, 10)                │          31,370 │ flatten[0][0]              │
└───────────────────────────────┴───────────────────────────┴─────────────────┴────────────────────────────┘
 Total params: 36,170 (141.29 KB)
 Trainable params: 36,170 (141.29 KB)
 Non-trainable params: 0 (0.00 B)`;


describe('classic summary (tf.keras 2.0-2.6)', () => {
  it('prints the seed CNN built with Sequential exactly', () => {
    expect(seedCnn().summary()).toBe(SEED_CNN);
  });
  it('prints the branched model exactly, Branched_layer before y1_output', () => {
    expect(branched().summary()).toBe(BRANCHED);
  });
  it('prints the functional CNN as sequential-like, with its InputLayer row', () => {
    expect(seedCnnFunctional().summary()).toBe(SEED_CNN_FUNCTIONAL);
  });
  it('prints a two-input Concatenate model', () => {
    expect(multiInputConcat().summary()).toBe(MULTI_INPUT);
  });
  it('prints a residual Add model', () => {
    expect(residual().summary()).toBe(RESIDUAL);
  });
  it('prints a shared layer with two inputs and two outputs', () => {
    expect(sharedTwoHeads().summary()).toBe(SIAMESE);
  });
  it('every line has the layout width', () => {
    for (const line of SEED_CNN.split('\n').slice(1, -4)) expect(line).toHaveLength(65);
    for (const line of BRANCHED.split('\n').slice(1, -4)) expect(line).toHaveLength(98);
  });
});

describe('Keras 3 summary', () => {
  it('prints the seed CNN box table', () => {
    expect(seedCnn().summary({ layout: 'keras3' })).toBe(SEED_CNN_KERAS3);
  });
  it('prints connections and wraps long cells', () => {
    expect(residual().summary({ layout: 'keras3' })).toBe(RESIDUAL_KERAS3);
  });
  it('is 88 and 108 columns wide by default, 76 in an 80-column terminal', () => {
    const width = (text: string): number => [...text.split('\n')[1]!].length;
    expect(width(SEED_CNN_KERAS3)).toBe(88);
    expect(width(RESIDUAL_KERAS3)).toBe(108);
    resetNameScope();
    // In an 80-column terminal Keras prints 76 columns: [33, 24, 15] as in keras.io's examples.
    const narrow = seedCnn().summary({ layout: 'keras3', lineLength: 76 }).split('\n')[1]!;
    expect(narrow).toBe(`┏${'━'.repeat(33)}┳${'━'.repeat(24)}┳${'━'.repeat(15)}┓`);
  });
});
