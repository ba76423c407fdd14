/**
 * A probe of the engine's `Math` functions, for comparing two JavaScript
 * engines bit for bit (benchmarks/engine-math.ts, test/e2e/browser.test.ts):
 * each function on `n` arguments from a fixed generator (no `Math.random`),
 * every argument and result as the hex of its 64 bits. Self-contained (no
 * imports, no closure), so that its source can be sent to a page and run
 * there as it runs in Node: `(${mathProbe})(n)` (with a `__name` that
 * does nothing when the source was compiled by tsx or vitest, which name
 * functions through that helper).
 *
 * @module
 */

/** The probe's result: per function, the arguments and results as 16 hex digits (the IEEE 754 bits). */
export type MathProbe = Record<string, { readonly args: readonly string[]; readonly results: readonly string[] }>;

/**
 * Run the `Math` functions carecast uses (and their kin) on `n` fixed
 * arguments each, in this engine.
 *
 * @param n - arguments per function
 * @returns per function, the arguments and results as bits
 * @example
 * ```ts
 * const here = mathProbe(1000);
 * const there = await page.evaluate(`((__name) => (${mathProbe.toString()})(1000))((f) => f)`);
 * ```
 */
export function mathProbe(n: number): MathProbe {
  let state = 123456789;
  const uniform = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const f = new Float64Array(1);
  const w = new Uint32Array(f.buffer);
  const hex = (x: number): string => {
    f[0] = x;
    return w[1].toString(16).padStart(8, '0') + w[0].toString(16).padStart(8, '0');
  };
  // each function with the range its arguments are drawn from (pow: base, then exponent)
  const fns: Record<string, { fn: (x: number, y: number) => number; lo: number; hi: number }> = {
    exp: { fn: (x) => Math.exp(x), lo: -20, hi: 20 },
    log: { fn: (x) => Math.log(x), lo: 1e-3, hi: 1000 },
    pow: { fn: (x, y) => Math.pow(x, y), lo: 0, hi: 10 },
    sin: { fn: (x) => Math.sin(x), lo: -10, hi: 10 },
    cos: { fn: (x) => Math.cos(x), lo: -10, hi: 10 },
    tan: { fn: (x) => Math.tan(x), lo: -10, hi: 10 },
    atan: { fn: (x) => Math.atan(x), lo: -5, hi: 5 },
    log1p: { fn: (x) => Math.log1p(x), lo: 1e-3, hi: 1000 },
    expm1: { fn: (x) => Math.expm1(x), lo: -20, hi: 20 },
    cbrt: { fn: (x) => Math.cbrt(x), lo: 1e-3, hi: 1000 },
    sqrt: { fn: (x) => Math.sqrt(x), lo: 1e-3, hi: 1000 },
  };
  const out: Record<string, { args: string[]; results: string[] }> = {};
  for (const [name, { fn, lo, hi }] of Object.entries(fns)) {
    const args: string[] = [];
    const results: string[] = [];
    for (let i = 0; i < n; i++) {
      const x = lo + (hi - lo) * uniform();
      const y = (uniform() - 0.5) * 6;
      args.push(name === 'pow' ? `${hex(x)} ${hex(y)}` : hex(x));
      results.push(hex(fn(x, y)));
    }
    out[name] = { args, results };
  }
  return out;
}

/**
 * How far apart two results are in units in the last place: the number of
 * doubles between them (results of the same sign; `Infinity` otherwise).
 *
 * @param a - a result's bits (16 hex digits)
 * @param b - the other's
 * @returns the distance in ulps (0: the same bits)
 * @example
 * ```ts
 * ulpDistance('3e532aa9eb4fc02c', '3e532aa9eb4fc02b'); // 1
 * ```
 */
export function ulpDistance(a: string, b: string): number {
  const x = BigInt(`0x${a}`);
  const y = BigInt(`0x${b}`);
  const sign = 1n << 63n;
  if ((x & sign) !== (y & sign)) return x === y ? 0 : Infinity;
  const d = x > y ? x - y : y - x;
  return Number(d);
}
