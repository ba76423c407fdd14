/** The `carecast backtest` command. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBacktest, type BacktestCommandOptions } from '../../src/cli/backtest.js';

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
    expect(readFileSync(join(out, 'derbyshire-backtest-forecasts.csv'), 'utf8').split(/\r?\n/)[0]).toMatch(/^area,method,model,origin,target,h/);
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
  it('bad options are input errors', () => {
    expect(() => runBacktest({ ...base, seed: 'derbyshire', methods: 'naive,crystalball' })).toThrow(/unknown method\(s\): crystalball/);
    expect(() => runBacktest({ ...base, seed: 'derbyshire', panel: '/x' })).toThrow(/either --panel or one series source/);
    expect(() => runBacktest({ ...base, panel: `${DFE_FIXTURES}nonexistent` })).toThrow(/no folder/);
    expect(() => runBacktest({ ...base, seed: 'derbyshire', horizon: 'x' })).toThrow(/whole number/);
  });
});
