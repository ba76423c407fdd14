/**
 * Cross-learning across a panel: panelEvidence's scores and one-standard-error
 * choice by hand, its filters (asOf, maxStep, minShare), synthetic panels where
 * the right answer is known (trending series: a trend method; random walks:
 * naive), backtestPanel's 'asKnown' evidence using no error from after an
 * origin, forecast()/selectMethod following evidence, the JSON schema, the CLI
 * options, and the bundled DfE evidence reproduced from the data.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/cli/backtest.js';
import { runProject } from '../../src/cli/project.js';
import { dfePanelPopulations } from '../../src/data/ons/panelPopulation.js';
import { loadDfePanel, panelSeries } from '../../src/data/panel.js';
import type { SeriesInput, YearValue } from '../../src/data/yearValue.js';
import { backtest, backtestPanel } from '../../src/evaluate/backtest.js';
import type { BacktestForecast, BacktestMethod, PanelBacktestResult } from '../../src/evaluate/backtestTypes.js';
import { dfeEvidenceMeasures, loadDfeEvidence, parsePanelEvidence } from '../../src/models/evidenceFile.js';
import type { DfePanelSeries } from '../../src/data/dfe/panelTypes.js';
import { panelEvidence } from '../../src/evaluate/panelEvidence.js';
import { createRng } from '../../src/math/rng.js';
import { selectMethod, type PanelEvidence } from '../../src/models/selectMethod.js';
import { forecast } from '../../src/project/forecast.js';
import { errorOf } from '../helpers/inputError.js';

/** A backtest row with only what panelEvidence reads filled in meaningfully. */
function row(method: BacktestMethod, area: string, origin: number, h: number, absScaled: number | null): BacktestForecast {
  return {
    area,
    method,
    model: method === 'auto' ? 'naive' : method,
    origin,
    target: origin + h,
    h,
    trainingYears: 5,
    actual: absScaled === null ? null : 100,
    point: 100,
    error: absScaled,
    scale: 1,
    scaledError: absScaled,
    crps: null,
    scaledCrps: null,
    lo_80: 0,
    hi_80: 0,
  } as BacktestForecast;
}

/** naive, drift and auto on areas A and B, origin 2015, steps 1-2, with the given |scaled errors| (A16, A17, B16, B17). */
function rows(naive: number[], drift: number[], auto: number[]): BacktestForecast[] {
  const out: BacktestForecast[] = [];
  for (const [m, e] of [['naive', naive], ['drift', drift], ['auto', auto]] as const) {
    out.push(row(m, 'A', 2015, 1, e[0]), row(m, 'A', 2015, 2, e[1]), row(m, 'B', 2015, 1, e[2]), row(m, 'B', 2015, 2, e[3]));
  }
  return out;
}

describe('panelEvidence: scores and the one-standard-error rule by hand', () => {
  it('keeps naive when the best (drift) leads by less than one standard error', () => {
    // naive 1, 2, 1, 2: mean 1.5; drift 1.3, 1.5, 1.1, 1.7: mean 1.4, population variance 2.01 - 1.96 = 0.05, se sqrt(0.05 / 3)
    const e = panelEvidence(rows([1, 2, 1, 2], [1.3, 1.5, 1.1, 1.7], [1, 2, 1, 1.6]));
    expect(e.scores.map((s) => s.strategy)).toEqual(['drift', 'auto', 'naive']);
    expect(e.scores[0].mase).toBeCloseTo(1.4, 12);
    expect(e.scores[0].se).toBeCloseTo(Math.sqrt(0.05 / 3), 12);
    expect(e.scores.find((s) => s.strategy === 'naive')!.se).toBeCloseTo(Math.sqrt(0.25 / 3), 12);
    expect(e.scores.find((s) => s.strategy === 'auto')!.mase).toBeCloseTo(1.4, 12);
    // limit 1.4 + 0.1291 = 1.529 >= naive's 1.5: the simplest within it is naive
    expect(e.method).toBe('naive');
    expect(e.forecasts).toBe(4);
    expect(e.areas).toBe(2);
    expect(e.maxStep).toBe(2);
    expect(e.asOf).toBeNull();
    expect(e.excluded).toEqual([]);
    expect(e.rule).toMatch(/simplest strategy .* within one standard error of the lowest \(drift 1\.400 ± 0\.129\)/);
  });

  it('takes drift when it leads by more than one standard error', () => {
    // drift 1.0, 1.2, 0.8, 1.4: mean 1.1, se 0.129: limit 1.229 < naive's 1.5
    const e = panelEvidence(rows([1, 2, 1, 2], [1, 1.2, 0.8, 1.4], [1, 2, 1, 1.6]));
    expect(e.method).toBe('drift');
    expect(e.scores[0]).toMatchObject({ strategy: 'drift' });
    expect(e.scores[0].mase).toBeCloseTo(1.1, 12);
  });

  it('chooses auto (per-series choice) only when no fixed method is within one standard error of it', () => {
    const e = panelEvidence(rows([2, 3, 2, 3], [2.1, 3.1, 2.1, 3.1], [0.5, 0.6, 0.5, 0.6]));
    expect(e.method).toBe('auto');
  });

  it('scores every strategy on the forecasts they all share, within asOf and maxStep', () => {
    const base = rows([1, 2, 1, 2], [1.3, 1.5, 1.1, 1.7], [1, 2, 1, 1.6]);
    // naive alone has an extra forecast (not shared: ignored); a later target (asOf) and step 3 (maxStep)
    const extra = [
      row('naive', 'C', 2015, 1, 50),
      ...(['naive', 'drift', 'auto'] as const).map((m) => row(m, 'A', 2016, 2, m === 'naive' ? 0 : 40)),
      ...(['naive', 'drift', 'auto'] as const).map((m) => row(m, 'B', 2014, 3, m === 'naive' ? 0 : 40)),
      row('drift', 'A', 2016, 1, null),
    ];
    const all = panelEvidence([...base, ...extra]);
    expect(all.forecasts).toBe(6);
    expect(all.maxStep).toBe(3);
    const within = panelEvidence([...base, ...extra], { asOf: 2017, maxStep: 2 });
    const alone = panelEvidence(base);
    expect(within.scores).toEqual(alone.scores);
    expect(within.asOf).toBe(2017);
    expect(within.method).toBe('naive');
    // the two later forecasts, where naive is perfect, make naive the lowest
    expect(all.scores[0].strategy).toBe('naive');
  });

  it('leaves out a strategy with too few of the reference forecasts, unless minShare allows it', () => {
    const base = [...rows([1, 2, 1, 2], [1.3, 1.5, 1.1, 1.7], [1, 2, 1, 1.6]), row('dampedTrend', 'A', 2015, 1, 0.1)];
    const e = panelEvidence(base);
    expect(e.excluded).toEqual(['dampedTrend']);
    expect(e.forecasts).toBe(4);
    const loose = panelEvidence(base, { minShare: 0.25 });
    expect(loose.excluded).toEqual([]);
    expect(loose.forecasts).toBe(1);
    expect(loose.method).toBe('dampedTrend');
  });

  it('accepts backtestPanel results and says when there is nothing to go on', () => {
    expect(() => panelEvidence(rows([1, 2, 1, 2], [1, 1, 1, 1], [1, 1, 1, 1]), { asOf: 2015 })).toThrow(RangeError);
    expect(() => panelEvidence([])).toThrow(/no scored forecasts/);
    expect(() => panelEvidence(rows([1, 2, 1, 2], [1, 1, 1, 1], [1, 1, 1, 1]), { minShare: 0 })).toThrow(/minShare/);
  });
});

describe('panelEvidence invariants (property)', () => {
  const ORDER: BacktestMethod[] = ['naive', 'drift', 'linear', 'loglinear', 'theta', 'dampedTrend', 'repeatGrowth', 'auto'];
  it('scores sorted; the choice is within one standard error of the lowest and no simpler strategy is', () => {
    fc.assert(
      fc.property(
        fc.subarray(ORDER, { minLength: 1 }),
        fc.array(fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 8, maxLength: 8 }), { minLength: 2, maxLength: 12 }),
        (strategies, errs) => {
          const rs = errs.flatMap((e, i) => strategies.map((m) => row(m, `area ${i % 3}`, 2010 + i, 1, e[ORDER.indexOf(m)])));
          const ev = panelEvidence(rs);
          const ms = ev.scores.map((x) => x.mase);
          for (let i = 1; i < ms.length; i++) expect(ms[i]).toBeGreaterThanOrEqual(ms[i - 1] - 1e-12);
          const best = ev.scores[0];
          const chosen = ev.scores.find((x) => x.strategy === ev.method)!;
          expect(chosen.mase).toBeLessThanOrEqual(best.mase + best.se + 1e-9);
          for (const x of ev.scores) if (ORDER.indexOf(x.strategy) < ORDER.indexOf(ev.method)) expect(x.mase).toBeGreaterThan(best.mase + best.se - 1e-9);
          expect(ev.forecasts).toBe(errs.length);
        },
      ),
      { seed: 4, numRuns: 200 },
    );
  });
});

/** A seeded synthetic panel: `areas` series of `years` values from `make(rng, area)`. */
function synthetic(areas: number, make: (rng: ReturnType<typeof createRng>, i: number) => number[]): Map<string, SeriesInput> {
  const rng = createRng(20261123);
  const out = new Map<string, SeriesInput>();
  for (let i = 0; i < areas; i++) {
    const values = make(rng, i);
    out.set(`area ${i}`, values.map((value, j) => ({ year: 2011 + j, value: Math.round(value) })));
  }
  return out;
}

const ALL: BacktestMethod[] = ['naive', 'drift', 'linear', 'loglinear', 'auto'];

function evidenceOf(panel: Map<string, SeriesInput>): PanelEvidence {
  const bts: PanelBacktestResult[] = ALL.map((m) => backtestPanel(panel, { methods: [m], horizon: 3 }));
  return panelEvidence(bts);
}

describe('panelEvidence on synthetic panels with a known answer', () => {
  it('steady trends: a trend method, not naive', () => {
    const panel = synthetic(40, (rng, i) => Array.from({ length: 10 }, (_, t) => 200 + 10 * i + (15 + (i % 5) * 5) * t + 3 * rng.normal()));
    const e = evidenceOf(panel);
    expect(['drift', 'linear', 'loglinear']).toContain(e.method);
    expect(e.scores.find((s) => s.strategy === 'naive')!.mase).toBeGreaterThan(2 * e.scores[0].mase);
  });

  it('random walks: naive', () => {
    const panel = synthetic(40, (rng) => {
      const y = [300];
      for (let t = 1; t < 10; t++) y.push(y[t - 1] + 20 * rng.normal());
      return y;
    });
    expect(evidenceOf(panel).method).toBe('naive');
  });
});

describe("backtestPanel with evidence: 'asKnown'", () => {
  const panel = synthetic(25, (rng, i) => {
    const y = [300 + 5 * i];
    for (let t = 1; t < 9; t++) y.push(y[t - 1] + 4 + 15 * rng.normal());
    return y;
  });

  it('at each origin, auto follows the evidence from errors of target years up to it, and says so', () => {
    const r = backtestPanel(panel, { methods: ['auto'], horizon: 3, evidence: 'asKnown' });
    expect(r.evidence).toBeDefined();
    for (const [origin, e] of r.evidence!) {
      expect(e.asOf).toBe(origin);
      if (e.method === 'auto') continue;
      for (const area of r.byArea.values()) {
        for (const f of area.forecasts.filter((x) => x.origin === origin)) expect(f.model).toBe(e.method);
      }
    }
    expect(r.caveats.at(-1)).toMatch(/auto followed this panel's evidence as known at each origin/);
  });

  it('uses no error from after an origin: changing the last year changes nothing before it', () => {
    const last = 2019;
    const changed = new Map([...panel].map(([k, s]) => [k, (s as YearValue[]).map((p) => (p.year === last ? { ...p, value: (p.value ?? 0) * 3 } : p))]));
    const a = backtestPanel(panel, { methods: ['auto'], horizon: 3, evidence: 'asKnown' });
    const b = backtestPanel(changed, { methods: ['auto'], horizon: 3, evidence: 'asKnown' });
    for (const [origin, e] of a.evidence!) if (origin < last) expect(b.evidence!.get(origin)).toEqual(e);
    for (const [name, r] of a.byArea) {
      const other = b.byArea.get(name)!;
      expect(other.forecasts.map((f) => [f.origin, f.target, f.model, f.point])).toEqual(r.forecasts.map((f) => [f.origin, f.target, f.model, f.point]));
    }
  });

  it('takes fixed evidence too, and refuses asKnown for a single series', () => {
    const ev = evidenceOf(panel);
    const one = [...panel.values()][0];
    const r = backtest(one, { methods: ['auto'], horizon: 2, evidence: { ...ev, method: 'linear' } });
    expect(r.autoChoices.every((c) => c.method === 'linear' || c.origin < 2013)).toBe(true);
    const err = errorOf(() => backtest(one, { methods: ['auto'], horizon: 2, evidence: 'asKnown' as unknown as PanelEvidence }));
    expect(err.problems[0]).toMatchObject({ field: 'evidence' });
    const noAuto = errorOf(() => backtestPanel(panel, { methods: ['naive'], horizon: 2, evidence: 'asKnown' }));
    expect(noAuto.problems[0]).toMatchObject({ field: 'evidence', message: 'panel evidence guides auto, which is not among the methods' });
  });
});

const fixed = (method: PanelEvidence['method']): PanelEvidence => ({
  kind: 'panelEvidence',
  method,
  scores: [{ strategy: method, mase: 1.5, se: 0.1 }],
  excluded: [],
  forecasts: 100,
  areas: 10,
  asOf: 2021,
  maxStep: 3,
  source: 'test panel',
  rule: 'test',
});

describe('forecast and selectMethod follow evidence', () => {
  const trend = [{ year: 2015, value: 100 }, { year: 2016, value: 120 }, { year: 2017, value: 140 }, { year: 2018, value: 160 }, { year: 2019, value: 180 }, { year: 2020, value: 200 }];

  it('uses the recommended method, keeps the series’ own scores, and warns beyond the evidence’s steps', () => {
    const own = forecast(trend, { to: 2023 });
    expect(own.method).not.toBe('naive');
    const p = forecast(trend, { to: 2026, evidence: fixed('naive') });
    expect(p.method).toBe('naive');
    expect(p.point).toEqual([200, 200, 200, 200, 200, 200]);
    expect(p.selection?.evidence?.source).toBe('test panel');
    expect(p.selection?.scores.length).toBeGreaterThan(0);
    expect(p.selection?.rule).toMatch(new RegExp(`favours naive for every series .* own choice would be ${own.method}`));
    expect(p.caveats.join(' ')).toMatch(/panel evidence on forecasts 1-3 years ahead; nothing in that evidence says it is the best method 6 years ahead/);
    expect(forecast(trend, { to: 2022, evidence: fixed('naive') }).caveats.join(' ')).not.toMatch(/panel evidence/);
  });

  it('falls back to the series’ own choice when the series cannot use the method, or evidence says auto', () => {
    const short = trend.slice(0, 3);
    const s = selectMethod(short.map((p) => p.value), { evidence: fixed('dampedTrend') });
    expect(s.method).toBe('naive');
    expect(s.rule).toMatch(/favours dampedTrend, but this series cannot use it \(3 observations; dampedTrend needs 10\)/);
    const withZero = [5, 0, 3, 4, 6];
    expect(selectMethod(withZero, { evidence: fixed('loglinear') }).rule).toMatch(/cannot use it .* positive values/);
    const a = selectMethod(trend.map((p) => p.value), { evidence: fixed('auto') });
    expect(a.method).toBe(selectMethod(trend.map((p) => p.value)).method);
    expect(a.rule).toMatch(/favours each series choosing its own method/);
  });
});

describe('evidence as JSON', () => {
  it('round-trips panelEvidence through JSON and names bad fields', () => {
    const e = panelEvidence(rows([1, 2, 1, 2], [1.3, 1.5, 1.1, 1.7], [1, 2, 1, 1.6]));
    expect(parsePanelEvidence(JSON.parse(JSON.stringify(e)), 'e.json')).toEqual(e);
    expect(parsePanelEvidence({ evidence: e }, 'e.json')).toEqual(e);
    const err = errorOf(() => parsePanelEvidence({ ...e, method: 'theta', forecasts: -1 }, 'e.json'));
    expect(err.problems.map((p) => p.field).sort()).toEqual(['forecasts', 'method']);
    expect(err.problems[0].source).toBe('e.json');
    const noScore = errorOf(() => parsePanelEvidence({ ...e, method: 'linear' }, 'e.json'));
    expect(noScore.problems[0]).toMatchObject({ field: 'method', message: 'the recommended method has no score' });
  });

  it('the CLI takes --evidence dfe or a file, with the default strategy or auto, not with a named method', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carecast-evidence-'));
    const file = join(dir, 'ev.json');
    writeFileSync(file, JSON.stringify(fixed('drift')));
    const base = { seed: 'derbyshire', measure: 'children_in_care', levels: '80,95', out: dir, write: false } as const;
    const r = await runProject({ ...base, method: 'auto', evidence: file });
    expect(r.projection!.method).toBe('drift');
    expect(r.text).toMatch(/panel evidence \(test panel/);
    const d = await runProject({ ...base, method: 'auto', evidence: 'dfe' });
    expect(d.projection!.method).toBe(loadDfeEvidence().method);
    const byDefault = await runProject({ ...base, evidence: file });
    expect(byDefault.projection).toMatchObject({ requestedMethod: 'evidence', method: 'drift' });
    // --evidence dfe is the bundled evidence of the measure projected
    const started = await runProject({ ...base, measure: 'started', evidence: 'dfe' });
    expect(started.projection!.selection?.evidence).toEqual(loadDfeEvidence({ measure: 'started' }));
    await expect(runProject({ ...base, method: 'linear', evidence: 'dfe' })).rejects.toThrow(/--evidence.*panel evidence decides the method; the method asked for is linear/);
    await expect(runProject({ ...base, method: 'auto', evidence: join(dir, 'missing.json') })).rejects.toThrow(/no such file/);
    writeFileSync(join(dir, 'bad.json'), '{"kind": "panelEvidence"');
    await expect(runProject({ ...base, method: 'auto', evidence: join(dir, 'bad.json') })).rejects.toThrow(/not valid JSON/);
    expect(() => runBacktest({ ...base, methods: 'naive,auto', horizon: '2', evidence: 'as-known' })).toThrow(/as-known evidence is built from a panel/);
    expect(() => runBacktest({ ...base, methods: 'naive', horizon: '2', evidence: 'dfe' })).toThrow(/auto, which is not among --methods/);
    const bt = runBacktest({ ...base, methods: 'naive,auto', horizon: '2', evidence: file });
    // drift needs 3 years: from a 2-year training window (origin 2019) the series chooses for itself
    expect(bt.result.kind === 'series' && bt.result.autoChoices.map((c) => c.method)).toEqual(['naive', 'drift', 'drift', 'drift', 'drift']);
  });
});

describe('carecast backtest --panel --save-evidence', () => {
  it('writes the evidence of the listed methods as JSON that project --evidence reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carecast-save-evidence-'));
    const r = runBacktest({ panel: true, measure: 'children_in_care', methods: 'naive,drift,auto', horizon: '3', levels: '80,95', out: dir, write: true, saveEvidence: true });
    const file = join(dir, 'dfe-panel-evidence.json');
    expect(r.files).toContain(file);
    const saved = parsePanelEvidence(JSON.parse(readFileSync(file, 'utf8')), file);
    expect(saved.scores.map((x) => x.strategy).sort()).toEqual(['auto', 'drift', 'naive']);
    // the same as panelEvidence on the same backtests of the bundled panel
    const series = new Map<string, SeriesInput>(panelSeries(loadDfePanel()));
    const direct = panelEvidence((['naive', 'drift', 'auto'] as const).map((m) => backtestPanel(series, { methods: [m], horizon: 3 })));
    expect(saved.method).toBe(direct.method);
    expect(saved.forecasts).toBe(direct.forecasts);
    saved.scores.forEach((x, i) => expect(x.mase).toBeCloseTo(direct.scores[i].mase, 12));
    expect(r.text).toMatch(new RegExp(`Panel evidence: ${direct.method} `));
    const p = await runProject({ seed: 'derbyshire', measure: 'children_in_care', method: 'auto', levels: '80,95', out: dir, write: false, evidence: file });
    expect(p.projection!.method).toBe(direct.method);
    expect(() => runBacktest({ seed: 'derbyshire', measure: 'children_in_care', methods: 'naive,auto', horizon: '2', levels: '80,95', out: dir, write: false, saveEvidence: true })).toThrow(/--save-evidence/);
  });
});

describe('the bundled DfE evidence', () => {
  /** Every strategy the bundled evidence compares; the global ones fitted on the panel as known at each origin, the rate ones with every LA's population. */
  const STRATEGIES: readonly BacktestMethod[] = ['auto', 'naive', 'drift', 'linear', 'loglinear', 'dampedTrend', 'repeatGrowth', 'theta', 'panelGrowth', 'panelAR', 'panelGrowthRate', 'panelARRate'];
  const panel = loadDfePanel();
  const { populations } = dfePanelPopulations(panel);
  const backtests = (series: Map<string, SeriesInput>, methods: readonly BacktestMethod[]): PanelBacktestResult[] =>
    methods.map((m) => backtestPanel(series, { methods: [m], horizon: 3, ...(m === 'panelGrowthRate' || m === 'panelARRate' ? { populations } : {}) }));

  it('is what panelEvidence gives on the bundled DfE panel today (regenerate with benchmarks/make-dfe-calibration.ts)', () => {
    const bundled = loadDfeEvidence();
    const series = new Map<string, SeriesInput>(panelSeries(panel));
    const again = panelEvidence(backtests(series, STRATEGIES), { source: bundled.source });
    expect(again.method).toBe(bundled.method);
    expect(again.forecasts).toBe(bundled.forecasts);
    expect(again.excluded).toEqual(bundled.excluded);
    expect(again.scores.map((x) => x.strategy)).toEqual(bundled.scores.map((x) => x.strategy));
    for (const s of bundled.scores) expect(again.scores.find((x) => x.strategy === s.strategy)!.mase).toBeCloseTo(s.mase, 9);
    // the rule by hand on the scores: the lowest plus its standard error, then the first in the pre-registered order under it
    const best = again.scores[0];
    const order = ['naive', 'drift', 'linear', 'loglinear', 'theta', 'dampedTrend', 'repeatGrowth', 'panelGrowth', 'panelAR', 'panelGrowthRate', 'panelARRate', 'auto'];
    const within = again.scores.filter((x) => x.mase <= best.mase + best.se + 1e-12).map((x) => x.strategy);
    expect(order.find((m) => within.includes(m as BacktestMethod))).toBe(bundled.method);
    expect(JSON.parse(readFileSync(new URL('../../seeds/dfe-evidence.json', import.meta.url), 'utf8')).command).toMatch(/make-dfe-calibration/);
  });

  it('the flows have evidence of their own, from 2019-2024 (the methods needing 6 or more years cannot run)', () => {
    for (const [measure, pick] of [
      ['started', (s: DfePanelSeries) => s.started],
      ['ceased', (s: DfePanelSeries) => s.ceased],
    ] as const) {
      const bundled = loadDfeEvidence({ measure });
      const series = new Map<string, SeriesInput>(panelSeries(panel, pick));
      const again = panelEvidence(backtests(series, STRATEGIES.filter((m) => !['dampedTrend', 'repeatGrowth', 'theta'].includes(m))), { source: bundled.source });
      expect(again).toEqual(bundled);
      expect(bundled.scores.map((x) => x.strategy).sort()).toEqual(['auto', 'drift', 'linear', 'loglinear', 'naive', 'panelAR', 'panelARRate', 'panelGrowth', 'panelGrowthRate']);
    }
    expect(dfeEvidenceMeasures()).toEqual(['children_in_care', 'started', 'ceased']);
    expect(() => loadDfeEvidence({ measure: 'value' })).toThrow(/no bundled evidence for the measure "value"/);
  });
});
