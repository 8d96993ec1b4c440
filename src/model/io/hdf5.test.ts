// The HDF5 helpers: Keras's split list attributes, the size cap, the signature check, and a
// full-model .h5 given where weights are expected.
import { describe, expect, it } from 'vitest';
import { examples } from '../examples';
import { resetNameScope } from '../naming';
import { ioExpected, ioFixture, kerasInputs, maxAbsDiff, predictOnCpu } from '../../../tests/util/kerasIo';
import { MAX_H5_BYTES, hasH5Signature, readH5, stringListAttr, writeH5 } from './hdf5';
import { writeStringList } from './h5LegacyWeights';
import { readWeightsH5 } from './weightsH5';

describe('HDF5 helpers', () => {
  it("splits a list attribute over HDF5's 64 KiB header limit into name0, name1, ... as Keras does, and reads it back whole", async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `a_rather_long_layer_name_${String(i).padStart(5, '0')}`);
    const bytes = await writeH5((root) => writeStringList(root, 'layer_names', names));
    const { keys, read } = await readH5(bytes, 'test', (root) => ({ keys: Object.keys(root.attrs), read: stringListAttr(root, 'layer_names', 'test') }));
    expect(keys.length).toBeGreaterThan(1);
    expect(keys.every((k) => /^layer_names\d+$/.test(k))).toBe(true);
    expect(read).toEqual(names);
  });

  it('an empty list is written as Keras writes it (an empty float64 array) and read as []', async () => {
    const bytes = await writeH5((root) => writeStringList(root, 'weight_names', []));
    expect(await readH5(bytes, 'test', (root) => stringListAttr(root, 'weight_names', 'test'))).toEqual([]);
  });

  it('refuses files over 512 MiB before handing them to HDF5', async () => {
    // calloc'd and never touched: no real memory is used.
    const huge = new Uint8Array(MAX_H5_BYTES + 1);
    await expect(readH5(huge, 'Reading x.h5', () => 0)).rejects.toThrow('Reading x.h5: the file has 512 MiB; HDF5 files over 512 MiB are refused here.');
  });

  it("finds HDF5's signature at 0 or after a user block", () => {
    const signature = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
    const at = (offset: number) => {
      const b = new Uint8Array(4096);
      b.set(signature, offset);
      return hasH5Signature(b);
    };
    expect([at(0), at(512), at(1024), at(100)]).toEqual([true, true, true, false]);
  });

  it("readWeightsH5 takes a full-model .h5's model_weights too", async () => {
    resetNameScope();
    const model = examples['seed-cnn']!.build();
    await readWeightsH5(model, ioFixture('seed_cnn.h5'));
    const [out] = await predictOnCpu(model, kerasInputs('seed_cnn'));
    expect(maxAbsDiff(out!, ioExpected('seed_cnn').predictions[0]!)).toBeLessThan(1e-4);
  });
});
