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
 * The state of a {@link fillNormal} stream: sfc32's four 32-bit words, in
 * a typed array so that a simulation loop can carry it without closures.
 */
export interface NormalStream {
  /** sfc32's state words a, b, c, d. */
  readonly state: Int32Array;
}

/**
 * A stream of standard normal draws for {@link fillNormal}, seeded exactly
 * as {@link createRng}: the same seed gives the same draws as
 * `createRng(seed).normal()`, in the same order.
 *
 * @param seed - any integer (fractional parts are dropped)
 * @returns the stream's state
 * @throws RangeError when the seed is not a finite number
 * @example
 * ```ts
 * const s = normalStream(42);
 * const z = new Float64Array(1000);
 * fillNormal(s, z); // z[0] === createRng(42).normal()
 * ```
 */
export function normalStream(seed: number): NormalStream {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  let s = Math.trunc(seed) >>> 0;
  const state = new Int32Array(4);
  for (let i = 0; i < 4; i++) {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    state[i] = z ^ (z >>> 16);
  }
  let [a, b, c, d] = state;
  for (let i = 0; i < 12; i++) {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
  return { state };
}

/**
 * Fill `out[start..end)` with standard normal draws from a stream: the
 * generator and the Ziggurat of {@link createRng} written out in one loop
 * over local variables (about twice as fast as calling `normal()` per
 * draw), so the draws equal `createRng(seed).normal()`'s. The stream moves
 * on: the next call continues where this one stopped.
 *
 * @param stream - from {@link normalStream}
 * @param out - the array to fill
 * @param start - first index (default 0)
 * @param end - one past the last index (default `out.length`)
 * @example
 * ```ts
 * const s = normalStream(7);
 * const z = new Float64Array(2000);
 * fillNormal(s, z, 0, 1000); // the first 1000 draws
 * fillNormal(s, z, 1000);    // the next 1000
 * ```
 */
export function fillNormal(stream: NormalStream, out: Float64Array, start = 0, end: number = out.length): void {
  const st = stream.state;
  let a = st[0];
  let b = st[1];
  let c = st[2];
  let d = st[3];
  let t = 0;
  for (let i = start; i < end; i++) {
    let x = 0;
    for (;;) {
      // iz = next32() & 127
      t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      const iz = t & 127;
      // hz = next32() | 0
      t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      const hz = t;
      x = hz * ZIG_WN[iz];
      if ((hz < 0 ? -hz : hz) < ZIG_KN[iz]) break;
      if (iz === 0) {
        let xt: number;
        let y: number;
        do {
          t = (((a + b) | 0) + d) | 0;
          d = (d + 1) | 0;
          a = b ^ (b >>> 9);
          b = (c + (c << 3)) | 0;
          c = (c << 21) | (c >>> 11);
          c = (c + t) | 0;
          xt = -Math.log(((t >>> 0) + 0.5) * 2.3283064365386963e-10) / ZIG_R;
          t = (((a + b) | 0) + d) | 0;
          d = (d + 1) | 0;
          a = b ^ (b >>> 9);
          b = (c + (c << 3)) | 0;
          c = (c << 21) | (c >>> 11);
          c = (c + t) | 0;
          y = -Math.log(((t >>> 0) + 0.5) * 2.3283064365386963e-10);
        } while (y + y < xt * xt);
        x = hz > 0 ? ZIG_R + xt : -ZIG_R - xt;
        break;
      }
      t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      if (ZIG_FN[iz] + ((t >>> 0) + 0.5) * 2.3283064365386963e-10 * (ZIG_FN[iz - 1] - ZIG_FN[iz]) < Math.exp(-0.5 * x * x)) break;
    }
    out[i] = x;
  }
  st[0] = a;
  st[1] = b;
  st[2] = c;
  st[3] = d;
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
