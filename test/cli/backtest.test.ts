/** The `carecast backtest` command. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBacktest, type BacktestCommandOptions } from '../../src/cli/backtest.js';
import { findSeries } from '../../src/data/breakdown.js';
import { loadSeed } from '../../src/data/seeds.js';
import { backtest } from '../../src/evaluate/backtest.js';
import { forecast } from '../../src/project/forecast.js';

import { DFE_FIXTURES } from '../helpers/fixtures.js';
const base: BacktestCommandOptions = { measure: 'children_in_care', methods: 'naive,drift', horizon: '3', levels: '80,95', out: 'out', write: false };

describe('carecast backtest', () => {
  it('one series: table, caveats, CSVs written together', () => {
    const out = mkdtempSync(join(tmpdir(), 'carecast-bt-'));
    const r = runBacktest({ ...base, seed: 'derbyshire', out, write: true });
    expect(r.result.kind).toBe('series');
    // naive from origin 2020 (861): 2021 error 861 - 899 = -38
    const f = r.result.kind === 'series' ? r.result.forecasts.find((x) => x.method === 'naive' && x.origin === 2020 && x.target === 2021) : undefined;
    expect(f?.error).toBe(-38);
    expect(r.text).toMatch(/Backtest of Derbyshire children_in_care: 4 origins \(2020-2023\)/);
    expect(readdirSync(out).sort()).toEqual(['derbyshire-backtest-forecasts.csv', 'derbyshire-backtest-metrics.csv']);
    expect(readFileSync(join(out, 'derbyshire-backtest-forecasts.csv'), 'utf8').split(/\r?\n/)[0]).toMatch(/^area,method,model,origin,target,h,.*,crps,scaledCrps,/);
    // a point table, then bands and distributions: MASE beside CRPS, coverage and the scaled Winkler score
    expect(r.text).toMatch(/Point forecasts\nmethod\s+h\s+n\s+MAE\s+RMSE\s+bias\s+MAPE %\s+sMAPE %\s+MASE\n/);
    expect(r.text).toMatch(/method\s+h\s+n\s+MASE\s+CRPS\s+sc\. CRPS\s+cover 80\s+sc\. Winkler 80\s+cover 95\s+sc\. Winkler 95\n/);
    const drift = r.result.kind === 'series' ? r.result.byMethod.find((s) => s.method === 'drift') : undefined;
    expect(r.text).toMatch(new RegExp(`drift\\s+all\\s+9\\s+0\\.73\\s+${drift?.crps.toFixed(1)}\\s+${drift?.scaledCrps.toFixed(2)}\\s`));
    for (const line of r.text.split('\n').filter((l) => !l.startsWith('- ') && !l.startsWith('Wrote '))) expect(line.length).toBeLessThanOrEqual(100);
  });
  it('--json: the tidy metrics, with the scaled Winkler score and the CRPS', () => {
    const r = runBacktest({ ...base, seed: 'derbyshire', json: true });
    const j = JSON.parse(r.text) as { metrics: { method: string; h: number | string; metric: string; level: number | null; value: number | null; n: number }[] };
    const get = (metric: string, level: number | null = null) => j.metrics.find((m) => m.method === 'drift' && m.h === 'all' && m.metric === metric && m.level === level);
    const s = r.result.kind === 'series' ? r.result.byMethod.find((x) => x.method === 'drift') : undefined;
    expect(get('scaled_crps')).toMatchObject({ value: s?.scaledCrps, n: 9 });
    expect(get('crps')).toMatchObject({ value: s?.crps, n: 9 });
    expect(get('scaled_winkler', 95)?.value).toBe(s?.intervals[1].scaledWinkler);
    expect(get('mase')?.value).toBe(s?.mase);
  });
  it('many levels: the band table is split so every line fits in 100 columns', () => {
    const r = runBacktest({ ...base, seed: 'derbyshire', levels: '50,80,90,95', methods: 'naive,repeatGrowth' });
    const lines = r.text.split('\n').filter((l) => !l.startsWith('- '));
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(lines.filter((l) => /^method\s+h\s+n\s/.test(l)).length).toBe(3); // point, bands (1), bands (2)
    expect(r.text).toMatch(/sc\. Winkler 95/);
  });
  it('--panel alone: every LA of the bundled DfE panel', () => {
    const r = runBacktest({ ...base, methods: 'naive', horizon: '1', panel: true });
    expect(r.result.kind).toBe('panel');
    // 158 authorities; Cumberland and Westmorland and Furness (2024 only) cannot be backtested
    expect(r.text).toMatch(/^Backtest of 156 of 158 areas/);
    expect(runBacktest({ ...base, methods: 'naive', horizon: '1', panel: 'dfe' }).text).toBe(r.text);
  });
  it('--panel DIR: a folder of raw DfE files', () => {
    const r = runBacktest({ ...base, methods: 'naive', horizon: '1', panel: DFE_FIXTURES });
    expect(r.result.kind === 'panel' && r.result.areas).toBe(25);
  });
  it('--intervals: the bands scored are the library backtest\u2019s of that kind, said under the table and in --json', () => {
    const series = findSeries(loadSeed('derbyshire').dataset, 'children_in_care');
    // the default: analytic, as backtest()'s
    const a = runBacktest({ ...base, seed: 'derbyshire' });
    expect(a.result).toEqual(backtest(series, { methods: ['naive', 'drift'], horizon: 3, levels: [80, 95] }));
    expect(a.text).toMatch(/\nBands scored: analytic: each model's own bands/);
    for (const kind of ['bootstrap', 'conformal'] as const) {
      const r = runBacktest({ ...base, seed: 'derbyshire', intervals: kind });
      expect(r.result).toEqual(backtest(series, { methods: ['naive', 'drift'], horizon: 3, levels: [80, 95], intervals: kind }));
      expect(r.text).toMatch(new RegExp(`\\nBands scored: ${kind}: `));
      // a band scored is the one forecast() gives on that training slice (its points, no measure: no bundled
      // calibration) with those intervals: drift from 2021, 3 steps
      const row = r.result.kind === 'series' ? r.result.forecasts.find((x) => x.method === 'drift' && x.origin === 2021 && x.h === 2) : undefined;
      const p = forecast(series.points.filter((x) => x.year <= 2021), { method: 'drift', horizon: 3, intervals: kind });
      expect(row?.lo_80).toBeCloseTo(p.intervals[0].lower[1], 9);
      expect(row?.hi_95).toBeCloseTo(p.intervals[1].upper[1], 9);
      // the points are the same; the bands are not all the analytic ones
      const af = a.result.kind === 'series' ? a.result.forecasts : [];
      const rf = r.result.kind === 'series' ? r.result.forecasts : [];
      expect(rf.map((x) => x.point)).toEqual(af.map((x) => x.point));
      expect(rf.some((x, i) => Math.abs(x.hi_95 - af[i].hi_95) > 1e-6 || Math.abs(x.lo_80 - af[i].lo_80) > 1e-6)).toBe(true);
      expect(JSON.parse(runBacktest({ ...base, seed: 'derbyshire', intervals: kind, json: true }).text).intervals).toBe(kind);
    }
    expect(() => runBacktest({ ...base, seed: 'derbyshire', intervals: 'wide' })).toThrow(/unknown interval method "wide"/);
  });
  it('bad options are input errors', () => {
    expect(() => runBacktest({ ...base, seed: 'derbyshire', methods: 'naive,crystalball' })).toThrow(/unknown method\(s\): crystalball/);
    expect(() => runBacktest({ ...base, seed: 'derbyshire', panel: '/x' })).toThrow(/either --panel or one series source/);
    expect(() => runBacktest({ ...base, panel: `${DFE_FIXTURES}nonexistent` })).toThrow(/no folder/);
    expect(() => runBacktest({ ...base, seed: 'derbyshire', horizon: 'x' })).toThrow(/whole number/);
  });
});
