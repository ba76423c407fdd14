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

/** Ziggurat tables (Marsaglia & Tsang 2000, 128 layers), built once; they are constants. */
const ZIG_R = 3.442619855899;
const ZIG_KN = new Float64Array(128);
const ZIG_WN = new Float64Array(128);
const ZIG_FN = new Float64Array(128);
{
  const m1 = 2147483648;
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  ZIG_KN[0] = (dn / q) * m1;
  ZIG_KN[1] = 0;
  ZIG_WN[0] = q / m1;
  ZIG_WN[127] = dn / m1;
  ZIG_FN[0] = 1;
  ZIG_FN[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    ZIG_KN[i + 1] = (dn / tn) * m1;
    tn = dn;
    ZIG_FN[i] = Math.exp(-0.5 * dn * dn);
    ZIG_WN[i] = dn / m1;
  }
}

/**
 * Create a generator: sfc32 (Chris Doty-Humphrey's Small Fast Counter, 32-bit
 * state x4; passes PractRand to 2^40+ bytes), seeded through splitmix32 so any
 * integer seed gives a well-mixed state. Normal draws use the Ziggurat method
 * (Marsaglia & Tsang 2000, 128 layers, with the layer drawn separately from
 * the value).
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
  const uniform = (): number => (next32() + (next32() >>> 11) / 2097152) / 4294967296;
  const u32 = (): number => (next32() + 0.5) * 2.3283064365386963e-10; // in (0, 1)
  return {
    uniform,
    normal(): number {
      // Ziggurat (Marsaglia & Tsang 2000); the layer index comes from its own
      // draw, independent of the value's bits (Doornik's remedy)
      for (;;) {
        const iz = next32() & 127;
        const hz = next32() | 0;
        const x = hz * ZIG_WN[iz];
        if (Math.abs(hz) < ZIG_KN[iz]) return x;
        if (iz === 0) {
          // the tail beyond R, by Marsaglia's exponential method
          let xt: number;
          let y: number;
          do {
            xt = -Math.log(u32()) / ZIG_R;
            y = -Math.log(u32());
          } while (y + y < xt * xt);
          return hz > 0 ? ZIG_R + xt : -ZIG_R - xt;
        }
        if (ZIG_FN[iz] + u32() * (ZIG_FN[iz - 1] - ZIG_FN[iz]) < Math.exp(-0.5 * x * x)) return x;
      }
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
