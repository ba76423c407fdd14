import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SeriesPopulation } from '../../src/data/ons/panelPopulation.js';
import type { YearValue } from '../../src/data/yearValue.js';
import { createRng } from '../../src/math/rng.js';
import { fitGlobal, forecastWithGlobal } from '../../src/models/global/fitGlobal.js';
import { fullRank, panelARRows } from '../../src/models/global/panelAR.js';
import { dampedSum, PANEL_GROWTH_PHI_GRID, PANEL_GROWTH_W_GRID } from '../../src/models/global/panelGrowth.js';
import { projectedPopulation, rateWindow } from '../../src/models/global/rates.js';
import { bandSdAt, eligibleAt, ownGrowth, stepBands, trimmedMean, windowOf } from '../../src/models/global/shared.js';
import { parseGlobalFit } from '../../src/models/global/dfeGlobal.js';
import { qnorm } from '../../src/math/normal.js';
import { errorOf } from '../helpers/inputError.js';

function expectInputError(fn: () => unknown, where: { field?: string; source?: string }): void {
  const e = errorOf(fn);
  expect(e.problems.some((q) => (where.field === undefined || q.field === where.field) && (where.source === undefined || q.source === where.source))).toBe(true);
}

type Panel = Map<string, YearValue[]>;

/** Every series: log y_t = log y_{t-1} + G + own_i + sigma e_t, from 2011, 2018 left out. */
function syntheticPanel(seed: number, G: number, tau: number, sigma: number, n = 150, years = 14): Panel {
  const rng = createRng(seed);
  const m: Panel = new Map();
  for (let i = 0; i < n; i++) {
    const own = tau * rng.normal();
    let l = Math.log(200 + 800 * rng.uniform());
    const pts: YearValue[] = [];
    for (let t = 0; t < years; t++) {
      pts.push({ year: 2011 + t, value: 2011 + t === 2018 ? null : Math.round(Math.exp(l)) });
      l += G + own + sigma * rng.normal();
    }
    m.set(`s${i}`, pts);
  }
  return m;
}

function cut(p: Panel, origin: number): Panel {
  return new Map([...p].map(([k, v]) => [k, v.filter((q) => q.year <= origin)]));
}

/** Pooled MASE of naive and of a global method over every series, origins and steps 1-3 (targets published). */
function maseOf(p: Panel, method: 'panelGrowth' | 'panelAR' | 'naive', origins: readonly number[]): number {
  let sum = 0;
  let n = 0;
  for (const o of origins) {
    const fit = method === 'naive' ? undefined : fitGlobal(method, p, { origin: o });
    for (const [, s] of p) {
      const train = s.filter((q) => q.year <= o);
      const w = windowOf('s', train, o)!;
      let scale = 0;
      for (let j = 1; j < w.used.length; j++) scale += Math.abs(w.used[j] - w.used[j - 1]);
      scale /= w.used.length - 1;
      const point = fit ? forecastWithGlobal(fit, train, 3).point : [1, 2, 3].map(() => w.used[w.used.length - 1]);
      for (let h = 1; h <= 3; h++) {
        const a = s.find((q) => q.year === o + h)?.value;
        if (a === undefined || a === null) continue;
        sum += Math.abs(point[h - 1] - a) / scale;
        n++;
      }
    }
  }
  return sum / n;
}

describe('the shared rules', () => {
  it('trimmed mean cuts floor(10% n) from each end, as R mean(x, trim = 0.1)', () => {
    // R: mean(c(1:10, 100), trim = 0.1) = 6
    expect(trimmedMean([...Array.from({ length: 10 }, (_, i) => i + 1), 100])).toBe(6);
    // R: mean(c(1:8, 90), trim = 0.1) = 14 (9 values: nothing cut)
    expect(trimmedMean([1, 2, 3, 4, 5, 6, 7, 8, 90])).toBeCloseTo(14, 12);
    // R: mean(c(-5, 1:10, 50, 60, 70, 80, 90, 100, 200, 300, 400), trim = 0.1) = 44 (two cut from each end)
    expect(trimmedMean([-5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50, 60, 70, 80, 90, 100, 200, 300, 400])).toBeCloseTo(44, 12);
  });

  it('own growth over the last min(5, n - 1) years, and the 6-year eligibility rule', () => {
    expect(ownGrowth([100, 110, 121], 2)).toBeCloseTo(Math.log(1.1), 12); // k = 2
    expect(ownGrowth([1, 2, 4, 8, 16, 32, 64, 128], 7)).toBeCloseTo(Math.log(2), 12); // k = 5: (log 128 - log 4) / 5
    expect(ownGrowth([5, 100, 110], 1)).toBeCloseTo(Math.log(20), 12);
    expect(eligibleAt([0, 3, 4, 5, 6, 7, 8], 6)).toBe(true); // the zero is 7 years back
    expect(eligibleAt([3, 0, 4, 5, 6, 7, 8], 6)).toBe(false);
    expect(eligibleAt([4], 0)).toBe(false); // one year: no growth
    expect(eligibleAt([4, 0.5], 1)).toBe(false);
  });

  it('damped sums and the pre-registered grids', () => {
    expect(dampedSum(0.9, 3)).toBeCloseTo(0.9 + 0.81 + 0.729, 14);
    expect(dampedSum(1, 8)).toBe(8);
    expect(PANEL_GROWTH_W_GRID).toHaveLength(21);
    expect(PANEL_GROWTH_W_GRID[7]).toBe(0.35);
    expect(PANEL_GROWTH_PHI_GRID).toEqual([0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1]);
  });

  it('step bands: RMS per step with >= 39 errors, power-law extrapolation floored at 0.5, random walk without errors', () => {
    const e = (s: number, n = 40) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? s : -s));
    const b = stepBands([e(1), e(2), e(3, 38)], 0.05, 'test');
    expect(b.sd).toEqual([1, 2]); // step 3 has 38 errors: not calibrated
    expect(b.exponent).toBeCloseTo(1, 12); // log 2 / log 2
    expect(bandSdAt(b, 4)).toBeCloseTo(2 * 2, 12);
    const flat = stepBands([e(1), e(1.1)], 0.05, 'test');
    expect(flat.exponent).toBe(0.5); // slope log 1.1 / log 2 = 0.14, floored
    expect(bandSdAt(flat, 4)).toBeCloseTo(1.1 * Math.sqrt(2), 12);
    const none = stepBands([e(1, 10)], 0.05, 'test');
    expect(none.sd).toEqual([]);
    expect(bandSdAt(none, 4)).toBeCloseTo(Math.sqrt(Math.PI / 2) * 2, 12);
  });
});

describe('panelGrowth', () => {
  it('forecasts l_T + c (phi + ... + phi^h), c = w g + (1 - w) G, with fixed w and phi (hand calculation)', () => {
    // three series growing 10%, 0% and 21% a year (k = 2 each): G is their plain mean (fewer than 10: nothing trimmed)
    const p: Panel = new Map([
      ['a', [{ year: 2020, value: 100 }, { year: 2021, value: 110 }, { year: 2022, value: 121 }]],
      ['b', [{ year: 2020, value: 50 }, { year: 2021, value: 50 }, { year: 2022, value: 50 }]],
      ['c', [{ year: 2020, value: 100 }, { year: 2021, value: 121 }, { year: 2022, value: 146.41 }]],
    ]);
    const fit = fitGlobal('panelGrowth', p, { panelGrowth: { w: 0.5, phi: 0.9 } });
    const G = (Math.log(1.1) + 0 + 2 * Math.log(1.1)) / 3;
    expect(fit.origin).toBe(2022);
    expect(fit.growth?.panelGrowth).toBeCloseTo(G, 12);
    expect(fit.growth?.fitted).toEqual({ w: false, phi: false });
    const f = forecastWithGlobal(fit, p.get('b')!, 2, { levels: [80] });
    const c = 0.5 * 0 + 0.5 * G;
    expect(f.point[0]).toBeCloseTo(50 * Math.exp(c * 0.9), 9);
    expect(f.point[1]).toBeCloseTo(50 * Math.exp(c * (0.9 + 0.81)), 9);
    expect(f.model).toBe('panelGrowth');
    // too few years for any earlier origin: the band is a log random walk on b's own scale (0 here, so the panel's median)
    expect(fit.bands.sd).toEqual([]);
    const sigma = fit.bands.panelLogScale; // median of log 1.1, 0 (left out), 2 log 1.1 -> (log 1.1 + 2 log 1.1) / 2
    expect(sigma).toBeCloseTo(1.5 * Math.log(1.1), 12);
    const z = qnorm(0.9);
    expect(f.intervals[0].upper[1]).toBeCloseTo(50 * Math.exp(c * 1.71 + z * Math.sqrt(Math.PI / 2) * Math.sqrt(2) * sigma), 9);
  });

  it('with no earlier origin: w = 0, phi = 1 (the panel growth, undamped)', () => {
    const p = cut(syntheticPanel(3, 0.02, 0.01, 0.03, 20), 2013); // 3 years: no origin leaves 4
    const fit = fitGlobal('panelGrowth', p);
    expect(fit.growth).toMatchObject({ w: 0, phi: 1, forecasts: 0, loss: null, fitted: { w: false, phi: false } });
    expect(fit.growth?.rule).toMatch(/no earlier origin/);
  });

  it('with only step-1 forecasts: phi = 1 and w fitted', () => {
    const p = cut(syntheticPanel(3, 0.02, 0.02, 0.03, 30), 2015); // origin 2014 (4 years), target 2015 only
    const fit = fitGlobal('panelGrowth', p);
    expect(fit.growth?.phi).toBe(1);
    expect(fit.growth?.fitted).toEqual({ w: true, phi: false });
    expect(fit.growth?.origins).toEqual([2014]);
    expect(fit.growth?.forecasts).toBe(30);
  });

  it('ties go to the larger phi, then the smaller w: identical growth everywhere gives w = 0, phi = 1, loss 0', () => {
    const p: Panel = new Map(
      Array.from({ length: 12 }, (_, i) => [`s${i}`, Array.from({ length: 8 }, (_, t) => ({ year: 2015 + t, value: (100 + 10 * i) * 1.05 ** t }))]),
    );
    const fit = fitGlobal('panelGrowth', p);
    expect(fit.growth?.w).toBe(0);
    expect(fit.growth?.phi).toBe(1);
    expect(fit.growth?.loss).toBeLessThan(1e-9);
  });

  it('the grid search finds the brute-force minimum of the pooled MASE (every grid point, exp per point)', () => {
    const p = cut(syntheticPanel(11, 0.02, 0.02, 0.05, 40), 2021);
    const fit = fitGlobal('panelGrowth', p);
    // brute force, straight from the rule
    const origins = [2014, 2015, 2016, 2017, 2019, 2020];
    const recs: { l: number; g: number; G: number; scale: number; h: number; y: number }[] = [];
    for (const o of origins) {
      const gs: number[] = [];
      const ws = [...p.values()].map((s) => windowOf('s', s, o)!);
      for (const w of ws) gs.push(ownGrowth(w.used, w.used.length - 1));
      const G = trimmedMean(gs);
      for (const [, s] of p) {
        const w = windowOf('s', s, o)!;
        const end = w.used.length - 1;
        let scale = 0;
        for (let j = 1; j <= end; j++) scale += Math.abs(w.used[j] - w.used[j - 1]);
        scale /= end;
        for (let h = 1; h <= 8 && o + h <= 2021; h++) {
          const a = s.find((q) => q.year === o + h)?.value;
          if (a === undefined || a === null) continue;
          recs.push({ l: Math.log(w.used[end]), g: ownGrowth(w.used, end), G, scale, h, y: a });
        }
      }
    }
    expect(fit.growth?.forecasts).toBe(recs.length);
    let best = { w: -1, phi: -1, loss: Infinity };
    for (const phi of [1, 0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5]) {
      for (let i = 0; i <= 20; i++) {
        const w = i / 20;
        let loss = 0;
        for (const r of recs) loss += Math.abs(Math.exp(r.l + (w * r.g + (1 - w) * r.G) * dampedSum(phi, r.h)) - r.y) / r.scale;
        loss /= recs.length;
        if (loss < best.loss - 1e-9) best = { w, phi, loss };
      }
    }
    expect(fit.growth?.w).toBe(best.w);
    expect(fit.growth?.phi).toBe(best.phi);
    expect(fit.growth?.loss).toBeCloseTo(best.loss, 9);
  });

  it('recovers the truth on a panel of common + own growth + noise, and beats naive there', () => {
    // tau = 0.02 (own growth spread), sigma = 0.05 (yearly noise): with 5-year growths the
    // best linear shrinkage weight is tau^2 / (tau^2 + sigma^2 / 5) = 0.44 (0.32 with 3-year ones); growth persists: phi = 1
    const p = syntheticPanel(1, 0.03, 0.02, 0.05);
    const fit = fitGlobal('panelGrowth', p, { origin: 2021 });
    expect(fit.growth!.w).toBeGreaterThanOrEqual(0.2);
    expect(fit.growth!.w).toBeLessThanOrEqual(0.6);
    expect(fit.growth!.phi).toBeGreaterThanOrEqual(0.9);
    expect(fit.growth!.panelGrowth).toBeGreaterThan(0.02);
    expect(fit.growth!.panelGrowth).toBeLessThan(0.04);
    const origins = [2019, 2020, 2021];
    const naive = maseOf(p, 'naive', origins);
    const pg = maseOf(p, 'panelGrowth', origins);
    expect(pg).toBeLessThan(0.9 * naive);
  });

  it('does not beat naive on a panel of random walks (shrinks to the panel, whose growth is about 0)', () => {
    const p = syntheticPanel(2, 0, 0, 0.05);
    const fit = fitGlobal('panelGrowth', p, { origin: 2021 });
    expect(Math.abs(fit.growth!.panelGrowth)).toBeLessThan(0.01);
    expect(fit.growth!.w).toBeLessThanOrEqual(0.2);
    const origins = [2019, 2020, 2021];
    expect(maseOf(p, 'panelGrowth', origins)).toBeGreaterThan(0.98 * maseOf(p, 'naive', origins));
  });

  it('bands: widen with the first steps, and hold at least their level on fresh years of random walks and of growing series', () => {
    for (const p of [syntheticPanel(2, 0, 0, 0.05, 300), syntheticPanel(1, 0.03, 0.02, 0.05, 300)]) {
      const fit = fitGlobal('panelGrowth', p, { origin: 2021 });
      expect(fit.bands.sd[0]).toBeGreaterThan(Math.sqrt(Math.PI / 2) - 0.1); // a random walk's own, in units of its mean absolute change
      expect(fit.bands.sd[2]).toBeGreaterThan(fit.bands.sd[1]);
      expect(fit.bands.sd[1]).toBeGreaterThan(fit.bands.sd[0]);
      let n = 0;
      const inside = [0, 0];
      for (const s of p.values()) {
        const f = forecastWithGlobal(fit, s.filter((q) => q.year <= 2021), 3, { levels: [80, 95] });
        for (let h = 1; h <= 3; h++) {
          const a = s.find((q) => q.year === 2021 + h)!.value!;
          n++;
          f.intervals.forEach((iv, j) => {
            if (a >= iv.lower[h - 1] && a <= iv.upper[h - 1]) inside[j]++;
          });
        }
      }
      expect(inside[0] / n).toBeGreaterThan(0.77);
      expect(inside[0] / n).toBeLessThan(0.97);
      expect(inside[1] / n).toBeGreaterThan(0.93);
    }
  });

  it('a series not eligible (a zero in its last 6 years) is forecast by naive, and says so', () => {
    const p = syntheticPanel(4, 0.02, 0.01, 0.03, 20);
    p.set('small', [0, 1, 0, 2, 1, 0, 1, 2, 1, 0, 2, 1, 1, 2].map((value, i) => ({ year: 2011 + i, value })));
    const fit = fitGlobal('panelGrowth', p);
    expect(fit.panel.ineligible).toEqual(['small']);
    const f = forecastWithGlobal(fit, p.get('small')!, 3);
    expect(f.model).toBe('naive');
    expect(f.point).toEqual([2, 2, 2]);
    expect(f.note).toMatch(/naive: a value below 1/);
  });

  it('reads plain values as years ending at the origin; forecasts are invariant to the series scale (property)', () => {
    const base = syntheticPanel(5, 0.02, 0.02, 0.04, 30);
    const plain = new Map([...base].map(([k, v]) => [k, v.filter((q) => q.year !== 2018).map((q) => q.value as number)]));
    // plain values have no gap: a different panel, but the origin is its length's last year
    expect(fitGlobal('panelGrowth', plain).origin).toBe(13);
    const fit = fitGlobal('panelGrowth', base);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 29 }), fc.double({ min: 0.5, max: 20, noNaN: true }), (i, k) => {
        const s = base.get(`s${i}`)!;
        const a = forecastWithGlobal(fit, s, 4);
        const b = forecastWithGlobal(fit, s.map((q) => ({ year: q.year, value: q.value === null ? null : q.value * k })), 4);
        return a.point.every((v, j) => Math.abs(b.point[j] / (k * v) - 1) < 1e-9) && a.intervals[1].upper.every((v, j) => Math.abs(b.intervals[1].upper[j] / (k * v) - 1) < 1e-9);
      }),
      { numRuns: 30 },
    );
  });

  it('rejects fixed parameters out of range and unknown methods', () => {
    const p = syntheticPanel(3, 0.02, 0.01, 0.03, 10);
    expectInputError(() => fitGlobal('panelGrowth', p, { panelGrowth: { w: 1.5 } }), { field: 'w' });
    expectInputError(() => fitGlobal('panelGrowth', p, { panelGrowth: { phi: 0 } }), { field: 'phi' });
    expectInputError(() => fitGlobal('bogus' as 'panelGrowth', p), { field: 'method' });
    expectInputError(() => fitGlobal('panelGrowth', new Map()), { field: 'panel' });
  });
});

describe('panelAR', () => {
  const golden = JSON.parse(readFileSync(new URL('../golden/panel-ar.json', import.meta.url), 'utf8')) as {
    panel: Record<string, { years: number[]; values: (number | null)[] }>;
    rows: number;
    rowSeries: Record<string, number>;
    full: { intercept: number; b1: number; b2: number; c: number; sigma: number };
    noSeriesEffect: { intercept: number; b1: number; b2: number; sigma: number };
  };
  const panel: Panel = new Map(Object.entries(golden.panel).map(([k, s]) => [k, s.years.map((year, i) => ({ year, value: s.values[i] }))]));

  it('builds the rows by the rule (hand calculation)', () => {
    const y = [100, 110, 99, 120, 120];
    const d = [1, 2, 3, 4].map((j) => Math.log(y[j] / y[j - 1]));
    const r = panelARRows(y, 4);
    const close = (a: readonly number[], b: readonly number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 14));
    close(r.y, [d[2], d[3]]);
    close(r.x[0], [d[1], d[0], (d[0] + d[1]) / 2]);
    expect(r.x[1][2]).toBeCloseTo((d[0] + d[1] + d[2]) / 3, 15);
    close(panelARRows(y, 4, false).x[1], [d[2], d[1]]);
    // the log growths start after the last value below 1
    expect(panelARRows([5, 0, 2, 4, 8, 16], 5).y).toHaveLength(1);
  });

  it("matches R's lm() on the golden panel (rows, coefficients, residual sd), with and without the series effect", () => {
    const fit = fitGlobal('panelAR', panel, { origin: 2024 });
    const ar = fit.ar!;
    expect(ar.fitted).toBe(true);
    expect(ar.rows).toBe(golden.rows);
    expect(ar.intercept).toBeCloseTo(golden.full.intercept, 10);
    expect(ar.b1).toBeCloseTo(golden.full.b1, 10);
    expect(ar.b2).toBeCloseTo(golden.full.b2, 10);
    expect(ar.c!).toBeCloseTo(golden.full.c, 10);
    expect(ar.residualSd).toBeCloseTo(golden.full.sigma, 10);
    expect(fit.panel.ineligible).toEqual(['late0']);
    const no = fitGlobal('panelAR', panel, { origin: 2024, panelAR: { seriesEffect: false } }).ar!;
    expect(no.c).toBeNull();
    expect(no.intercept).toBeCloseTo(golden.noSeriesEffect.intercept, 10);
    expect(no.b1).toBeCloseTo(golden.noSeriesEffect.b1, 10);
    expect(no.b2).toBeCloseTo(golden.noSeriesEffect.b2, 10);
    expect(no.residualSd).toBeCloseTo(golden.noSeriesEffect.sigma, 10);
  });

  it("ml-regression's fit equals a normal-equations solve of the same rows", () => {
    const p = syntheticPanel(7, 0.01, 0.02, 0.05, 60);
    const fit = fitGlobal('panelAR', p, { origin: 2024 });
    const x: number[][] = [];
    const y: number[] = [];
    for (const s of p.values()) {
      const w = windowOf('s', s, 2024)!;
      const r = panelARRows(w.used, w.used.length - 1);
      for (let i = 0; i < r.x.length; i++) {
        x.push([1, ...r.x[i]]);
        y.push(r.y[i]);
      }
    }
    // X'X b = X'y by Gaussian elimination
    const k = 4;
    const a = Array.from({ length: k }, (_, i) => [...Array.from({ length: k }, (_, j) => x.reduce((s, r) => s + r[i] * r[j], 0)), x.reduce((s, r, n) => s + r[i] * y[n], 0)]);
    for (let c = 0; c < k; c++) {
      for (let r = c + 1; r < k; r++) {
        const f = a[r][c] / a[c][c];
        for (let j = c; j <= k; j++) a[r][j] -= f * a[c][j];
      }
    }
    const b = new Array<number>(k).fill(0);
    for (let r = k - 1; r >= 0; r--) b[r] = (a[r][k] - a[r].slice(r + 1, k).reduce((s, v, j) => s + v * b[r + 1 + j], 0)) / a[r][r];
    expect(fit.ar!.intercept).toBeCloseTo(b[0], 10);
    expect(fit.ar!.b1).toBeCloseTo(b[1], 10);
    expect(fit.ar!.b2).toBeCloseTo(b[2], 10);
    expect(fit.ar!.c!).toBeCloseTo(b[3], 10);
  });

  it('forecasts recursively, updating m with each forecast growth (hand calculation)', () => {
    const fit = fitGlobal('panelAR', panel, { origin: 2024 });
    const ar = fit.ar!;
    const s = panel.get('s03')!;
    const w = windowOf('s03', s, 2024)!;
    const l = w.used.map(Math.log);
    const d = l.slice(1).map((v, i) => v - l[i]);
    let m = d.reduce((a, b) => a + b, 0) / d.length;
    let k = d.length;
    let [d1, d2] = [d[d.length - 1], d[d.length - 2]];
    let cum = 0;
    const expected: number[] = [];
    for (let h = 0; h < 3; h++) {
      const next = ar.intercept + ar.b1 * d1 + ar.b2 * d2 + ar.c! * m;
      cum += next;
      expected.push(Math.exp(l[l.length - 1] + cum));
      m = (m * k + next) / (k + 1);
      k++;
      [d1, d2] = [next, d1];
    }
    const f = forecastWithGlobal(fit, s, 3);
    f.point.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 8));
  });

  it('is not fitted with fewer than 30 rows or a rank-deficient design; then every series is forecast by naive', () => {
    expect(fullRank([[1, 2, 1.5], [2, 1, 1.5], [3, 5, 4], [0, 1, 0.5]])).toBe(false); // third column = mean of the first two
    expect(fullRank([[1, 2, 1], [2, 1, 3], [3, 5, 4], [0, 1, 0.5]])).toBe(true);
    // every series starts in 2011: at 2014 each has one row, with m the mean of its two lags
    const p = syntheticPanel(8, 0.02, 0.02, 0.05, 40);
    const at2014 = fitGlobal('panelAR', p, { origin: 2014 });
    expect(at2014.ar?.fitted).toBe(false);
    expect(at2014.ar?.reason).toMatch(/collinear/);
    const f = forecastWithGlobal(at2014, cut(p, 2014).get('s1')!, 2);
    expect(f.model).toBe('naive');
    expect(f.note).toMatch(/not fitted at 2014/);
    const few = fitGlobal('panelAR', cut(syntheticPanel(8, 0.02, 0.02, 0.05, 8), 2016), { origin: 2016 });
    expect(few.ar).toMatchObject({ fitted: false, rows: 24 });
    expect(few.ar?.reason).toMatch(/fewer than 30/);
  });

  it('beats naive on a panel with persistent own growth', () => {
    const p = syntheticPanel(1, 0.03, 0.02, 0.05);
    expect(maseOf(p, 'panelAR', [2019, 2020, 2021])).toBeLessThan(0.9 * maseOf(p, 'naive', [2019, 2020, 2021]));
  });
});

describe('rates per 10,000 children', () => {
  const pop = (base: number, growth: number): SeriesPopulation => ({
    observed: [2019, 2020, 2021, 2022, 2023, 2024].map((year, i) => ({ year, value: base * (1 + growth) ** i })),
    projection: Array.from({ length: 26 }, (_, i) => ({ year: 2018 + i, value: 1000 * (1 + growth / 2) ** i })),
    source: 'test',
  });

  it('rate = 10000 y / pop over the years with both; population moved forward by the projection ratio', () => {
    const w = rateWindow('a', [{ year: 2017, value: 50 }, { year: 2019, value: 60 }, { year: 2020, value: 66 }], pop(20000, 0), 2020)!;
    expect(w.first).toBe(2019);
    expect(w.used).toEqual([30, 33]);
    const p = projectedPopulation(pop(20000, 0.02), 2024, 3, 'a');
    // pop_2024 x snpp(2024 + h - 1) / snpp(2023); snpp grows 1% a year
    expect(p.values[0]).toBeCloseTo(20000 * 1.02 ** 5 * 1.01, 8);
    expect(p.values[2]).toBeCloseTo(20000 * 1.02 ** 5 * 1.01 ** 3, 8);
    const held = projectedPopulation(pop(20000, 0.02), 2024, 22, 'a');
    expect(held.values[21]).toBeCloseTo(held.values[19], 8); // mid-2043 is the last
    expect(held.note).toMatch(/ends at mid-2043/);
  });

  it('forecasts the rate with the method and multiplies by the projected population', () => {
    const counts = syntheticPanel(9, 0.02, 0.02, 0.04, 40);
    const pops = new Map([...counts.keys()].map((k, i) => [k, pop(10000 + 500 * i, 0.01 * ((i % 5) - 2))]));
    const fit = fitGlobal('panelGrowthRate', counts, { origin: 2024, population: pops });
    expect(fit.scale).toBe('rate');
    expect(fit.rate).toEqual({ withPopulation: 40, missing: [] });
    const s = counts.get('s3')!;
    const p = pops.get('s3')!;
    const f = forecastWithGlobal(fit, s, 2, { population: p });
    // the same rule on the rate series, then times pop / 10000
    const rates = rateWindow('s3', s, p, 2024)!;
    const g = forecastWithGlobal({ ...fit, scale: 'count' }, rates.used, 2);
    const proj = projectedPopulation(p, 2024, 2, 's3').values;
    expect(f.point[0]).toBeCloseTo((g.point[0] * proj[0]) / 10000, 8);
    expect(f.point[1]).toBeCloseTo((g.point[1] * proj[1]) / 10000, 8);
    expect(f.note).toMatch(/rate per 10,000 children is multiplied by the population/);
  });

  it('needs populations; leaves out series without one; needs 2 years of rates', () => {
    const counts = syntheticPanel(9, 0.02, 0.02, 0.04, 10);
    expectInputError(() => fitGlobal('panelARRate', counts), { field: 'population' });
    const pops = new Map([['s1', pop(10000, 0)]]);
    const fit = fitGlobal('panelGrowthRate', counts, { population: pops });
    expect(fit.rate?.missing).toHaveLength(9);
    expectInputError(() => forecastWithGlobal(fit, counts.get('s1')!, 2), { field: 'population' });
    const at2019 = fitGlobal('panelGrowthRate', cut(counts, 2019), { population: pops });
    expectInputError(() => forecastWithGlobal(at2019, cut(counts, 2019).get('s1')!, 2, { population: pops.get('s1')! }), { field: 'population' });
  });
});

describe('a fit as data', () => {
  it('survives JSON (NaN written as null and read back) and is checked on the way in', () => {
    const p = syntheticPanel(8, 0.02, 0.02, 0.05, 40);
    for (const fit of [fitGlobal('panelGrowth', p), fitGlobal('panelAR', p, { origin: 2014 })]) {
      const back = parseGlobalFit(JSON.parse(JSON.stringify(fit)), 'fit.json');
      expect(back).toEqual(fit);
    }
    expectInputError(() => parseGlobalFit({ kind: 'globalFit', method: 'panelGrowth' }, 'fit.json'), { source: 'fit.json' });
  });
});
