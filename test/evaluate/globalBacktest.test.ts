import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { dfePanelPopulations } from '../../src/data/ons/panelPopulation.js';
import { loadDfePanel, panelSeries } from '../../src/data/panel.js';
import type { YearValue } from '../../src/data/yearValue.js';
import { backtest, backtestPanel } from '../../src/evaluate/backtest.js';
import { calibrateConformal } from '../../src/evaluate/conformalBacktest.js';
import { panelEvidence } from '../../src/evaluate/panelEvidence.js';
import { parsePanelEvidence } from '../../src/models/evidenceFile.js';
import { createRng } from '../../src/math/rng.js';
import { loadDfeGlobal } from '../../src/models/global/dfeGlobal.js';
import { fitGlobal, forecastWithGlobal } from '../../src/models/global/fitGlobal.js';
import { selectMethod, SIMPLICITY_ORDER } from '../../src/models/selectMethod.js';
import { forecast } from '../../src/project/forecast.js';
import { errorOf } from '../helpers/inputError.js';

type Panel = Map<string, YearValue[]>;

function syntheticPanel(seed: number, G: number, tau: number, sigma: number, n = 60, years = 14): Panel {
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

const cut = (p: Panel, origin: number): Panel => new Map([...p].map(([k, v]) => [k, v.filter((q) => q.year <= origin)]));

describe('global methods in forecast()', () => {
  const derby = loadDfePanel().series.get('Derby')!.childrenInCare;

  it('with no panel, borrows the bundled DfE fit for the measure and says so in one sentence', () => {
    const p = forecast(derby, { to: 2029, method: 'panelGrowth' });
    const fit = loadDfeGlobal('children_in_care').fits.panelGrowth!;
    expect(p.method).toBe('panelGrowth');
    expect(p.requestedMethod).toBe('panelGrowth');
    expect(p.globalFit).toEqual(fit);
    expect(p.point).toEqual(forecastWithGlobal(fit, derby.points, 5).point);
    const said = p.caveats.filter((c) => c.includes('borrowed the dynamics fitted on the DfE panel'));
    expect(said).toHaveLength(1);
    expect(said[0].split('. ').length).toBe(1); // one sentence
    expect(p.years).toEqual([2025, 2026, 2027, 2028, 2029]);
    expect(p.intervals.map((iv) => iv.level)).toEqual([80, 95]);
    expect(p.intervals[1].lower[4]).toBeLessThan(p.intervals[0].lower[4]);
  });

  it('with a panel map, fits on it at the series last year; with a fit, uses that fit', () => {
    const panel = syntheticPanel(1, 0.03, 0.02, 0.05);
    const s = panel.get('s4')!;
    const p = forecast(s, { horizon: 3, method: 'panelAR', panel });
    expect(p.globalFit?.origin).toBe(2024);
    expect(p.point).toEqual(forecastWithGlobal(fitGlobal('panelAR', panel), s, 3).point);
    expect(p.caveats[p.caveats.length - 1]).toMatch(/pooled regression/);
    const fit = fitGlobal('panelGrowth', cut(panel, 2020));
    const q = forecast(cut(panel, 2020).get('s4')!, { horizon: 2, method: 'panelGrowth', panel: fit });
    expect(q.point).toEqual(forecastWithGlobal(fit, cut(panel, 2020).get('s4')!, 2).point);
    expect(errorOf(() => forecast(s, { horizon: 2, method: 'panelAR', panel: fit })).problems[0].field).toBe('panel');
  });

  it('refuses bootstrap bands and conformal bands without a pooled calibration; accepts a pooled calibration', () => {
    const panel = syntheticPanel(1, 0.03, 0.02, 0.05);
    const s = panel.get('s1')!;
    expect(errorOf(() => forecast(s, { horizon: 2, method: 'panelGrowth', panel, intervals: 'bootstrap' })).problems[0].field).toBe('intervals');
    expect(errorOf(() => forecast(s, { horizon: 2, method: 'panelGrowth', panel, intervals: 'conformal' })).problems[0].field).toBe('conformal');
    const bt = backtestPanel(panel, { methods: ['panelGrowth'], horizon: 3, origins: [2019, 2020, 2021] });
    const cal = calibrateConformal(bt, { method: 'panelGrowth', levels: [80, 95] });
    const p = forecast(s, { horizon: 3, method: 'panelGrowth', panel, conformal: cal });
    expect(p.intervalMethod).toBe('conformal');
    expect(p.intervalBasis?.calibration).toBe('pooled');
  });

  it('rate methods need the population; for a DfE LA it comes from dfePanelPopulations', () => {
    expect(errorOf(() => forecast(derby, { horizon: 3, method: 'panelGrowthRate' })).problems[0].field).toBe('population');
    const population = dfePanelPopulations(loadDfePanel()).populations.get('Derby')!;
    const p = forecast(derby, { horizon: 3, method: 'panelGrowthRate', population });
    expect(p.method).toBe('panelGrowthRate');
    expect(p.caveats.some((c) => /rate per 10,000 children is multiplied by the population projected as known in 2024/.test(c))).toBe(true);
  });

  it('plain values borrow the children-in-care fit and say so; another measure without a bundled fit is an error', () => {
    const p = forecast([{ year: 2022, value: 909 }, { year: 2023, value: 995 }, { year: 2024, value: 1057 }], { horizon: 2, method: 'panelGrowth' });
    expect(p.caveats.some((c) => /as which these plain values are read/.test(c))).toBe(true);
    const placements = { ...derby, measure: 'placements' };
    expect(errorOf(() => forecast(placements, { horizon: 2, method: 'panelGrowth' })).problems[0].field).toBe('panel');
  });

  it('per-series auto never chooses a global method; panel evidence that recommends one makes forecast() apply it', () => {
    expect(SIMPLICITY_ORDER.slice(-4)).toEqual(['panelGrowth', 'panelAR', 'panelGrowthRate', 'panelARRate']);
    expect(selectMethod(derby.points.map((q) => q.value).filter((v): v is number => v !== null)).method).not.toMatch(/^panel/);
    const evidence = parsePanelEvidence(
      { kind: 'panelEvidence', method: 'panelGrowth', scores: [{ strategy: 'panelGrowth', mase: 1.7, se: 0.03 }, { strategy: 'naive', mase: 1.9, se: 0.03 }], excluded: [], forecasts: 100, areas: 10, asOf: 2023, maxStep: 3, source: 'test', rule: 'test' },
      'test',
    );
    const p = forecast(derby, { to: 2027, method: 'auto', evidence });
    expect(p.method).toBe('panelGrowth');
    expect(p.requestedMethod).toBe('auto');
    expect(p.selection?.rule).toMatch(/favours panelGrowth, a global method/);
  });
});

describe('global methods in the backtests', () => {
  const panel = syntheticPanel(3, 0.02, 0.02, 0.05, 40);
  const origins = [2014, 2016, 2017, 2019, 2021];

  it('backtestPanel fits each global method at each origin on the panel cut there: rows equal fitGlobal + forecastWithGlobal', () => {
    const r = backtestPanel(panel, { methods: ['naive', 'panelGrowth', 'panelAR'], horizon: 3, origins });
    for (const method of ['panelGrowth', 'panelAR'] as const) {
      for (const o of [2016, 2019]) {
        const fit = fitGlobal(method, cut(panel, o), { origin: o });
        const rows = r.byArea.get('s7')!.forecasts.filter((f) => f.method === method && f.origin === o);
        const f = forecastWithGlobal(fit, cut(panel, o).get('s7')!, rows.length);
        rows.forEach((row, i) => {
          expect(row.point).toBeCloseTo(f.point[i], 9);
          expect(row.lo_80).toBeCloseTo(f.intervals[0].lower[i], 9);
        });
      }
    }
    // at 2014 panelAR has one row-year per series (m = mean of the lags): naive, counted
    expect(r.byArea.get('s7')!.forecasts.filter((f) => f.method === 'panelAR' && f.origin === 2014).every((f) => f.model === 'naive')).toBe(true);
    expect(r.caveats.some((c) => /panelAR forecast 40 \(area, origin\) pairs by naive/.test(c))).toBe(true);
    expect(r.caveats.some((c) => /fitted at each origin on every series of this panel cut at that origin/.test(c))).toBe(true);
    const pooled = r.pooled.filter((s) => s.h === null);
    expect(pooled.map((s) => s.n)).toEqual([pooled[0].n, pooled[0].n, pooled[0].n]);
  });

  it('uses no later year: changing every value after an origin leaves that origin\u2019s forecasts unchanged', () => {
    const changed: Panel = new Map([...panel].map(([k, v]) => [k, v.map((q) => (q.year > 2017 && q.value !== null ? { ...q, value: q.value * 3 } : q))]));
    const a = backtestPanel(panel, { methods: ['panelGrowth', 'panelAR'], horizon: 2, origins: [2016, 2017] });
    const b = backtestPanel(changed, { methods: ['panelGrowth', 'panelAR'], horizon: 2, origins: [2016, 2017] });
    for (const [k, r] of a.byArea) {
      r.forecasts.forEach((f, i) => expect(b.byArea.get(k)!.forecasts[i].point).toBe(f.point));
    }
  });

  it('evidence as known includes the global methods, in the pre-registered order', () => {
    const r = backtestPanel(panel, { methods: ['auto'], horizon: 2, origins: [2019, 2020, 2021], evidence: 'asKnown' });
    const e = r.evidence!.get(2021)!;
    const strategies = [...e.scores.map((s) => s.strategy), ...e.excluded];
    expect(strategies).toContain('panelGrowth');
    expect(strategies).toContain('panelAR');
    expect(strategies).not.toContain('panelGrowthRate'); // no populations given
    const bt = backtestPanel(panel, { methods: ['naive', 'panelGrowth'], horizon: 3, origins });
    const ev = panelEvidence(bt);
    expect(ev.scores.map((s) => s.strategy).sort()).toEqual(['naive', 'panelGrowth']);
  });

  it('rate methods need populations, and run where a series has two years of them', () => {
    expect(errorOf(() => backtestPanel(panel, { methods: ['panelGrowthRate'], horizon: 2 })).problems[0].field).toBe('populations');
    const populations = new Map(
      [...panel.keys()].map((k) => [
        k,
        {
          observed: [2019, 2020, 2021, 2022, 2023, 2024].map((year) => ({ year, value: 20000 })),
          projection: Array.from({ length: 26 }, (_, i) => ({ year: 2018 + i, value: 1000 })),
          source: 'flat',
        },
      ]),
    );
    const r = backtestPanel(panel, { methods: ['panelGrowthRate', 'panelGrowth'], horizon: 2, origins: [2019, 2020, 2021, 2022], populations });
    const rows = r.byArea.get('s1')!.forecasts;
    expect(rows.filter((f) => f.method === 'panelGrowthRate').map((f) => f.origin)).toEqual([2020, 2020, 2021, 2021, 2022, 2022]);
    expect(r.byArea.get('s1')!.failures).toEqual([expect.objectContaining({ method: 'panelGrowthRate', origin: 2019 })]);
    // a flat population: the rate rule is the count rule on counts / 2
    const fitR = fitGlobal('panelGrowthRate', cut(panel, 2022), { origin: 2022, population: populations });
    const half: Panel = new Map([...cut(panel, 2022)].map(([k, v]) => [k, v.filter((q) => q.year >= 2019).map((q) => ({ ...q, value: q.value === null ? null : q.value / 2 }))]));
    const fitC = fitGlobal('panelGrowth', half, { origin: 2022 });
    expect(fitR.growth?.w).toBe(fitC.growth?.w);
    expect(fitR.growth?.panelGrowth).toBeCloseTo(fitC.growth!.panelGrowth, 12);
  });

  it('backtest() of one series uses the bundled fit and says it knew later years', () => {
    const derby = loadDfePanel().series.get('Derby')!.childrenInCare;
    const r = backtest(derby, { methods: ['naive', 'panelGrowth'], horizon: 2, origins: [2020, 2021, 2022] });
    expect(r.forecasts.filter((f) => f.method === 'panelGrowth')).toHaveLength(6);
    expect(r.caveats.some((c) => /bundled DfE panel \(children in care\) at 2024, so at earlier origins it knew later years/.test(c))).toBe(true);
  });

  it('rejects unknown methods naming the global ones', () => {
    const e = errorOf(() => backtestPanel(panel, { methods: ['panelBogus' as 'naive'], horizon: 2 }));
    expect(e).toBeInstanceOf(CarecastInputError);
    expect(e.problems[0].fix).toMatch(/panelGrowth, panelAR, panelGrowthRate, panelARRate/);
  });
});

describe('the DfE panel: populations and bundled fits', () => {
  it('matches LAs to the ONS projection by current or former code; the abolished ones are listed as missing', () => {
    const { populations, missing } = dfePanelPopulations(loadDfePanel());
    expect(populations.get('North Yorkshire')?.source).toMatch(/North Yorkshire/);
    expect(populations.get('Somerset')?.projection).toHaveLength(26);
    expect(missing.map((m) => m.area).sort()).toEqual(['Bournemouth', 'Cumbria', 'Dorset (835)', 'Northamptonshire', 'Poole']);
    expect(populations.get('Derby')?.observed.at(-1)).toEqual({ year: 2024, value: 60058 });
  });

  it('bundles every global method for children in care, starters and leavers, fitted at 2024', () => {
    for (const m of ['children_in_care', 'started', 'ceased']) {
      const g = loadDfeGlobal(m);
      expect(g.origin).toBe(2024);
      expect(Object.keys(g.fits).sort()).toEqual(['panelAR', 'panelARRate', 'panelGrowth', 'panelGrowthRate']);
      expect(g.fits.panelGrowth?.panel.series).toBe(panelSeries(loadDfePanel(), (s) => (m === 'children_in_care' ? s.childrenInCare : m === 'started' ? s.started : s.ceased)).size);
    }
    expect(errorOf(() => loadDfeGlobal('placements')).problems[0].field).toBe('measure');
  });

  it('the bundled fit is what fitGlobal gives on the bundled panel (the generator is reproducible)', () => {
    const cic = panelSeries(loadDfePanel());
    const fit = fitGlobal('panelGrowth', cic, { origin: 2024 });
    const b = loadDfeGlobal().fits.panelGrowth!;
    expect(b.growth).toEqual(fit.growth);
    expect(b.bands.sd).toEqual(fit.bands.sd);
  });
});
