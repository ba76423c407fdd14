/**
 * A seeded pseudo-random number generator: the only source of randomness in
 * carecast. The same seed gives the same numbers on every platform.
 *
 * @module
 */

/** A seeded random number generator. */
export interface Rng {
  /** A uniform draw in [0, 1). */
  uniform(): number;
  /** A standard normal draw. */
  normal(): number;
}

/**
 * Create a generator: sfc32 (Chris Doty-Humphrey's Small Fast Counter, 32-bit
 * state x4; passes PractRand to 2^40+ bytes), seeded through splitmix32 so any
 * integer seed gives a well-mixed state. Normal draws use the Marsaglia polar
 * method.
 *
 * @param seed - any integer (fractional parts are dropped)
 * @returns the generator
 * @throws RangeError when the seed is not a finite number
 * @example
 * ```ts
 * const rng = createRng(42);
 * rng.uniform(); // same value every run
 * ```
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  let s = Math.trunc(seed) >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) next32();
  let spare: number | null = null;
  const uniform = (): number => (next32() + (next32() >>> 11) / 2097152) / 4294967296;
  return {
    uniform,
    normal(): number {
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      let u: number;
      let v: number;
      let q: number;
      // 32-bit resolution is ample for the polar method's uniforms, and twice as fast
      do {
        u = (next32() + 0.5) * 4.656612873077393e-10 - 1;
        v = (next32() + 0.5) * 4.656612873077393e-10 - 1;
        q = u * u + v * v;
      } while (q >= 1);
      const f = Math.sqrt((-2 * Math.log(q)) / q);
      spare = v * f;
      return u * f;
    },
  };
}

/**
 * A child seed for the i-th independent stream derived from a parent seed,
 * so parallel or per-series simulations stay reproducible whatever order
 * they run in.
 *
 * @param seed - the parent seed
 * @param stream - the stream index (0, 1, 2, ...)
 * @returns a seed for that stream
 * @example
 * ```ts
 * const rngs = [0, 1, 2].map((i) => createRng(streamSeed(42, i)));
 * ```
 */
export function streamSeed(seed: number, stream: number): number {
  let z = (Math.trunc(seed) ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}
