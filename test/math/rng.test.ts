/** The inlined normal stream gives the same draws as createRng, in the same order. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, fillNormal, normalStream } from '../../src/math/rng.js';

describe('fillNormal', () => {
  it('equals createRng(seed).normal(), draw by draw, however the stream is cut into calls (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2e9, max: 2e9 }), fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 5 }), (seed, cuts) => {
        const total = cuts.reduce((a, b) => a + b, 0);
        const out = new Float64Array(total);
        const s = normalStream(seed);
        let at = 0;
        for (const c of cuts) {
          fillNormal(s, out, at, at + c);
          at += c;
        }
        const r = createRng(seed);
        for (let i = 0; i < total; i++) expect(out[i]).toBe(r.normal());
      }),
      { numRuns: 100 },
    );
  });

  it('reaches the tails (the Ziggurat base layer) exactly as createRng does', () => {
    const n = 2_000_000;
    const out = new Float64Array(n);
    fillNormal(normalStream(11), out);
    const r = createRng(11);
    let tails = 0;
    let same = true;
    for (let i = 0; i < n; i++) {
      if (Math.abs(out[i]) > 3.442619855899) tails++;
      if (out[i] !== r.normal()) same = false;
    }
    expect(same).toBe(true);
    // P(|Z| > R) = 5.76e-4: about 1150 of 2 million
    expect(tails).toBeGreaterThan(1000);
    expect(tails).toBeLessThan(1300);
  });

  it('refuses a seed that is not a finite number', () => {
    expect(() => normalStream(Number.NaN)).toThrow(RangeError);
  });
});
