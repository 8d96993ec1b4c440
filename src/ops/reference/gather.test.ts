import { describe, expect, it } from 'vitest';
import { packBytes } from '../bytes';
import { gatherImages, gatherLabels } from './gather';

describe('packBytes', () => {
  it('packs little-endian, 4 per word, zero-padded', () => {
    expect([...packBytes(Uint8Array.of(1, 2, 3, 4, 5))]).toEqual([0x04030201, 0x00000005]);
    expect([...packBytes(Uint8Array.of(255, 0, 0, 128))]).toEqual([0x800000ff]);
    expect(packBytes(new Uint8Array(0)).length).toBe(1);
  });
});

describe('gather', () => {
  // Three images of 3 bytes: [0, 51, 255], [102, 153, 204], [10, 20, 30].
  const bytes = Uint8Array.of(0, 51, 255, 102, 153, 204, 10, 20, 30);

  it('images: bytes / 255 in index order, out-of-range index gives zeros', () => {
    const out = gatherImages(bytes, Uint32Array.of(2, 0, 7, 2), 3, 3);
    const expected = [10, 20, 30, 0, 51, 255, 0, 0, 0, 10, 20, 30].map((v) => Math.fround(v / 255));
    expect([...out]).toEqual(expected);
  });

  it('labels: one byte per example', () => {
    expect([...gatherLabels(Uint8Array.of(9, 3, 7), Uint32Array.of(2, 2, 0, 1, 5), 3)]).toEqual([7, 7, 9, 3, 0]);
  });
});
