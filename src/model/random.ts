// Seedable PRNG for weight initialization: xoshiro128** seeded by splitmix32.
// Small, fast, and identical on every JS engine, so a seed reproduces a model.

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Random: seed must be a finite number, got ${seed}`);
    const next = splitmix32(Math.floor(seed));
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** The generator's four state words: a copy restored with setState goes on with the same numbers. */
  getState(): Uint32Array {
    return Uint32Array.of(this.s0, this.s1, this.s2, this.s3);
  }

  setState(state: ArrayLike<number>): void {
    if (state.length !== 4) throw new Error(`Random.setState: 4 state words expected, got ${state.length}`);
    [this.s0, this.s1, this.s2, this.s3] = [state[0]! >>> 0, state[1]! >>> 0, state[2]! >>> 0, state[3]! >>> 0];
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [-limit, limit). */
  symmetric(limit: number): number {
    return (this.nextFloat() * 2 - 1) * limit;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

// The generator that layers draw from when a model gives no seed of its own,
// like the global seed of tf.random.set_seed. Kept in one holder object so
// tests and the UI can reset it (the Keras "session" has the same role).
const globalRandom = { current: new Random(0) };

/** Reseed the global generator (Keras: keras.utils.set_random_seed). */
export function setSeed(seed: number): void {
  globalRandom.current = new Random(seed);
}

export function getGlobalRandom(): Random {
  return globalRandom.current;
}
