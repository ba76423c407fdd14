/** The top-level projection: gaps, options, errors, auto selection. */
import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { rollingOrigins, selectMethod } from '../../src/models/selectMethod.js';
import { forecast } from '../../src/project/forecast.js';
import { projectionRecords } from '../../src/output/records.js';
import { formatProjectionTable } from '../../src/output/table.js';
import { fitMethod } from '../../src/models/registry.js';
import { backtestPanel } from '../../src/evaluate/backtest.js';
import { calibrateConformal } from '../../src/evaluate/conformalBacktest.js';
import { historyScale } from '../../src/uncertainty/conformal.js';
import { readFileSync } from 'node:fs';
import { findSeries } from '../../src/data/breakdown.js';
import { loadSeed } from '../../src/data/seeds.js';
import { panelEvidence } from '../../src/evaluate/panelEvidence.js';
import { loadDfePanel, loadDfePanelArea } from '../../src/data/panel.js';
import { dfePanelPopulations } from '../../src/data/ons/panelPopulation.js';
import type { PanelEvidence } from '../../src/models/selectMethod.js';

const derbyshire = [
  { year: 2018, value: 719 },
  { year: 2019, value: 802 },
  { year: 2020, value: 861 },
  { year: 2021, value: 899 },
  { year: 2022, value: 909 },
  { year: 2023, value: 995 },
  { year: 2024, value: 1057 },
];

describe('forecast()', () => {
  it('reproduces the statement: 1373 by 2028 with its 5% band', () => {
    const p = forecast(
      derbyshire.filter((d) => d.year <= 2023),
      { to: 2035, method: 'repeatGrowth', methodOptions: { repeatGrowth: { window: 5, roundPercent: 0 } }, band: 0.05 },
    );
    const i2028 = p.years.indexOf(2028);
    expect(p.point[i2028]).toBeCloseTo(1373.1, 6);
    expect(p.flatBand?.lower[i2028]).toBeCloseTo(1373.1 * 0.95, 6);
    expect(p.flatBand?.upper[i2028]).toBeCloseTo(1373.1 * 1.05, 6);
    // the honest band is far wider than 5% by 2035
    const last = p.years.length - 1;
    const i95 = p.intervals.find((iv) => iv.level === 95);
    expect(i95).toBeDefined();
    expect(((i95?.upper[last] ?? 0) - (i95?.lower[last] ?? 0)) / p.point[last]).toBeGreaterThan(0.2);
    expect(p.caveats.join(' ')).toMatch(/flat band is a convention/);
  });

  it('projects with the horizon or the target year and labels the years', () => {
    const a = forecast(derbyshire, { to: 2030, method: 'drift' });
    const b = forecast(derbyshire, { horizon: 6, method: 'drift' });
    expect(a.years).toEqual([2025, 2026, 2027, 2028, 2029, 2030]);
    expect(a.point).toEqual(b.point);
    expect(a.point[0]).toBeCloseTo(1057 + 338 / 6, 10);
  });

  it('fills an interior gap by interpolation and says so', () => {
    const withGap = [...derbyshire.filter((d) => d.year !== 2020), { year: 2020, value: null }];
    const p = forecast(withGap, { to: 2026, method: 'linear' });
    const h2020 = p.history.find((h) => h.year === 2020);
    expect(h2020).toEqual({ year: 2020, value: null, used: (802 + 899) / 2, imputed: true });
    expect(p.caveats.join(' ')).toMatch(/No value for 2020/);
  });

  it('a missing year that is absent from the input altogether is also a gap', () => {
    const p = forecast(derbyshire.filter((d) => d.year !== 2021), { to: 2026, method: 'naive' });
    expect(p.history.map((h) => h.year)).toEqual([2018, 2019, 2020, 2021, 2022, 2023, 2024]);
    expect(p.history[3].used).toBeCloseTo((861 + 909) / 2, 10);
  });

  it('rejects bad input with errors that name the field', () => {
    const err = (f: () => unknown): CarecastInputError => {
      try {
        f();
      } catch (e) {
        if (e instanceof CarecastInputError) return e;
        throw e;
      }
      throw new Error('no error thrown');
    };
    expect(err(() => forecast([...derbyshire, { year: 2024, value: 1 }], { to: 2030 })).problems[0]).toMatchObject({ field: 'year', row: 8 });
    expect(err(() => forecast([{ year: 2020, value: -3 }, ...derbyshire.slice(3)], { to: 2030 })).message).toMatch(/negative value -3/);
    expect(err(() => forecast(derbyshire, { to: 2020 })).message).toMatch(/must end after the last observed year 2024/);
    expect(err(() => forecast(derbyshire, {})).message).toMatch(/neither a target year nor a horizon/);
    expect(err(() => forecast(derbyshire, { to: 2030, method: 'dampedTrend' })).message).toMatch(/needs at least 10 years/);
    expect(err(() => forecast(derbyshire, { to: 2030, band: 5 })).message).toMatch(/fraction between 0 and 1/);
    expect(err(() => forecast(derbyshire, { to: 2030, levels: [80, 120] })).problems[0].field).toBe('levels');
  });

  it('auto: the simplest method within one standard error of the lowest rolling-origin MASE, every score reported', () => {
    // plain year-value pairs name no measure: no bundled evidence, so the default is the series' own choice
    const p = forecast(derbyshire, { to: 2030 });
    expect(p.requestedMethod).toBe('evidence');
    expect(p.caveats[0]).toBe("No panel evidence for this series (it names no measure) is bundled with carecast: the method is chosen by the series' own rolling-origin errors (as method 'auto').");
    const sel = p.selection;
    expect(sel).toBeDefined();
    const best = sel?.scores[0];
    const chosen = sel?.scores.find((s) => s.method === p.method);
    expect(chosen?.mase).toBeLessThanOrEqual((best?.mase ?? 0) + (best?.se ?? 0) + 1e-12);
    // nothing simpler qualifies
    const order = ['naive', 'drift', 'linear', 'loglinear', 'theta', 'dampedTrend', 'repeatGrowth'];
    for (const s of sel?.scores ?? []) {
      if (order.indexOf(s.method) < order.indexOf(p.method)) expect(s.mase).toBeGreaterThan((best?.mase ?? 0) + (best?.se ?? 0));
    }
    expect(forecast(derbyshire, { to: 2030, method: 'auto' }).method).toBe(p.method);
    expect(selectMethod(derbyshire.map((d) => d.value), { rule: 'best' }).method).toBe(best?.method);
    expect(sel?.excluded).toEqual(['theta', 'dampedTrend', 'repeatGrowth']);
    // origins 3..6: training on 2018-2020 up to 2018-2023
    expect(sel?.origins).toEqual([3, 6]);
  });

  it('selectMethod scores by hand: naive on a series with a step', () => {
    // y = 10, 20, 30, 40: drift is perfect out of sample
    const s = selectMethod([10, 20, 30, 40, 50], { candidates: ['naive', 'drift'] });
    expect(s.method).toBe('drift');
    expect(s.scores.find((x) => x.method === 'drift')?.mase).toBeCloseTo(0, 12);
    // naive from origin 3 (train 10,20,30; scale 10): errors 10, 20 -> 1, 2; origin 4: error 10 -> 1; mean 4/3
    expect(s.scores.find((x) => x.method === 'naive')?.mase).toBeCloseTo(4 / 3, 12);
  });

  it('rollingOrigins: origins, scales and failed fits', () => {
    const last = (train: readonly number[], steps: number): number[] => Array<number>(steps).fill(train[train.length - 1]);
    expect(rollingOrigins([10, 20, 30, 40], 2, 1, last)).toEqual([
      { k: 2, scale: 10, point: [20] },
      { k: 3, scale: 10, point: [30] },
    ]);
    // a flat window (scale 0) is skipped; a RangeError is a failed fit
    expect(rollingOrigins([5, 5, 5, 8, 9], 3, 2, (t) => { if (t.length === 4) throw new RangeError('no'); return [0, 0]; })).toEqual([{ k: 4, scale: 1, point: null }]);
  });

  it('records and table carry the bands', () => {
    const p = forecast(derbyshire, { to: 2026, method: 'naive', band: 0.05 });
    const rows = projectionRecords(p);
    expect(rows).toHaveLength(9);
    expect(rows[7]).toMatchObject({ year: 2025, type: 'forecast', point: 1057, flat_lo: 1057 * 0.95 });
    expect(rows[7].lo_80).toBeLessThan(1057);
    expect(rows[0]).toMatchObject({ year: 2018, type: 'observed', value: 719, lo_95: null });
    const table = formatProjectionTable(p);
    expect(table).toMatch(/2025\s+1,057/);
    expect(table).toMatch(/95% band/);
  });

  describe('interval methods (issue 4)', () => {
    const err = (f: () => unknown): CarecastInputError => {
      try {
        f();
      } catch (e) {
        if (e instanceof CarecastInputError) return e;
        throw e;
      }
      throw new Error('no error thrown');
    };
    const ys = derbyshire.map((d) => d.value);

    it('a series of no bundled measure: analytic intervals from the model by default, no intervalBasis', () => {
      const p = forecast(derbyshire, { horizon: 3, method: 'drift' });
      const explicit = forecast(derbyshire, { horizon: 3, method: 'drift', intervals: 'analytic' });
      expect(p.intervalMethod).toBe('analytic');
      expect('intervalBasis' in p).toBe(false);
      expect(explicit).toEqual(p);
      expect(p.intervals).toEqual(fitMethod('drift', ys).forecast(3, { levels: [80, 95] }).intervals);
      expect(p.caveats).toEqual(['The bands rest on only 7 yearly observations; with so few, analytic bands tend to be too narrow.']);
    });

    it('bootstrap: seeded bands from resampled residuals, with how many they rest on', () => {
      const a = forecast(derbyshire, { horizon: 3, method: 'drift', intervals: 'bootstrap', bootstrap: { paths: 500, seed: 9 } });
      const b = forecast(derbyshire, { horizon: 3, method: 'drift', intervals: 'bootstrap', bootstrap: { paths: 500, seed: 9 } });
      const c = forecast(derbyshire, { horizon: 3, method: 'drift', intervals: 'bootstrap', bootstrap: { paths: 500, seed: 10 } });
      expect(a.intervalMethod).toBe('bootstrap');
      expect(a.intervals).toEqual(b.intervals);
      expect(a.intervals).not.toEqual(c.intervals);
      expect(a.point).toEqual(forecast(derbyshire, { horizon: 3, method: 'drift' }).point);
      expect(a.intervalBasis).toMatchObject({ method: 'bootstrap', points: 7, residuals: 6, paths: 500, seed: 9 });
      expect(a.distributions[0].type).toBe('sample');
      expect(a.caveats.join(' ')).toMatch(/resampling the 6 in-sample residuals of the drift fit to 7 yearly observations/);
      expect(a.caveats.join(' ')).toMatch(/with fewer than 20 residuals the outer \(95%\) band is likely too narrow/);
      expect(a.caveats.join(' ')).not.toMatch(/analytic bands/);
      expect(err(() => forecast(derbyshire, { horizon: 3, method: 'drift', intervals: 'bootstrap', bootstrap: { paths: 0 } })).problems[0].field).toBe('bootstrap');
      // too few residuals: repeatGrowth over a one-year window has one
      const one = err(() => forecast(derbyshire, { horizon: 2, method: 'repeatGrowth', methodOptions: { repeatGrowth: { window: 1 } }, intervals: 'bootstrap' }));
      expect(one.problems[0].field).toBe('intervals');
      expect(one.message).toMatch(/1 usable residual/);
    });

    it('conformal without a calibration: the series\' own rolling-origin errors, and says how few', () => {
      const p = forecast(derbyshire, { horizon: 4, method: 'drift', intervals: 'conformal' });
      expect(p.intervalMethod).toBe('conformal');
      expect(p.intervalBasis).toMatchObject({ method: 'conformal', points: 7, calibration: 'series', errors: [4, 3, 2, 2], calibratedSteps: 3 });
      // the distributions are the bands': the point plus each calibrated error, scaled (4 errors at h = 1; h = 4 widens h = 3's by 4/3)
      expect(p.distributions.map((d) => (d.type === 'sample' ? d.values.length : d.type))).toEqual([4, 3, 2, 2]);
      const text = p.caveats.join(' ');
      expect(text).toMatch(/as few as 2 forecast errors per step/);
      expect(text).toMatch(/Beyond 3 years ahead/);
      expect(text).toMatch(/widened to at least the model\u2019s analytic band/);
      // where the 95% quantile does not exist, the band is at least the analytic one
      const an = forecast(derbyshire, { horizon: 4, method: 'drift' });
      for (let i = 0; i < 4; i++) {
        expect(p.intervals[1].lower[i]).toBeLessThanOrEqual(an.intervals[1].lower[i] + 1e-9);
        expect(p.intervals[1].upper[i]).toBeGreaterThanOrEqual(an.intervals[1].upper[i] - 1e-9);
      }
      // too short to leave any error: analytic, and said so
      const short = forecast(derbyshire.slice(0, 3), { horizon: 2, method: 'naive', intervals: 'conformal' });
      expect(short.intervalMethod).toBe('analytic');
      expect(short.caveats.join(' ')).toMatch(/leave no rolling-origin errors/);
    });

    it('conformal with a pooled calibration: point +/- quantile x the series\' scale', () => {
      const panel = new Map(
        [0, 1, 2, 3, 4, 5].map((a) => [`LA${a}`, derbyshire.map((d, i) => ({ year: d.year, value: d.value + a * 40 + ((i * (a + 3)) % 7) * 9 }))]),
      );
      const bt = backtestPanel(panel, { methods: ['naive', 'auto'], horizon: 2 });
      const cal = calibrateConformal(bt, { method: 'naive', levels: [80, 95] });
      const p = forecast(derbyshire, { horizon: 3, method: 'naive', conformal: cal });
      expect(p.intervalMethod).toBe('conformal');
      const scale = historyScale(p);
      const q1 = cal.steps[0].levels[0].upper;
      expect(p.intervals[0].upper[0]).toBeCloseTo(1057 + q1 * scale, 9);
      expect(p.intervals[0].lower[0]).toBeCloseTo(1057 - q1 * scale, 9);
      // 6 areas x a few origins: under 39 errors a step, so the steps with errors are used; step 3 by the power law
      expect(cal.steps.map((s) => s.n)).toEqual([30, 24]); // origins 2019-2023 (h=1), 2019-2022 (h=2), 6 areas
      expect(cal.extrapolation).toMatchObject({ calibratedSteps: 2, fallback: true });
      const q2 = cal.steps[1].levels[0].upper;
      const k = Math.max(0.5, Math.log(q2 / q1) / Math.log(2));
      expect(p.intervals[0].upper[2]).toBeCloseTo(1057 + q2 * 1.5 ** k * scale, 9);
      expect(p.intervalBasis).toMatchObject({ calibration: 'pooled', errors: [cal.steps[0].n, cal.steps[1].n, cal.steps[1].n], calibratedSteps: 2 });
      expect(p.caveats.join(' ')).toMatch(/pooled over 6 areas/);
      // auto with auto's calibration
      const pa = forecast(derbyshire, { horizon: 2, conformal: calibrateConformal(bt, { method: 'auto' }) });
      expect(pa.intervalMethod).toBe('conformal');
      // wrong method, missing level, or a calibration with another interval method: errors naming the field
      expect(err(() => forecast(derbyshire, { horizon: 2, method: 'drift', conformal: cal })).problems[0].field).toBe('conformal');
      expect(err(() => forecast(derbyshire, { horizon: 2, method: 'naive', conformal: cal, levels: [50] })).message).toMatch(/not in the calibration/);
      expect(err(() => forecast(derbyshire, { horizon: 2, method: 'naive', conformal: cal, intervals: 'bootstrap' })).problems[0].field).toBe('conformal');
      expect(err(() => forecast(derbyshire, { horizon: 2, intervals: 'wide' as 'analytic' })).problems[0].field).toBe('intervals');
    });
  });

  describe("the defaults (issue 12): the strategy the panel evidence picks; a global method's own pooled bands, else pooled conformal", () => {
    const seed = loadSeed('derbyshire').dataset;
    const cic = findSeries(seed, 'children_in_care');
    // the bundled files read directly, for an independent computation of the bands
    const bundled = JSON.parse(readFileSync(new URL('../../seeds/dfe-conformal.json', import.meta.url), 'utf8')) as {
      measures: Record<string, { calibrations: Record<string, { steps: { n: number; levels: { level: number; upper: number }[] }[] }> }>;
    };
    const quantiles = (measure: string, method: string, level: number): number[] =>
      bundled.measures[measure].calibrations[method].steps.map((st) => st.levels.find((l) => l.level === level)!.upper);
    /** Least-squares slope of log q on log h, floored at 0.5 (the pre-registered rule), computed here on its own. */
    const kOf = (q: readonly number[]): number => {
      const x = q.map((_, i) => Math.log(i + 1));
      const y = q.map(Math.log);
      const mx = x.reduce((a, b) => a + b) / x.length;
      const my = y.reduce((a, b) => a + b) / y.length;
      const b = x.reduce((a, xi, i) => a + (xi - mx) * (y[i] - my), 0) / x.reduce((a, xi) => a + (xi - mx) ** 2, 0);
      return Math.max(0.5, b);
    };

    // the bundled global fit, read directly: what the default applies to a series of children in care
    const globalFile = JSON.parse(readFileSync(new URL('../../seeds/dfe-global.json', import.meta.url), 'utf8')) as {
      fits: Record<string, Record<string, { origin: number; panel: { series: number }; growth: { w: number; phi: number; panelGrowth: number }; bands: { sd: number[]; errors: number[] } }>>;
    };
    const evidenceFile = JSON.parse(readFileSync(new URL('../../seeds/dfe-evidence.json', import.meta.url), 'utf8')) as {
      measures: Record<string, { evidence: { method: string; scores: { strategy: string; mase: number }[]; forecasts: number; areas: number } }>;
    };

    /** The pooled log-normal band rule of the global methods, computed here on its own: sd_h read off the fit, sd_H (h/H)^k beyond H. */
    const sdAt = (sd: readonly number[], h: number): number => (h <= sd.length ? sd[h - 1] : sd[sd.length - 1] * (h / sd.length) ** kOf(sd));
    const Z: Readonly<Record<number, number>> = { 80: 1.2815515655446004, 95: 1.959963984540054 };
    // Derbyshire 2018-2024 rose every year: its mean absolute log yearly change is log(1057 / 719) / 6
    const sigmaDerbyshire = Math.log(1057 / 719) / 6;

    it("Derbyshire to 2035: panelGrowth, chosen by the bundled evidence, with the bundled DfE fit and the method's own pooled bands, steps 9-11 extrapolated", () => {
      const p = forecast(cic, { to: 2035 });
      const ev = evidenceFile.measures.children_in_care.evidence;
      expect(ev.method).toBe('panelGrowth');
      expect(p.requestedMethod).toBe('evidence');
      expect(p.method).toBe('panelGrowth');
      expect(p.selection?.evidence?.method).toBe('panelGrowth');
      // the rule by hand with the bundled fit at 2024: own growth over 5 years (2019 -> 2024), shrunk toward the
      // panel's with weight w, damped by phi: log y_{2024+h} = log 1057 + c (phi + ... + phi^h)
      const fit = globalFile.fits.children_in_care.panelGrowth;
      const { w, phi, panelGrowth: G } = fit.growth;
      const c = w * ((Math.log(1057) - Math.log(802)) / 5) + (1 - w) * G;
      const point = Array.from({ length: 11 }, (_, i) => 1057 * Math.exp(c * Array.from({ length: i + 1 }, (_, j) => phi ** (j + 1)).reduce((a, b) => a + b)));
      expect(p.point).toEqual(point.map((v) => expect.closeTo(v, 9)));
      expect(p.globalFit?.origin).toBe(2024);
      // the default bands of a global method that forecast the series (decided after the issue-12 benchmark's first
      // run, post hoc): its own log-normal bands, log point +/- z sd_h sigma, sd_h read off the rule's errors on the panel
      expect(p.intervalMethod).toBe('analytic');
      expect(fit.bands.sd).toHaveLength(8); // steps 1-8, each with at least 39 errors
      for (const [j, level] of [80, 95].entries()) {
        const half = point.map((_, i) => Z[level] * sdAt(fit.bands.sd, i + 1) * sigmaDerbyshire);
        expect(p.intervals[j].upper).toEqual(point.map((v, i) => expect.closeTo(Math.exp(Math.log(v) + half[i]), 6)));
        expect(p.intervals[j].lower).toEqual(point.map((v, i) => expect.closeTo(Math.exp(Math.log(v) - half[i]), 6)));
      }
      // the figures, rounded (worked out by hand from seeds/dfe-global.json): 2025, 2030 and 2035 (point, 80%, 95%)
      const at = (j: number, i: number): [number, number] => [Math.round(p.intervals[j].lower[i]), Math.round(p.intervals[j].upper[i])];
      expect([0, 5, 10].map((i) => Math.round(p.point[i]))).toEqual([1067, 1121, 1177]);
      expect([at(0, 0), at(0, 5), at(0, 10)]).toEqual([[932, 1222], [755, 1664], [661, 2094]]);
      expect([at(1, 0), at(1, 5), at(1, 10)]).toEqual([[868, 1312], [612, 2051], [488, 2841]]);
      // log-normal distributions, the bands' own
      expect(p.distributions[10]).toEqual({ type: 'exp', of: { type: 'normal', mean: expect.closeTo(Math.log(point[10]), 9), sd: expect.closeTo(sdAt(fit.bands.sd, 11) * sigmaDerbyshire, 9) } });
      expect(p.intervalBasis).toMatchObject({
        method: 'analytic',
        calibration: 'pooled',
        calibrationMethod: 'panelGrowth',
        calibratedSteps: 8,
        extrapolated: [...Array<boolean>(8).fill(false), true, true, true],
        errors: [...fit.bands.errors, fit.bands.errors[7], fit.bands.errors[7], fit.bands.errors[7]],
        scale: expect.closeTo(sigmaDerbyshire, 12),
      });
      const errors = fit.bands.errors.reduce((a, b) => a + b, 0);
      const score = ev.scores.find((x) => x.strategy === 'panelGrowth')!.mase;
      expect(p.summary).toBe(
        `Panel-shrunk growth (own growth shrunk toward the panel\u2019s, damped) with the dynamics fitted on ${fit.panel.series} series at 2024, ` +
          `chosen by panel evidence from ${ev.areas} areas' backtests (DfE LAs, children in care 2011-2024; MASE ${score.toFixed(2)} over 2,063 forecasts, 1-3 years ahead); ` +
          `80% and 95% bands: the method's own pooled bands (log-normal, the spread at steps 1-8 read off ${errors.toLocaleString('en-GB')} errors of the rule across the ${fit.panel.series}-series panel it was fitted on at 2024, ` +
          `later years extrapolated (k = ${String(Number(kOf(fit.bands.sd).toFixed(2)))})).`,
      );
      expect(p.summary).not.toMatch(/conformal/);
      expect(p.caveats.join(' ')).toMatch(/panelGrowth borrowed the dynamics fitted on the DfE panel's 158 local authorities \(children in care\) at 2024/);
      // pooled bands do not rest on the series' 7 points
      expect(p.caveats.join(' ')).not.toMatch(/analytic bands tend to be too narrow|the bands rest on 7 points/);
      // the same as asking for it in full, and as asking for panelGrowth by name
      expect(forecast(cic, { to: 2035, method: 'evidence', intervals: 'analytic' })).toEqual(p);
      expect(forecast(cic, { to: 2035, method: 'panelGrowth' }).intervals).toEqual(p.intervals);
    });

    it("intervals 'conformal' still gives panelGrowth's pooled conformal bands from the bundled calibration, step 11 extrapolated, and the summary says so", () => {
      const p = forecast(cic, { to: 2035, intervals: 'conformal' });
      const ev = evidenceFile.measures.children_in_care.evidence;
      const fit = globalFile.fits.children_in_care.panelGrowth;
      expect(p.method).toBe('panelGrowth');
      expect(p.intervalMethod).toBe('conformal');
      // the same point as the default: only the bands differ
      expect(p.point).toEqual(forecast(cic, { to: 2035 }).point);
      const point = p.point;
      const scale = 338 / 6; // 719 -> 1057 in 6 rising steps
      for (const [j, level] of [80, 95].entries()) {
        const q = quantiles('children_in_care', 'panelGrowth', level);
        expect(q).toHaveLength(10); // steps 1-10, each with at least 39 errors
        const k = kOf(q);
        const off = [...q, q[9] * 1.1 ** k];
        expect(p.intervals[j].upper).toEqual(off.map((x, i) => expect.closeTo(point[i] + x * scale, 6)));
        expect(p.intervals[j].lower).toEqual(off.map((x, i) => expect.closeTo(Math.max(0, point[i] - x * scale), 6)));
      }
      expect(p.intervalBasis).toMatchObject({
        method: 'conformal',
        calibration: 'pooled',
        calibrationMethod: 'panelGrowth',
        calibratedSteps: 10,
        areas: 155,
        extrapolated: [...Array<boolean>(10).fill(false), true],
        errors: [1496, 1344, 1191, 1039, 888, 741, 884, 733, 585, 437, 437],
      });
      const score = ev.scores.find((x) => x.strategy === 'panelGrowth')!.mase;
      const k = (level: number): string => String(Number(kOf(quantiles('children_in_care', 'panelGrowth', level)).toFixed(2)));
      expect(p.summary).toBe(
        `Panel-shrunk growth (own growth shrunk toward the panel\u2019s, damped) with the dynamics fitted on ${fit.panel.series} series at 2024, ` +
          `chosen by panel evidence from ${ev.areas} areas' backtests (DfE LAs, children in care 2011-2024; MASE ${score.toFixed(2)} over 2,063 forecasts, 1-3 years ahead); ` +
          `80% and 95% bands: pooled conformal, calibrated on 9,338 errors of 155 areas at steps 1-10, later years extrapolated (k = ${k(80)} at 80%, ${k(95)} at 95%).`,
      );
      expect(p.caveats.join(' ')).toMatch(/Beyond 10 years ahead \(1 of 11 projected years\)/);
      // the distribution at step 11: step 10's offsets widened by (11/10)^k of their side and central coverage (one k per level, symmetric)
      expect(p.distributions[10].type).toBe('sample');
    });

    it('where naive stands in for the global method the evidence picks, the bands are still its calibration, and the summary says so', () => {
      // a value below 1 in the last 6 years: not eligible for the log-scale rule
      const tiny = { ...cic, points: [3, 2, 0, 1, 2, 1, 2].map((value, i) => ({ year: 2018 + i, value })) };
      const p = forecast(tiny, { to: 2027 });
      expect(p.method).toBe('naive');
      expect(p.point).toEqual([2, 2, 2]);
      // a naive stand-in keeps pooled conformal bands (the global method's calibration, whose backtests counted
      // its stand-ins as its own), not the global method's own bands: point +/- q_h x the mean absolute yearly change
      expect(p.intervalMethod).toBe('conformal');
      expect(p.intervalBasis).toMatchObject({ method: 'conformal', calibration: 'pooled', calibrationMethod: 'panelGrowth' });
      const scale = (1 + 2 + 1 + 1 + 1 + 1) / 6;
      for (const [j, level] of [80, 95].entries()) {
        const q = quantiles('children_in_care', 'panelGrowth', level).slice(0, 3);
        expect(p.intervals[j].upper).toEqual(q.map((x) => expect.closeTo(2 + x * scale, 9)));
        expect(p.intervals[j].lower).toEqual(q.map((x) => expect.closeTo(Math.max(0, 2 - x * scale), 9)));
      }
      expect(p.summary).not.toMatch(/own pooled bands/);
      expect(p.summary).toMatch(/^Naive \(last value\), in place of panelGrowth \(picked by panel evidence\), whose rule this series is not eligible for; 80% and 95% bands: pooled conformal, calibrated on [\d,]+ panelGrowth errors/);
    });

    it('a user series of no known measure: its own choice and analytic bands, and the summary says why', () => {
      const p = forecast(derbyshire, { to: 2030 });
      expect(p.method).toBe('drift');
      expect(p.intervalMethod).toBe('analytic');
      expect(p.summary).toBe(
        "Drift (last value plus the mean yearly change), chosen by this series' own rolling-origin errors (MASE 0.78 over 10 forecasts): no panel evidence for a series without a measure is bundled; " +
          "80% and 95% bands: analytic (the drift model's own).",
      );
      const own = p.selection?.scores.find((x) => x.method === 'drift');
      expect(own).toMatchObject({ forecasts: 10, mase: expect.closeTo(0.78, 2) });
      // another measure name, e.g. a placement group, is no bundled measure either
      const other = forecast({ ...cic, measure: 'in_house_fostering' }, { to: 2030 });
      expect(other.summary).toMatch(/no panel evidence for in_house_fostering is bundled; 80% and 95% bands: analytic/);
    });

    it("method 'auto': the series' own choice with auto's calibration; a named method: its own calibration", () => {
      const a = forecast(cic, { to: 2035, method: 'auto' });
      expect(a.method).toBe('drift');
      expect(a.intervalBasis).toMatchObject({ calibration: 'pooled', calibrationMethod: 'auto' });
      const qa = quantiles('children_in_care', 'auto', 80);
      expect(a.intervals[0].upper[0]).toBeCloseTo(a.point[0] + qa[0] * (338 / 6), 6);
      expect(a.summary).toMatch(/^Drift \(last value plus the mean yearly change\), chosen by this series' own rolling-origin errors \(MASE 0\.78 over 10 forecasts\); 80% and 95% bands: pooled conformal, calibrated on 9,338 auto errors of 155 areas/);
      const d = forecast(cic, { to: 2027, method: 'drift' });
      expect(d.intervalBasis).toMatchObject({ calibrationMethod: 'drift', calibratedSteps: 10 });
      expect(d.intervals[1].upper[2]).toBeCloseTo(d.point[2] + quantiles('children_in_care', 'drift', 95)[2] * (338 / 6), 6);
      expect(d.summary).toMatch(/^Drift \(last value plus the mean yearly change\), as asked; 80% and 95% bands: pooled conformal, calibrated on 3,579 errors of 153 areas at steps 1-3\.$/);
    });

    it('evidence that picks a rate method: applied with the population given; without one the series chooses, and says why', () => {
      const base = forecast(cic, { to: 2027 }).selection!.evidence!;
      const rateEvidence: PanelEvidence = { ...base, method: 'panelGrowthRate', scores: [{ strategy: 'panelGrowthRate', mase: 1.7, se: 0.05 }, ...base.scores] };
      const derby = loadDfePanelArea('Derby');
      const population = dfePanelPopulations(loadDfePanel()).populations.get('Derby');
      expect(population).toBeDefined();
      const withPop = forecast(derby.childrenInCare, { to: 2027, evidence: rateEvidence, population });
      expect(withPop.method).toBe('panelGrowthRate');
      // its own pooled bands by default: the bundled rate fit's spread, read off steps with at least 39 errors
      const rateFit = globalFile.fits.children_in_care.panelGrowthRate;
      const H = rateFit.bands.errors.filter((e) => e >= 39).length;
      expect(rateFit.bands.sd).toHaveLength(H);
      expect(withPop.intervalBasis).toMatchObject({ method: 'analytic', calibration: 'pooled', calibrationMethod: 'panelGrowthRate', calibratedSteps: H });
      expect(withPop.summary).toMatch(new RegExp(`80% and 95% bands: the method's own pooled bands \\(log-normal, the spread at steps 1-${H} read off `));
      // asked for, its bundled conformal calibration (from origin 2020: steps 1-4)
      const conf = forecast(derby.childrenInCare, { to: 2027, evidence: rateEvidence, population, intervals: 'conformal' });
      expect(conf.point).toEqual(withPop.point);
      expect(conf.intervalBasis).toMatchObject({ method: 'conformal', calibration: 'pooled', calibrationMethod: 'panelGrowthRate', calibratedSteps: 4 });
      const without = forecast(derby.childrenInCare, { to: 2027, evidence: rateEvidence });
      expect(without.method).not.toMatch(/^panel/);
      expect(without.caveats.join(' ')).toMatch(/The panel evidence favours panelGrowthRate, which forecasts the rate per 10,000 children and needs this series' child population \(population\), not given/);
      expect(without.summary).toMatch(/panel evidence favours panelGrowthRate, which this series cannot use/);
      expect(without.intervalBasis).toMatchObject({ calibrationMethod: 'auto' });
    });

    it('analytic and bootstrap bands still come when asked for, with the analytic caveat', () => {
      const n = forecast(cic, { to: 2030, method: 'naive', intervals: 'analytic' });
      expect(n.intervals).toEqual(fitMethod('naive', cic.points.map((x) => x.value as number)).forecast(6, { levels: [80, 95] }).intervals);
      expect(n.caveats.join(' ')).toMatch(/analytic bands tend to be too narrow/);
      expect(n.summary).toMatch(/80% and 95% bands: analytic \(the naive model's own\)\.$/);
      // the default method's analytic bands: log-normal, log point ± z s_h sigma, s_h the bundled fit's pooled sd,
      // sigma the series' mean absolute log yearly change
      const p = forecast(cic, { to: 2030, intervals: 'analytic' });
      expect(p.method).toBe('panelGrowth');
      expect(p.intervalMethod).toBe('analytic');
      const sigma = [802 / 719, 861 / 802, 899 / 861, 909 / 899, 995 / 909, 1057 / 995].reduce((a, r) => a + Math.log(r), 0) / 6;
      const fit = globalFile.fits.children_in_care.panelGrowth;
      const z80 = 1.2815515655446004;
      expect(p.intervals[0].upper[0]).toBeCloseTo(Math.exp(Math.log(p.point[0]) + z80 * fit.bands.sd[0] * sigma), 6);
      expect(p.intervals[0].lower[0]).toBeCloseTo(Math.exp(Math.log(p.point[0]) - z80 * fit.bands.sd[0] * sigma), 6);
      // a global method's analytic bands are its own pooled bands (the default for it): they do not rest on the 7 points
      expect(p.caveats.join(' ')).not.toMatch(/analytic bands tend to be too narrow/);
      expect(p.summary).toMatch(/80% and 95% bands: the method's own pooled bands \(log-normal, the spread at steps 1-6 read off [\d,]+ errors of the rule across the 158-series panel it was fitted on at 2024\)\.$/);
      expect(forecast(cic, { to: 2030 })).toEqual(p);
      const b = forecast(cic, { to: 2027, method: 'drift', intervals: 'bootstrap', bootstrap: { paths: 200, seed: 3 } });
      expect(b.summary).toMatch(/bands: bootstrap \(200 paths resampling 6 residuals\)\.$/);
    });

    it('the flows: their own evidence and calibration (4 steps); a method the panel is too short for: analytic, said', () => {
      const started = findSeries(seed, 'started');
      const p = forecast(started, { to: 2030 });
      expect(p.method).toBe('naive');
      expect(p.selection?.evidence?.source).toBe('DfE LAs, children starting care 2019-2024');
      expect(p.intervalBasis).toMatchObject({ calibration: 'pooled', calibratedSteps: 4, extrapolated: [false, false, false, false, true, true, true] });
      const q = quantiles('started', 'naive', 95);
      expect(q).toHaveLength(4);
      // 338, 375, 394, 375, 334, 482: mean absolute yearly change (37 + 19 + 19 + 41 + 148) / 5
      expect(p.intervals[1].upper[6]).toBeCloseTo(482 + q[3] * (7 / 4) ** kOf(q) * ((37 + 19 + 19 + 41 + 148) / 5), 6);
      const rg = forecast(started, { to: 2027, method: 'repeatGrowth' });
      expect(rg.intervalMethod).toBe('analytic');
      expect(rg.caveats).toContain("No bundled calibration of repeatGrowth for started (the DfE panel is too short for it): the bands are analytic (the model's own).");
    });

    it('levels the bundled calibration lacks: analytic by default, an error when conformal is asked for', () => {
      // a single-series method: pooled conformal by default, analytic (said) for a level not calibrated
      const d = forecast(cic, { to: 2027, method: 'drift', levels: [80, 99] });
      expect(d.intervalMethod).toBe('analytic');
      expect(d.caveats.join(' ')).toMatch(/The bundled calibration of drift for children_in_care has the levels 50, 80, 90, 95, not 99: the bands are analytic/);
      // a global method's own pooled bands need no calibration: any level, no caveat
      const p = forecast(cic, { to: 2027, levels: [80, 99] });
      expect(p.intervalMethod).toBe('analytic');
      expect(p.intervalBasis).toMatchObject({ calibration: 'pooled', calibrationMethod: 'panelGrowth' });
      expect(p.caveats.join(' ')).not.toMatch(/not 99/);
      const sd1 = globalFile.fits.children_in_care.panelGrowth.bands.sd[0];
      expect(p.intervals[1].upper[0]).toBeCloseTo(Math.exp(Math.log(p.point[0]) + 2.5758293035489004 * sd1 * sigmaDerbyshire), 6);
      expect(() => forecast(cic, { to: 2027, levels: [99], intervals: 'conformal' })).toThrow(/level 99 not in the bundled calibration of panelGrowth for children_in_care/);
      expect(forecast(cic, { to: 2027, levels: [50, 90] }).intervals.map((iv) => iv.level)).toEqual([50, 90]);
    });

    it("a global method fitted on a small panel of your own: with no step of 39 errors its bands are the log random walk's, said as analytic", () => {
      const panel = new Map(
        [0, 1, 2, 3, 4, 5].map((a) => [`LA${a}`, derbyshire.map((d, i) => ({ year: d.year, value: d.value + a * 40 + i * (20 + 5 * a) }))]),
      );
      const p = forecast(cic, { to: 2027, method: 'panelGrowth', panel });
      expect(p.method).toBe('panelGrowth');
      expect(p.globalFit?.bands.sd).toEqual([]);
      expect(p.intervalMethod).toBe('analytic');
      expect(p.intervalBasis).toBeUndefined();
      // sd_h = sqrt(pi / 2) sqrt(h) times the series' own log scale
      expect(p.intervals[0].upper[1]).toBeCloseTo(Math.exp(Math.log(p.point[1]) + Z[80] * Math.sqrt(Math.PI / 2) * Math.SQRT2 * sigmaDerbyshire), 6);
      expect(p.summary).toMatch(/; 80% and 95% bands: analytic \(the panelGrowth model's own\)\.$/);
      expect(p.caveats.join(' ')).toMatch(/analytic bands tend to be too narrow/);
    });

    it('evidence of your own replaces the bundled one; evidence with a named method is an error', () => {
      const panel = new Map(
        [0, 1, 2, 3, 4, 5].map((a) => [`LA${a}`, derbyshire.map((d, i) => ({ year: d.year, value: d.value + a * 40 + i * (20 + 5 * a) }))]),
      );
      const evidence = panelEvidence(backtestPanel(panel, { methods: ['naive', 'drift', 'auto'], horizon: 2 }), { source: 'six trending areas' });
      expect(evidence.method).toBe('drift');
      const p = forecast(cic, { to: 2027, evidence });
      expect(p.method).toBe('drift');
      expect(p.summary).toMatch(/^Drift \(last value plus the mean yearly change\), chosen by panel evidence from 6 areas' backtests \(six trending areas; MASE /);
      expect(p.intervalBasis).toMatchObject({ calibrationMethod: 'drift' });
      expect(() => forecast(cic, { to: 2027, method: 'naive', evidence })).toThrow(/panel evidence decides the method, but the method asked for is naive/);
    });
  });
});
