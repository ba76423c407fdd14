/** Conformal calibration: the corrected quantile by hand, exchangeable coverage, pooled and per-series calibration, bands, projections and scoring. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { backtest, backtestPanel } from '../../src/evaluate/backtest.js';
import { createRng } from '../../src/math/rng.js';
import { fitMethod } from '../../src/models/registry.js';
import { forecast } from '../../src/project/forecast.js';
import { calibrateConformal, scoreConformal } from '../../src/evaluate/conformalBacktest.js';
import { crpsSample } from '../../src/evaluate/crps.js';
import { applyConformal } from '../../src/project/applyConformal.js';
import {
  calibrateConformalErrors,
  calibrateConformalSeries,
  conformalBands,
  conformalExtrapolation,
  conformalLevel,
  conformalOffsetQuantiles,
  conformalOffsets,
  CONFORMAL_GRID_SIZE,
  extrapolateOffsetQuantiles,
  historyScale,
  type ConformalCalibration,
} from '../../src/uncertainty/conformal.js';

const derbyshire = [719, 802, 861, 899, 909, 995, 1057];
const years = (ys: readonly number[], from = 2018) => ys.map((value, i) => ({ year: from + i, value }));

/** A small synthetic panel of random walks with drift, seeded. */
function panel(areas: number, n: number, seed: number): Map<string, { year: number; value: number }[]> {
  const rng = createRng(seed);
  const out = new Map<string, { year: number; value: number }[]>();
  for (let a = 0; a < areas; a++) {
    let v = 200 + 50 * a;
    const pts: { year: number; value: number }[] = [];
    for (let t = 0; t < n; t++) {
      v = Math.max(1, v + 5 + 15 * rng.normal());
      pts.push({ year: 2011 + t, value: Math.round(v) });
    }
    out.set(`LA${a}`, pts);
  }
  return out;
}

/** A hand-made calibration: one symmetric offset per step and level. */
function handCalibration(method: ConformalCalibration['method'], q: readonly (readonly [number, number])[]): ConformalCalibration {
  const steps = q.map(([a, b], i) => ({
    h: i + 1,
    n: 100,
    levels: [
      { level: 80, lower: -a, upper: a, finite: true, guaranteed: 80, needs: 4, rank: 81 },
      { level: 95, lower: -b, upper: b, finite: true, guaranteed: 95, needs: 19, rank: 96 },
    ],
    offsetQuantiles: [-b, -a, 0, a, b],
  }));
  return {
    kind: 'conformal',
    source: 'pooled',
    method,
    shape: 'symmetric',
    levels: [80, 95],
    steps,
    areas: 10,
    errors: 100 * q.length,
    extrapolation: conformalExtrapolation(steps),
    caveats: [],
  };
}

/** 40 errors per step whose |values| are all q(h): every symmetric quantile of step h is q(h). */
function growing(q: (h: number) => number, steps: number, n = 40): number[][] {
  return Array.from({ length: steps }, (_, i) => Array.from({ length: n }, (_, j) => (j % 2 === 0 ? 1 : -1) * q(i + 1)));
}

describe('conformalLevel: the finite-sample corrected quantile', () => {
  it('symmetric, by hand: the ceil((n + 1) level)-th smallest |error|', () => {
    const e = [0.5, -1, 2, -0.2];
    const l80 = conformalLevel(e, 80); // k = ceil(5 x 0.8) = 4 -> |2|
    expect(l80).toEqual({ level: 80, lower: -2, upper: 2, finite: true, guaranteed: 80, needs: 4, rank: 4 });
    const l50 = conformalLevel(e, 50); // k = ceil(2.5) = 3 -> sorted |e| = 0.2, 0.5, 1, 2 -> 1
    expect(l50.upper).toBe(1);
    expect(l50.rank).toBe(3);
    const l95 = conformalLevel(e, 95); // k = ceil(4.75) = 5 > 4: no finite quantile
    expect(l95.finite).toBe(false);
    expect(l95.upper).toBe(2);
    expect(l95.guaranteed).toBeCloseTo(80, 12); // n / (n + 1)
    expect(l95.needs).toBe(19);
  });

  it('95% needs 19 errors: 19 give the largest, 18 give none', () => {
    const e19 = Array.from({ length: 19 }, (_, i) => i + 1);
    expect(conformalLevel(e19, 95)).toMatchObject({ finite: true, upper: 19, rank: 19 });
    const e18 = e19.slice(0, 18);
    expect(conformalLevel(e18, 95)).toMatchObject({ finite: false, upper: 18 });
    // 39 errors: k = ceil(40 x 0.95) = 38
    expect(conformalLevel(Array.from({ length: 39 }, (_, i) => -(i + 1)), 95)).toMatchObject({ finite: true, upper: 38, lower: -38, rank: 38 });
  });

  it('asymmetric, by hand: the two ends from the signed errors (actual - forecast)', () => {
    // errors (forecast - actual) -5..4: actual - forecast = 5..-4, sorted -4..5
    const e = Array.from({ length: 10 }, (_, i) => i - 5);
    const a80 = conformalLevel(e, 80, 'asymmetric'); // tail 0.1: k_lo = floor(11 x 0.1) = 1, k_hi = 10
    expect(a80).toMatchObject({ lower: -4, upper: 5, finite: true, needs: 9, rank: 10 });
    const a50 = conformalLevel(e, 50, 'asymmetric'); // tail 0.25: k_lo = floor(2.75) = 2 -> -3; k_hi = 9 -> 4
    expect(a50).toMatchObject({ lower: -3, upper: 4 });
    const short = conformalLevel(e.slice(0, 8), 80, 'asymmetric'); // k_lo = floor(0.9) = 0
    expect(short.finite).toBe(false);
    expect(short.guaranteed).toBeCloseTo((100 * 7) / 9, 12);
    expect(conformalLevel(e, 95, 'asymmetric').needs).toBe(39);
  });

  it('no errors: no band; bad input throws', () => {
    expect(conformalLevel([], 80)).toMatchObject({ finite: false, guaranteed: 0 });
    expect(Number.isNaN(conformalLevel([], 80).upper)).toBe(true);
    expect(() => conformalLevel([1, NaN], 80)).toThrow(CarecastInputError);
    expect(() => conformalLevel([1], 100)).toThrow(CarecastInputError);
    expect(() => conformalLevel([1], 80, 'wide' as 'symmetric')).toThrow(/shape/);
  });

  it('holds its level on fresh exchangeable errors (at least the level, at most level + 1/(n + 1))', () => {
    const rng = createRng(3);
    for (const shape of ['symmetric', 'asymmetric'] as const) {
      for (const level of [80, 95]) {
        let covered = 0;
        let total = 0;
        // 200 calibration sets of 39 skewed errors, each checked on 200 fresh draws
        for (let rep = 0; rep < 200; rep++) {
          const draw = (): number => Math.exp(0.8 * rng.normal()) - 1;
          const cal = Array.from({ length: 39 }, draw);
          const l = conformalLevel(cal, level, shape);
          for (let i = 0; i < 200; i++) {
            const r = -draw(); // actual - forecast
            total++;
            if (r >= l.lower && r <= l.upper) covered++;
          }
        }
        const c = (100 * covered) / total;
        expect(c, `${shape} ${level}`).toBeGreaterThan(level - 1);
        expect(c, `${shape} ${level}`).toBeLessThan(level + 100 / 40 + 1.5);
      }
    }
  });
});

describe('calibrateConformal: pooled over a panel', () => {
  const p = panel(30, 10, 5);
  const bt = backtestPanel(p, { methods: ['naive', 'drift'], horizon: 3, origins: [2014, 2015, 2016, 2017, 2018, 2019] });

  it('takes every scored error of the method per step, and the quantile of them', () => {
    const cal = calibrateConformal(bt, { method: 'drift', levels: [80, 95] });
    expect(cal.kind).toBe('conformal');
    expect(cal.source).toBe('pooled');
    expect(cal.areas).toBe(30);
    const all = [...bt.byArea.values()].flatMap((r) => r.forecasts).filter((f) => f.method === 'drift' && f.actual !== null && f.scaledError !== null);
    for (const s of cal.steps) {
      const errs = all.filter((f) => f.h === s.h).map((f) => f.scaledError as number);
      expect(s.n).toBe(errs.length);
      expect(s.levels[1]).toEqual(conformalLevel(errs, 95));
    }
    // origins 2014-2019, last year 2020: h=1 6 per area, h=2 5, h=3 4
    expect(cal.steps.map((s) => s.n)).toEqual([180, 150, 120]);
    expect(cal.errors).toBe(450);
    expect(cal.caveats[0]).toMatch(/450 rolling-origin errors of drift pooled over 30 areas \(180 at h=1, 150 at h=2, 120 at h=3\)/);
  });

  it('include filters the forecasts (e.g. only what was known by a year)', () => {
    const cal = calibrateConformal(bt, { method: 'naive', include: (f) => f.target <= 2016 });
    const out = calibrateConformal(bt, { method: 'naive', include: (_f, area) => area !== 'LA3' });
    expect(out.areas).toBe(29);
    expect(out.steps[0].n).toBe(174);
    // targets <= 2016: origin 2014 h1, h2; origin 2015 h1
    expect(cal.steps.map((s) => s.n)).toEqual([60, 30, 0]);
    // only step 1 has the 39 errors a calibrated step needs
    expect(cal.extrapolation).toMatchObject({ calibratedSteps: 1, minErrors: 39, fallback: false });
    expect(cal.caveats.join(' ')).toMatch(/Step 1 is calibrated on its own errors \(at least 39\) \(steps 2-3 have fewer errors and are extrapolated too\)/);
  });

  it('rejects a method that was not backtested, and bad levels', () => {
    expect(() => calibrateConformal(bt, { method: 'linear' })).toThrow(/not in the backtest/);
    expect(() => calibrateConformal(bt, { method: 'naive', levels: [0] })).toThrow(CarecastInputError);
  });

  it('a one-series backtest gives a per-series calibration, and says which levels it cannot reach', () => {
    const one = backtest(years(derbyshire), { methods: ['naive'], horizon: 2 });
    const cal = calibrateConformal(one, { method: 'naive' });
    expect(cal.source).toBe('series');
    expect(cal.steps[1].levels[1].finite).toBe(false);
    expect(cal.caveats.join(' ')).toMatch(/95% conformal band needs at least 19 errors per step/);
  });
});

describe('calibrateConformalSeries: one series, its own rolling origins', () => {
  it('drift on Derbyshire, by hand', () => {
    const cal = calibrateConformalSeries(derbyshire, { method: 'drift', levels: [80] });
    // training lengths 3..6: h=1 from 4 origins, h=2 from 3, h=3 from 2
    expect(cal.steps.map((s) => s.n)).toEqual([4, 3, 2]);
    // origin k = 3: 861 + (861 - 719)/2 = 932 for 899; scale (83 + 59)/2 = 71
    const errs: number[] = [];
    for (let k = 3; k < 7; k++) {
      const train = derbyshire.slice(0, k);
      const f = fitMethod('drift', train).forecast(1).point[0];
      let s = 0;
      for (let i = 1; i < k; i++) s += Math.abs(train[i] - train[i - 1]);
      errs.push((f - derbyshire[k]) / (s / (k - 1)));
    }
    expect(errs[0]).toBeCloseTo(33 / 71, 12);
    expect(cal.steps[0].levels[0]).toEqual(conformalLevel(errs, 80));
    expect(cal.steps[0].levels[0].finite).toBe(true); // 4 errors: exactly enough for 80%
    expect(cal.steps[1].levels[0].finite).toBe(false);
  });

  it('auto chooses at every origin; filled values are trained on but not scored', () => {
    const unscored = derbyshire.map((_, i) => i === 5);
    const a = calibrateConformalSeries(derbyshire, { method: 'auto', unscored, maxStep: 1 });
    const b = calibrateConformalSeries(derbyshire, { method: 'auto', maxStep: 1 });
    expect(b.steps[0].n - a.steps[0].n).toBe(1);
  });

  it('throws when no origin is left, or for bad arguments', () => {
    expect(() => calibrateConformalSeries([1, 2, 3], { method: 'drift' })).toThrow(/no forecast origin/);
    expect(() => calibrateConformalSeries(derbyshire, { method: 'drift', unscored: [true] })).toThrow(/flags/);
    expect(() => calibrateConformalSeries(derbyshire, { method: 'nope' as 'drift' })).toThrow(/unknown method/);
    expect(() => calibrateConformalSeries(derbyshire, { method: 'drift', maxStep: 0 })).toThrow(/maxStep/);
  });
});

describe('conformalBands and applyConformal', () => {
  const cal = handCalibration('naive', [
    [1, 2],
    [2, 3],
  ]);

  it('point +/- offset x scale, later steps widened by the power law fitted on the calibrated steps', () => {
    const b = conformalBands([100, 100, 100, 100], 10, cal);
    // 80%: q = 1, 2 at steps 1, 2: slope log 2 / log 2 = 1, so q_h = 2 (h/2)
    expect(b.intervals[0]).toEqual({ level: 80, lower: [90, 80, 70, 60], upper: [110, 120, 130, 140] });
    // 95%: q = 2, 3: k = log 1.5 / log 2 = 0.585, so q_3 = 3 x 1.5^0.585, q_4 = 3 x 2^0.585 = 4.5
    const k95 = Math.log(1.5) / Math.log(2);
    expect(b.intervals[1].lower).toEqual([80, 70, 100 - 30 * 1.5 ** k95, 100 - 30 * 2 ** k95].map((v) => expect.closeTo(v, 10)));
    expect(b.intervals[1].lower[3]).toBeCloseTo(55, 10);
    expect(b.steps.map((s) => [s.h, s.from, s.extrapolated])).toEqual([
      [1, 1, false],
      [2, 2, false],
      [3, 2, true],
      [4, 2, true],
    ]);
    expect(b.steps[2].exponents?.map((e) => e.upper)).toEqual([expect.closeTo(1, 12), expect.closeTo(k95, 12)]);
    expect(b.steps[0].exponents).toBeUndefined();
    expect(b.caveats.join(' ')).toMatch(/Beyond 2 years ahead \(2 of 4 projected years\) the band is the 2-year band widened as \(h\/2\)\^k, k = 1\.00 at 80%, 0\.58 at 95%/);
    // the predictive distribution: point + scale x the step's offset quantiles; beyond step 2, step 2's
    // [-3, -2, 0, 2, 3] x (h/2)^k. The five values stand for p = 0.1, 0.3, 0.5, 0.7, 0.9, central coverage
    // 80, 40, 0, 40, 80%: all at or inside the lowest level (80%), so all take k(80%) = 1: x 1.5 and x 2
    expect(b.distributions).toEqual([
      { type: 'sample', values: [80, 90, 100, 110, 120] },
      { type: 'sample', values: [70, 80, 100, 120, 130] },
      { type: 'sample', values: [55, 70, 100, 130, 145] },
      { type: 'sample', values: [40, 60, 100, 140, 160] },
    ]);
    expect(() => conformalBands([100], 10, cal, { levels: [90] })).toThrow(/not calibrated/);
    expect(() => conformalBands([100], -1, cal)).toThrow(/scale/);
  });

  it('applyConformal replaces the intervals of a projection and says what they rest on', () => {
    const p = forecast(years(derbyshire), { horizon: 3, method: 'naive' });
    const q = applyConformal(p, cal);
    const scale = historyScale(p);
    expect(scale).toBeCloseTo((1057 - 719) / 6, 12);
    expect(q.intervalMethod).toBe('conformal');
    expect(q.point).toEqual(p.point);
    expect(q.intervals[0].upper[0]).toBeCloseTo(1057 + scale, 9);
    expect(q.intervals[1].lower[2]).toBeCloseTo(1057 - 3 * 1.5 ** (Math.log(1.5) / Math.log(2)) * scale, 9);
    expect(q.intervalBasis).toMatchObject({ method: 'conformal', points: 7, calibration: 'pooled', errors: [100, 100, 100], calibratedSteps: 2, extrapolated: [false, false, true] });
    expect(q.summary).toBe('Naive (last value), as asked; 80% and 95% bands: pooled conformal, calibrated on 200 errors of 10 areas at steps 1-2, later years extrapolated (k = 1 at 80%, 0.58 at 95%).');
    expect(q.caveats.join(' ')).toMatch(/pooled over 10 areas/);
    expect(q.caveats.join(' ')).not.toMatch(/analytic bands tend to be too narrow/);
    // the distributions are the bands' (the calibration's errors around the point), not the model's
    expect(p.distributions[0].type).toBe('normal');
    expect(q.distributions[0]).toEqual({ type: 'sample', values: [-2, -1, 0, 1, 2].map((k) => 1057 + k * scale) });
    expect(() => applyConformal(forecast(years(derbyshire), { horizon: 3, method: 'drift' }), cal)).toThrow(/calibration is for naive/);
  });

  it('scoreConformal counts the actual values inside the calibrated bands', () => {
    const one = backtest(years(derbyshire), { methods: ['naive'], horizon: 1, origins: [2021, 2022, 2023] });
    const s = scoreConformal(one.forecasts, handCalibration('naive', [[0.5, 2]]));
    // naive errors: 899 - 909 = -10 (scale 60.67), 909 - 995 = -86 (scale 47.5), 995 - 1057 = -62 (scale 57)
    expect(s.n).toBe(3);
    expect(s.levels[0]).toMatchObject({ level: 80, n: 3, covered: 1 });
    expect(s.levels[1]).toMatchObject({ level: 95, n: 3, covered: 3 });
    expect(s.byStep.map((x) => x.h)).toEqual([1]);
    // CRPS of point + scale x the offsets -2, -0.5, 0, 0.5, 2 (the hand calibration's), scaled
    const scales = [(899 - 719) / 3, (909 - 719) / 4, (995 - 719) / 5];
    const cases: [number, number][] = [
      [899, 909],
      [909, 995],
      [995, 1057],
    ];
    const byHand = cases.map(([point, y], i) => crpsSample(y, [-2, -0.5, 0, 0.5, 2].map((q) => point + q * scales[i])) / scales[i]);
    expect(s.scaledCrpsN).toBe(3);
    expect(s.scaledCrps).toBeCloseTo((byHand[0] + byHand[1] + byHand[2]) / 3, 12);
    expect(s.byStep[0].scaledCrps).toBe(s.scaledCrps);
  });

  it('pooled calibration on a panel, applied to a later forecast of each area, covers about its level', () => {
    const p = panel(60, 12, 9);
    const bt = backtestPanel(p, { methods: ['drift'], horizon: 1, origins: [2014, 2015, 2016, 2017, 2018, 2019, 2020] });
    const cal = calibrateConformal(bt, { method: 'drift', levels: [80, 95], include: (f) => f.target <= 2020 });
    // scored on forecasts made at 2020 and 2021 (targets 2021, 2022), none of them calibrated on
    const held = backtestPanel(p, { methods: ['drift'], horizon: 1, origins: [2020, 2021] });
    const s = scoreConformal([...held.byArea.values()].flatMap((r) => r.forecasts), cal);
    expect(s.n).toBe(120);
    expect(s.levels[0].coverage).toBeGreaterThan(0.65);
    expect(s.levels[1].coverage).toBeGreaterThan(0.85);
  });
});

describe('calibrateConformalErrors: the kernel, from errors gathered any way', () => {
  it('calibrates each step as conformalLevel does, and extends it by the power law', () => {
    const cal = calibrateConformalErrors([[0.5, -1, 2, -0.2], [1.5, -2.5, 3]], { method: 'naive', levels: [80], areas: 2 });
    // step 1: n = 4, k = ceil(5 x 0.8) = 4, the 4th smallest |error| of 0.2, 0.5, 1, 2
    expect(cal.steps[0].levels[0]).toMatchObject({ level: 80, lower: -2, upper: 2, finite: true, rank: 4 });
    // step 2: n = 3 < 4 needed: the widest error, guaranteeing 3/4
    expect(cal.steps[1].levels[0]).toMatchObject({ lower: -3, upper: 3, finite: false, guaranteed: 75, needs: 4 });
    expect(cal).toMatchObject({ kind: 'conformal', source: 'pooled', method: 'naive', shape: 'symmetric', areas: 2, errors: 7 });
    expect(cal.caveats.join(' ')).toMatch(/h=2 has 3/);
    // no step has 39 errors: the steps with errors are used, and the caveats say so
    expect(cal.extrapolation).toMatchObject({ calibratedSteps: 2, minErrors: 39, fallback: true });
    expect(cal.caveats.join(' ')).toMatch(/No step has the 39 errors a calibrated step needs \(step 1 has 4\)/);
    // q = 2, 3 at steps 1, 2: k = log 1.5 / log 2; step 3 = 3 x (3/2)^k
    const k = Math.log(1.5) / Math.log(2);
    const o = conformalOffsets(cal, 3);
    expect(o).toMatchObject({ h: 3, from: cal.steps[1], extrapolated: true });
    expect(o?.levels[0].upper).toBeCloseTo(3 * 1.5 ** k, 12);
    expect(o?.levels[0].lower).toBeCloseTo(-3 * 1.5 ** k, 12);
    expect(conformalOffsets(cal, 2)).toEqual({ h: 2, from: cal.steps[1], extrapolated: false, levels: cal.steps[1].levels, offsetQuantiles: cal.steps[1].offsetQuantiles });
    // the offset distribution beyond H: step 2's offsets -3, -1.5, 2.5 stand for p = 1/6, 1/2, 5/6 (central
    // coverage 67%, 0, 67%), all inside the one level (80%), so each is multiplied by (3/2)^k with its k
    expect(o?.offsetQuantiles).toEqual([-3, -1.5, 2.5].map((v) => expect.closeTo(v * 1.5 ** k, 12)));
    expect(conformalOffsets(calibrateConformalErrors([[]], { method: 'naive' }), 1)).toBeNull();
    // each step keeps its signed offsets (actual - point = -error), ascending
    expect(cal.steps.map((x) => x.offsetQuantiles)).toEqual([
      [-2, -0.5, 0.2, 1],
      [-3, -1.5, 2.5],
    ]);
  });

  it('widens a step\'s offset distribution beyond H by the bands\' k of its side and central coverage', () => {
    const k = [
      { level: 80, lower: 0.5, upper: 1, fittedLower: 0.5, fittedUpper: 1 },
      { level: 95, lower: 1, upper: 2, fittedLower: 1, fittedUpper: 2 },
    ];
    // ten offsets: p = 0.05, 0.15, ..., 0.95, central coverage 90, 70, 50, 30, 10, 10, ..., 90%. At 90%, two
    // thirds of the way from 80% to 95%: k = 0.5 + (2/3)(1 - 0.5) = 5/6 below, 1 + (2/3)(2 - 1) = 5/3 above;
    // inside 80%, k(80%): 0.5 below (x 4^0.5 = 2), 1 above (x 4). r = 4.
    const out = extrapolateOffsetQuantiles([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5], k, 4);
    expect(out).toEqual([-5 * 4 ** (5 / 6), -8, -6, -4, -2, 4, 8, 12, 16, 5 * 4 ** (5 / 3)].map((v) => expect.closeTo(v, 12)));
    // beyond the highest level (p = 0.01: 98%) the highest level's k; an odd count's middle value takes the mean of the two sides
    const fifty = Array.from({ length: 50 }, (_, i) => i - 24.5);
    expect(extrapolateOffsetQuantiles(fifty, k, 4)[49]).toBeCloseTo(24.5 * 4 ** 2, 10);
    expect(extrapolateOffsetQuantiles([-1, 0.5, 1], [k[0]], 4)).toEqual([-2, expect.closeTo(0.5 * 4 ** 0.75, 12), 4]);
    // a method that runs high (every offset negative): the upper side's larger k moves its values further down, then they are re-sorted
    expect(extrapolateOffsetQuantiles([-10, -9, -8, -7.9], [k[0]], 4)).toEqual([-32, -31.6, -20, -18]);
    // one k for both sides and every level: every offset times r^k
    fc.assert(
      fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { maxLength: 30 }), fc.double({ min: 0.5, max: 2, noNaN: true }), fc.double({ min: 1, max: 5, noNaN: true }), (xs, kk, r) => {
        const sorted = [...xs].sort((a, b) => a - b);
        const e = [{ level: 80, lower: kk, upper: kk, fittedLower: kk, fittedUpper: kk }];
        const got = extrapolateOffsetQuantiles(sorted, e, r);
        got.forEach((v, i) => expect(v).toBeCloseTo(sorted[i] * r ** kk, 9));
      }),
    );
  });

  it('keeps at most 100 offsets per step: beyond that, their quantiles at the midpoint levels', () => {
    expect(CONFORMAL_GRID_SIZE).toBe(100);
    expect(conformalOffsetQuantiles([0.5, -1, 2, -0.2])).toEqual([-2, -0.5, 0.2, 1]);
    // type 7 at 0.25 and 0.75 of -2, -0.5, 0.2, 1: -2 + 0.75 x 1.5, 0.2 + 0.25 x 0.8
    expect(conformalOffsetQuantiles([0.5, -1, 2, -0.2], 2)).toEqual([-0.875, expect.closeTo(0.4, 15)]);
    const many = Array.from({ length: 1000 }, (_, i) => (i - 499.5) / 100); // -4.995 .. 4.995
    const q = conformalOffsetQuantiles(many);
    expect(q).toHaveLength(100);
    // type 7 at 0.005 of the offsets -4.995, -4.985, ..., 4.995: position 999 x 0.005 = 4.995, so -4.995 + 4.995 x 0.01
    expect(q[0]).toBeCloseTo(-4.94505, 10);
    expect(q[99]).toBeCloseTo(4.94505, 10);
    expect(calibrateConformalErrors([many], { method: 'naive' }).steps[0].offsetQuantiles).toEqual(q);
    expect(conformalOffsetQuantiles([])).toEqual([]);
    expect(() => conformalOffsetQuantiles([1, NaN])).toThrow(/not a finite number/);
    expect(() => conformalOffsetQuantiles([1], 0)).toThrow(/size/);
  });

  it('quantiles growing exactly as h^0.7 give k = 0.7, and extrapolate exactly', () => {
    const cal = calibrateConformalErrors(growing((h) => 1.3 * h ** 0.7, 8), { method: 'naive', levels: [50, 80, 95] });
    expect(cal.extrapolation.calibratedSteps).toBe(8);
    for (const e of cal.extrapolation.exponents) {
      expect(e.fittedUpper).toBeCloseTo(0.7, 12);
      expect(e.upper).toBeCloseTo(0.7, 12);
      expect(e.lower).toBeCloseTo(0.7, 12);
    }
    for (const h of [9, 12, 20]) {
      for (const l of conformalOffsets(cal, h)?.levels ?? []) {
        expect(l.upper).toBeCloseTo(1.3 * h ** 0.7, 10);
        expect(l.lower).toBeCloseTo(-1.3 * h ** 0.7, 10);
      }
    }
    expect(cal.caveats.join(' ')).toMatch(/Steps 1-8 are calibrated on their own errors \(at least 39 each\); beyond step 8 the band is extrapolated as q_h = q_8 \(h\/8\)\^k/);
  });

  it('a flat calibration gives k = 0.5, the floor (a random walk\u2019s rate)', () => {
    const cal = calibrateConformalErrors(growing(() => 1.3, 4), { method: 'naive', levels: [80] });
    expect(cal.extrapolation.exponents[0]).toMatchObject({ upper: 0.5, lower: 0.5 });
    expect(cal.extrapolation.exponents[0].fittedUpper).toBeCloseTo(0, 12);
    expect(conformalOffsets(cal, 16)?.levels[0].upper).toBeCloseTo(1.3 * Math.sqrt(4), 12);
    // shrinking quantiles: fitted slope negative, floored too
    const down = calibrateConformalErrors(growing((h) => 2 / h, 3), { method: 'naive', levels: [80] });
    expect(down.extrapolation.exponents[0].fittedUpper).toBeCloseTo(-1, 12);
    expect(down.extrapolation.exponents[0].upper).toBe(0.5);
    // one calibrated step: nothing to fit, k = 0.5
    const one = calibrateConformalErrors(growing(() => 2, 1), { method: 'naive', levels: [80] });
    expect(Number.isNaN(one.extrapolation.exponents[0].fittedUpper)).toBe(true);
    expect(conformalOffsets(one, 9)?.levels[0].upper).toBeCloseTo(6, 12);
  });

  it('asymmetric bands: each end has its own k', () => {
    // per step 20 forecasts too high by h^0.6 and 20 too low by h^0.9: the band runs from -h^0.6 to +h^0.9
    const byStep = Array.from({ length: 5 }, (_, i) => [...Array<number>(20).fill((i + 1) ** 0.6), ...Array<number>(20).fill(-((i + 1) ** 0.9))]);
    const cal = calibrateConformalErrors(byStep, { method: 'drift', levels: [80], shape: 'asymmetric' });
    expect(cal.extrapolation.calibratedSteps).toBe(5);
    expect(cal.extrapolation.exponents[0].lower).toBeCloseTo(0.6, 12);
    expect(cal.extrapolation.exponents[0].upper).toBeCloseTo(0.9, 12);
    const o = conformalOffsets(cal, 10)?.levels[0];
    expect(o?.lower).toBeCloseTo(-(10 ** 0.6), 10);
    expect(o?.upper).toBeCloseTo(10 ** 0.9, 10);
    expect(cal.caveats.join(' ')).toMatch(/k = 0\.60 \(lower\) \/ 0\.90 \(upper\) at 80%/);
  });

  it('the calibrated steps are the leading run with at least minErrors errors', () => {
    const counts = [60, 45, 38, 50];
    const byStep = counts.map((n, i) => Array.from({ length: n }, () => i + 1));
    expect(calibrateConformalErrors(byStep, { method: 'naive', levels: [80] }).extrapolation.calibratedSteps).toBe(2);
    expect(calibrateConformalErrors(byStep, { method: 'naive', levels: [80], minErrors: 30 }).extrapolation.calibratedSteps).toBe(4);
    expect(calibrateConformalErrors(byStep, { method: 'naive', levels: [80], source: 'series' }).extrapolation).toMatchObject({ calibratedSteps: 4, minErrors: 1 });
    expect(() => calibrateConformalErrors(byStep, { method: 'naive', minErrors: 0 })).toThrow(/minErrors/);
    // step 4 (50 errors, after the short step 3) is extrapolated from step 2, not used
    const cal = calibrateConformalErrors(byStep, { method: 'naive', levels: [80] });
    expect(conformalOffsets(cal, 4)).toMatchObject({ extrapolated: true, from: { h: 2 } });
    expect(conformalExtrapolation(cal.steps, { minErrors: 61 })).toMatchObject({ calibratedSteps: 4, fallback: true });
  });

  it('rejects an unknown method, source or shape, and non-finite errors', () => {
    expect(() => calibrateConformalErrors([[1]], { method: 'nope' as never })).toThrow(CarecastInputError);
    expect(() => calibrateConformalErrors([[1]], { method: 'naive', source: 'x' as never })).toThrow(/unknown source/);
    expect(() => calibrateConformalErrors([[1]], { method: 'naive', shape: 'x' as never })).toThrow(/unknown band shape/);
    expect(() => calibrateConformalErrors([[NaN]], { method: 'naive' })).toThrow(/not a finite number/);
  });
});
