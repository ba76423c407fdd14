/**
 * CRPS: hand calculations, the closed forms against SciPy's numerical
 * integration of the definition (test/golden/crps.json, made by
 * test/golden/crps-golden.py), the forms against each other (a large
 * sample and a quantile grid against the closed form), and properties with
 * fast-check (non-negative, zero only for a point mass at y, proper,
 * translation invariant, scale equivariant).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { crpsForm, crpsLogNormal, crpsNormal, crpsOf, crpsQuantiles, crpsSample, crpsStudentT, midpointLevels } from '../../src/evaluate/crps.js';
import { qnorm } from '../../src/math/normal.js';
import { createRng } from '../../src/math/rng.js';
import type { Distribution } from '../../src/models/types.js';

const SQRT_PI = Math.sqrt(Math.PI);

describe('CRPS by hand', () => {
  it('normal: N(0, 1) at 0 is (√2 - 1)/√π; at y the general form; scale-equivariant', () => {
    expect(crpsNormal(0, 0, 1)).toBeCloseTo((Math.SQRT2 - 1) / SQRT_PI, 15);
    expect(crpsNormal(0, 0, 1)).toBeCloseTo(0.2336949772551, 12);
    // z (2Φ(z) - 1) + 2φ(z) - 1/√π at z = 1, Φ(1) = 0.8413447460685429
    const at1 = 1 * (2 * 0.8413447460685429 - 1) + 2 * Math.exp(-0.5) / Math.sqrt(2 * Math.PI) - 1 / SQRT_PI;
    expect(crpsNormal(1, 0, 1)).toBeCloseTo(at1, 14);
    expect(crpsNormal(110, 100, 10)).toBeCloseTo(10 * at1, 12);
    expect(crpsNormal(90, 100, 10)).toBeCloseTo(10 * at1, 12);
  });
  it('point mass: the absolute error, as a normal with sd 0, a one-value sample and crpsOf', () => {
    expect(crpsNormal(7, 3, 0)).toBe(4);
    expect(crpsSample(1, [4])).toBe(3);
    expect(crpsOf(1200, { type: 'point', value: 1150 })).toBe(50);
    expect(crpsOf(3, { type: 'point', value: -2 }, { lower: 0 })).toBe(3);
    expect(crpsStudentT(2, 5, 0, 4)).toBe(3);
    expect(crpsLogNormal(2, 0, 0)).toBe(1);
  });
  it('two-point sample: mean|X - y| - ½ mean|X - X\u2032| by hand', () => {
    // X in {0, 2}: mean|X - 0.5| = (0.5 + 1.5)/2 = 1; pairs |0-0|,|0-2|,|2-0|,|2-2| average 1; 1 - 0.5 = 0.5
    expect(crpsSample(0.5, [0, 2])).toBe(0.5);
    // y outside: mean|X - 3| = 2, ½ mean|X - X'| = 0.5
    expect(crpsSample(3, [2, 0])).toBe(1.5);
    // three points {1, 2, 6} at y = 2: mean|X - y| = 5/3; pair sum 2(1 + 5 + 4) = 20 over 9, halved: 10/9
    expect(crpsSample(2, [6, 1, 2])).toBeCloseTo(5 / 3 - 10 / 9, 15);
  });
  it('quantiles: 2 × mean pinball loss by hand; on midpoint levels equal to the sample score', () => {
    // levels 0.25, 0.75 at quantiles 0, 2, y = 0.5: pinball (0.5)(0.25) and (1.5)(0.25): 2 × mean = 0.5
    expect(crpsQuantiles(0.5, [0.25, 0.75], [0, 2])).toBe(0.5);
    expect(midpointLevels(4)).toEqual([0.125, 0.375, 0.625, 0.875]);
    const xs = [3, -1, 4, 1, 5, 9, 2, 6];
    const sorted = [...xs].sort((a, b) => a - b);
    for (const y of [-3, 0, 2.5, 4, 12]) expect(crpsQuantiles(y, midpointLevels(8), sorted)).toBeCloseTo(crpsSample(y, xs), 13);
  });
  it('Student t: df 1 has no mean (infinite); large df is the normal', () => {
    expect(crpsStudentT(0, 0, 1, 1)).toBe(Infinity);
    expect(crpsStudentT(0.3, 0, 1, 0.5)).toBe(Infinity);
    expect(crpsStudentT(1.3, 2, 3, 1e9)).toBeCloseTo(crpsNormal(1.3, 2, 3), 12);
    expect(crpsStudentT(1.3, 2, 3, 1e5)).toBeCloseTo(crpsNormal(1.3, 2, 3), 4);
    expect(crpsStudentT(0, 0, 1, 5)).toBeGreaterThan(crpsNormal(0, 0, 1));
  });
  it('log-normal: close to the normal of the same spread when the spread is small', () => {
    expect(crpsLogNormal(100, Math.log(100), 0.01)).toBeCloseTo(crpsNormal(100, 100, 1), 2);
    // y <= 0 is below the whole distribution: E X - y - ½ E|X - X'| with E|X - X'| = 2 e^{μ+σ²/2}(2Φ(σ/√2) - 1)
    const m = Math.exp(2 + 0.125);
    expect(crpsLogNormal(-1, 2, 0.5)).toBeCloseTo(m + 1 - m * (2 * 0.6381631950841185 - 1), 10); // Φ(0.5/√2) = 0.63816
  });
  it('censoring below: the part of the normal under 0 moved to 0, by hand at y = mean = lower', () => {
    // N(0, 1) censored at 0, y = 0: ∫_0^∞ (Φ - 1)² = ∫_{-∞}^0 Φ² = 2Φ(0)φ(0) - Φ(0)/√π = φ(0) - 1/(2√π)
    const hand = 1 / Math.sqrt(2 * Math.PI) - 1 / (2 * SQRT_PI);
    expect(crpsOf(0, { type: 'normal', mean: 0, sd: 1 }, { lower: 0 })).toBeCloseTo(hand, 15);
    expect(crpsOf(0, { type: 'normal', mean: 0, sd: 1 }, { lower: 0 })).toBeCloseTo(crpsNormal(0, 0, 1) / 2, 15);
    // censoring far below the distribution changes nothing
    expect(crpsOf(95, { type: 'normal', mean: 100, sd: 5 }, { lower: 0 })).toBe(crpsNormal(95, 100, 5));
    // a sample: values below 0 become 0
    expect(crpsOf(0, { type: 'sample', values: [-2, 2] }, { lower: 0 })).toBe(crpsSample(0, [0, 2]));
  });
});

describe('CRPS against SciPy (numerical integration of the definition)', () => {
  const golden = JSON.parse(readFileSync(new URL('../golden/crps.json', import.meta.url), 'utf8')) as {
    cases: { kind: string; mean?: number; sd?: number; scale?: number; df?: number; meanlog?: number; sdlog?: number; y: number; lower: number | null; crps: number }[];
  };
  it('has the cases', () => expect(golden.cases.length).toBe(34));
  for (const c of golden.cases) {
    const dist: Distribution =
      c.kind === 'normal'
        ? { type: 'normal', mean: c.mean as number, sd: c.sd as number }
        : c.kind === 'studentT'
          ? { type: 'studentT', mean: c.mean as number, scale: c.scale as number, df: c.df as number }
          : { type: 'exp', of: { type: 'normal', mean: c.meanlog as number, sd: c.sdlog as number } };
    it(`${c.kind} ${JSON.stringify({ ...c, kind: undefined, crps: undefined })}`, () => {
      const v = crpsOf(c.y, dist, c.lower === null ? {} : { lower: c.lower });
      expect(Math.abs(v - c.crps)).toBeLessThan(1e-9 * Math.max(1, c.crps));
      if (c.lower === null) {
        const direct =
          dist.type === 'normal' ? crpsNormal(c.y, dist.mean, dist.sd) : dist.type === 'studentT' ? crpsStudentT(c.y, dist.mean, dist.scale, dist.df) : crpsLogNormal(c.y, c.meanlog as number, c.sdlog as number);
        expect(direct).toBe(v);
      }
    });
  }
});

describe('CRPS forms against each other', () => {
  it('200,000 normal draws score as the closed form (exact score of the sample)', () => {
    const rng = createRng(12);
    const xs = Float64Array.from({ length: 200_000 }, () => 100 + 10 * rng.normal());
    for (const y of [100, 87, 125]) {
      const exact = crpsNormal(y, 100, 10);
      expect(Math.abs(crpsSample(y, xs) - exact) / exact).toBeLessThan(0.01);
    }
  });
  it('the 100 midpoint quantiles of a normal are within 0.06% of the closed form, the 99 levels 1..99% within 1.1%', () => {
    const mid = midpointLevels(100);
    const pct = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
    let worstMid = 0;
    let worstPct = 0;
    for (let y = -3; y <= 3.0001; y += 0.05) {
      const exact = crpsNormal(y, 0, 1);
      worstMid = Math.max(worstMid, Math.abs(crpsQuantiles(y, mid, mid.map(qnorm)) / exact - 1));
      worstPct = Math.max(worstPct, Math.abs(crpsQuantiles(y, pct, pct.map(qnorm)) / exact - 1));
    }
    expect(worstMid).toBeLessThan(0.0006);
    expect(worstPct).toBeLessThan(0.011);
    expect(worstPct).toBeGreaterThan(0.005); // the coarse grid is measurably worse: this is why carecast uses midpoints
  });
  it('a Student t with df <= 1 and the exp of a Student t are scored on their quantile grid (finite)', () => {
    const cauchy: Distribution = { type: 'studentT', mean: 10, scale: 2, df: 1 };
    expect(crpsForm(cauchy)).toBe('grid');
    const mid = midpointLevels(100);
    const byGrid = crpsOf(11, cauchy);
    expect(Number.isFinite(byGrid)).toBe(true);
    expect(byGrid).toBeCloseTo(crpsQuantiles(11, mid, mid.map((p) => 10 + 2 * Math.tan(Math.PI * (p - 0.5)))), 9);
    const logT: Distribution = { type: 'exp', of: { type: 'studentT', mean: Math.log(500), scale: 0.05, df: 6 } };
    expect(crpsForm(logT)).toBe('grid');
    // with a narrow spread the log-t is close to the log-normal... and its grid score close to the exact log-normal's
    const ln = crpsLogNormal(520, Math.log(500), 0.05 * Math.sqrt(6 / 4));
    expect(Math.abs(crpsOf(520, logT) - ln) / ln).toBeLessThan(0.05);
    expect(crpsForm({ type: 'exp', of: { type: 'normal', mean: 0, sd: 1 } })).toBe('exact');
    expect(crpsForm({ type: 'studentT', mean: 0, scale: 1, df: 3 })).toBe('exact');
  });
  it('exp of a sample or point is scored on the exponentiated values', () => {
    expect(crpsOf(2, { type: 'exp', of: { type: 'sample', values: [0, Math.log(4)] } })).toBeCloseTo(crpsSample(2, [1, 4]), 14);
    expect(crpsOf(2, { type: 'exp', of: { type: 'point', value: Math.log(5) } })).toBeCloseTo(3, 14);
  });
});

describe('CRPS properties (fast-check)', () => {
  const value = fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true });
  const sample = fc.array(value, { minLength: 1, maxLength: 30 });
  it('is >= 0, and 0 only for a point mass at y', () => {
    fc.assert(
      fc.property(value, sample, fc.double({ min: 0, max: 100, noNaN: true }), (y, xs, sd) => {
        expect(crpsSample(y, xs)).toBeGreaterThanOrEqual(0);
        expect(crpsNormal(y, xs[0], sd)).toBeGreaterThanOrEqual(0);
        const pointAtY = xs.every((x) => x === y);
        if (!pointAtY) expect(crpsSample(y, xs)).toBeGreaterThan(0);
        expect(crpsSample(y, xs.map(() => y))).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
  it('is proper: with y drawn from a sample S, no forecast sample has a lower expected score than S itself', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 12 }), (truth, other) => {
        const expected = (forecast: readonly number[]): number => truth.reduce((s, y) => s + crpsSample(y, forecast), 0) / truth.length;
        expect(expected(other)).toBeGreaterThanOrEqual(expected(truth) - 1e-9);
      }),
      { numRuns: 300 },
    );
  });
  it('is proper for normals: the expected score under N(0, 1) is lowest at N(0, 1) (quadrature over y)', () => {
    // E over Y ~ N(0,1) by the midpoint rule on 2000 quantiles of Y
    const ys = midpointLevels(2000).map(qnorm);
    const expected = (m: number, s: number): number => ys.reduce((a, y) => a + crpsNormal(y, m, s), 0) / ys.length;
    const truth = expected(0, 1);
    expect(truth).toBeCloseTo(1 / SQRT_PI, 3); // E CRPS of the true normal = σ/√π
    fc.assert(
      fc.property(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: 0.2, max: 3, noNaN: true }), (m, s) => {
        expect(expected(m, s)).toBeGreaterThanOrEqual(truth - 1e-12);
      }),
      { numRuns: 100 },
    );
  });
  it('sample CRPS is translation invariant and scale equivariant', () => {
    fc.assert(
      fc.property(value, sample, fc.double({ min: -500, max: 500, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), (y, xs, c, k) => {
        const base = crpsSample(y, xs);
        const tol = 1e-9 * (1 + Math.abs(y) + Math.max(...xs.map(Math.abs)) + Math.abs(c));
        expect(Math.abs(crpsSample(y + c, xs.map((x) => x + c)) - base)).toBeLessThan(tol * 10);
        expect(Math.abs(crpsSample(k * y, xs.map((x) => k * x)) - k * base)).toBeLessThan(tol * 10 * k);
      }),
      { numRuns: 300 },
    );
  });
  it('censoring below never raises the score of a value at or above the bound', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: -10, max: 30, noNaN: true }), fc.double({ min: 0.1, max: 20, noNaN: true }), fc.integer({ min: 2, max: 30 }), (y, m, s, df) => {
        const n: Distribution = { type: 'normal', mean: m, sd: s };
        const t: Distribution = { type: 'studentT', mean: m, scale: s, df };
        expect(crpsOf(y, n, { lower: 0 })).toBeLessThanOrEqual(crpsOf(y, n) + 1e-12);
        expect(crpsOf(y, t, { lower: 0 })).toBeLessThanOrEqual(crpsOf(y, t) + 1e-9);
      }),
      { numRuns: 200 },
    );
  });
});

describe('CRPS input errors', () => {
  it('names the bad argument', () => {
    const cases: [string, () => unknown][] = [
      ['y', () => crpsNormal(NaN, 0, 1)],
      ['sd', () => crpsNormal(0, 0, -1)],
      ['df', () => crpsStudentT(0, 0, 1, 0)],
      ['sample', () => crpsSample(0, [])],
      ['sample', () => crpsSample(0, [1, Infinity])],
      ['qs', () => crpsQuantiles(0, [0.25, 0.75], [1])],
      ['taus', () => crpsQuantiles(0, [0.75, 0.25], [1, 2])],
      ['taus', () => crpsQuantiles(0, [0, 0.5], [1, 2])],
      ['qs', () => crpsQuantiles(0, [0.25, 0.75], [2, 1])],
      ['k', () => midpointLevels(0)],
      ['lower', () => crpsOf(0, { type: 'point', value: 1 }, { lower: NaN })],
    ];
    for (const [field, f] of cases) {
      try {
        f();
        expect.unreachable(`${field} should throw`);
      } catch (e) {
        expect(e).toBeInstanceOf(CarecastInputError);
        expect((e as CarecastInputError).problems[0].field).toBe(field);
      }
    }
  });
});
