/** The `carecast project` command: the README's main job. */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runProject, parseBand, type ProjectCommandOptions } from '../../src/cli/project.js';
import { CarecastInputError } from '../../src/data/errors.js';
import { dfeAnalyticCoverage } from '../../src/uncertainty/dfeCalibration.js';
import { findSeries } from '../../src/data/breakdown.js';
import { loadSeed } from '../../src/data/seeds.js';
import { forecast } from '../../src/project/forecast.js';
import { EES_FIXTURES } from '../helpers/fixtures.js';

// The 2024 publication's number-and-rate file, cut to a few areas (test/fixtures/dfe/FIXTURES.md).
const DFE = `${EES_FIXTURES}cla_number_and_rate_per_10k_children_2020_2024.csv`;
const base: ProjectCommandOptions = { measure: 'children_in_care', method: 'auto', levels: '80,95', out: 'out', write: false };

describe('carecast project', () => {
  it('reproduces the Derbyshire statement: 1373 by 2028 and its 5% band, and writes CSV + SVG', async () => {
    const out = mkdtempSync(join(tmpdir(), 'carecast-'));
    const r = await runProject({ ...base, seed: 'derbyshire', until: '2023', to: '2035', method: 'repeatGrowth', roundPercent: '0', band: '5%', out, write: true });
    const i = r.projection!.years.indexOf(2028);
    expect(r.projection!.point[i]).toBeCloseTo(1373.1, 6);
    expect(r.projection!.flatBand?.lower[i]).toBeCloseTo(1304.445, 6);
    expect(r.text).toMatch(/published: 1373 by 2028/);
    expect(r.text).toMatch(/this run: {2}1373\.1 by 2028/);
    expect(r.text).toMatch(/held-out actual/);
    expect(r.files.map((f) => f.replace(out, ''))).toEqual(['/derbyshire-children-in-care-projection.csv', '/derbyshire-children-in-care-fan-chart.svg']);
    const csv = readFileSync(join(out, 'derbyshire-children-in-care-projection.csv'), 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toBe('area,measure,year,type,method,value,point,lo_80,hi_80,lo_95,hi_95,flat_lo,flat_hi,summary');
    const row2028 = csv.find((l) => l.includes(',2028,'));
    expect(row2028?.split(',')[6]).toMatch(/^1373\.1/);
    const svg = readFileSync(join(out, 'derbyshire-children-in-care-fan-chart.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/Derbyshire: children in care/);
    expect(readdirSync(out).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('--report writes a self-contained HTML report beside the CSV and SVG', async () => {
    const out = mkdtempSync(join(tmpdir(), 'carecast-rep-'));
    const r = await runProject({ ...base, seed: 'derbyshire', to: '2030', out, write: true, report: true });
    expect(r.files.map((f) => f.replace(out, ''))).toEqual(['/derbyshire-children-in-care-projection.csv', '/derbyshire-children-in-care-fan-chart.svg', '/derbyshire-children-in-care-report.html']);
    const html = readFileSync(join(out, 'derbyshire-children-in-care-report.html'), 'utf8');
    expect(html).toMatch(/<svg/);
    expect(html).toMatch(/Derbyshire/);
    expect(html).toMatch(/001_d9ec82d55c6be5ca\.txt/); // provenance of the 2019-2023 figures
    expect(html).not.toMatch(/src="http|href="http/);
  });

  it("default run: the strategy the bundled evidence picks with its own pooled bands, the band basis stated in the summary, the method line and --json", async () => {
    const r = await runProject({ measure: 'children_in_care', method: 'evidence', levels: '80,95', out: 'out', write: false, seed: 'derbyshire', to: '2035' });
    const p = r.projection!;
    expect(p.requestedMethod).toBe('evidence');
    const lib = forecast(findSeries(loadSeed('derbyshire').dataset, 'children_in_care'), { to: 2035, levels: [80, 95], methodOptions: { repeatGrowth: {} } });
    // the library's projection, plus one caveat: how the method's own bands held across every DfE LA's backtest
    const cov = dfeAnalyticCoverage('panelGrowth')!;
    const pcts = cov.map((c) => `${(100 * c.coverage).toFixed(0)}%`).join(' / ');
    const gaps = cov.map((c) => Math.abs(c.coverage - c.level / 100));
    const verdict = gaps.every((g) => g <= 0.05) ? 'within 5 points of nominal at each level' : 'within 5 points at some levels only';
    const caveat =
      `Across every DfE LA's backtest (children in care, 1-3 years ahead, ${cov[0].n} forecasts, the method fitted as known at each origin), ` +
      `panelGrowth's own pooled bands held the outcome ${pcts} of the time at 80% / 95%: ${verdict}. Pooled conformal bands calibrated on those errors: --intervals conformal.`;
    expect(p).toEqual({ ...lib, caveats: [...lib.caveats, caveat] });
    expect(p.history.map((h) => h.value)).toEqual([719, 802, 861, 899, 909, 995, 1057]);
    expect(p.method).toBe('panelGrowth');
    expect(p.intervalMethod).toBe('analytic');
    expect(p.intervalBasis).toMatchObject({ method: 'analytic', calibration: 'pooled', calibrationMethod: 'panelGrowth', calibratedSteps: 8 });
    const i95 = p.intervals[1];
    expect(i95.upper[10] - i95.lower[10]).toBeGreaterThan(2 * (i95.upper[0] - i95.lower[0]));
    const lines = r.text.split('\n');
    expect(lines[0]).toBe('carecast projection: Derbyshire, children in care at 31 March');
    expect(lines[1]).toBe(p.summary);
    expect(lines[1]).toMatch(/; 80% and 95% bands: the method's own pooled bands \(log-normal, the spread at steps 1-8 read off [\d,]+ errors of the rule across the 158-series panel it was fitted on at 2024/);
    // the method line names the band basis, not "conformal" nor a bare "analytic"
    expect(lines[2]).toMatch(/^method: panelGrowth \(the default: as the panel evidence says\); intervals: panelGrowth's own pooled bands \(log-normal, the spread read off the panel's errors; not conformal\); data 2018-2024 \(7 years\)$/);
    expect(lines.findIndex((l) => l.startsWith('year'))).toBeGreaterThan(1);
    expect(r.text).toMatch(/Caveats:/);
    expect(r.text).toContain(caveat);
    // the series' own analytic caveats are not on the default path
    expect(r.text).not.toMatch(/too narrow|rest on 7 points/);
    // --json carries the summary and the basis
    const j = await runProject({ measure: 'children_in_care', method: 'evidence', levels: '80,95', out: 'out', write: false, seed: 'derbyshire', to: '2035', json: true });
    const jp = JSON.parse(j.text).projection;
    expect(jp.summary).toBe(p.summary);
    expect(jp.intervalMethod).toBe('analytic');
    expect(jp.intervalBasis).toMatchObject({ method: 'analytic', calibration: 'pooled', calibrationMethod: 'panelGrowth' });
    expect(jp.intervalBasis.summary).toMatch(/^Bands: panelGrowth's own log-normal bands, pooled over its panel/);
  });

  it('--intervals conformal, and a naive default (started): pooled conformal bands, said on the summary and the method line', async () => {
    const c = await runProject({ measure: 'children_in_care', levels: '80,95', out: 'out', write: false, seed: 'derbyshire', to: '2035', intervals: 'conformal' });
    expect(c.projection!).toEqual(forecast(findSeries(loadSeed('derbyshire').dataset, 'children_in_care'), { to: 2035, levels: [80, 95], methodOptions: { repeatGrowth: {} }, intervals: 'conformal' }));
    expect(c.projection!.method).toBe('panelGrowth');
    const cl = c.text.split('\n');
    expect(cl[1]).toMatch(/; 80% and 95% bands: pooled conformal, calibrated on [\d,]+ errors of 155 areas at steps 1-10/);
    expect(cl[2]).toMatch(/; intervals: pooled conformal \(panelGrowth's errors across 155 areas\);/);
    const s = await runProject({ measure: 'started', levels: '80,95', out: 'out', write: false, seed: 'derbyshire', to: '2030' });
    expect(s.projection!.method).toBe('naive');
    expect(s.projection!.intervalMethod).toBe('conformal');
    const sl = s.text.split('\n');
    expect(sl[1]).toMatch(/^Naive \(last value\), chosen by panel evidence from [\d,]+ areas' backtests \(DfE LAs, children starting care 2019-2024; .*\); 80% and 95% bands: pooled conformal, calibrated on /);
    expect(sl[2]).toMatch(/; intervals: pooled conformal \(naive's errors across \d+ areas\);/);
  });

  it('analytic bands, when asked for, carry how often that method\u2019s bands held across every DfE LA', async () => {
    const r = await runProject({ ...base, seed: 'derbyshire', to: '2030', method: 'drift', intervals: 'analytic' });
    const cov = dfeAnalyticCoverage('drift')!;
    expect(cov.map((c) => c.level)).toEqual([80, 95]);
    const pcts = cov.map((c) => `${(100 * c.coverage).toFixed(0)}%`).join(' / ');
    const caveat = r.projection!.caveats.find((c) => c.startsWith('Across every DfE LA'));
    expect(caveat).toBe(
      `Across every DfE LA's backtest (children in care, 1-3 years ahead, ${cov[0].n} forecasts), drift's own bands held the outcome ${pcts} of the time at 80% / 95%: too narrow. ` +
        'Pooled conformal bands calibrated on those errors: --intervals conformal (the default for this method where the bundled calibration covers it).',
    );
    expect(r.text).toContain(caveat);
    // not for calibrated bands (the default); for the flows, their own record
    const conf = await runProject({ ...base, seed: 'derbyshire', to: '2030', method: 'drift' });
    expect(conf.projection!.intervalMethod).toBe('conformal');
    expect(conf.projection!.caveats.some((c) => c.startsWith('Across every DfE LA'))).toBe(false);
    const started = await runProject({ ...base, seed: 'derbyshire', to: '2030', method: 'drift', measure: 'started', intervals: 'analytic' });
    expect(started.projection!.caveats.find((c) => c.startsWith('Across every DfE LA'))).toMatch(/\(started, 1-3 years ahead, 891 forecasts\)/);
    expect(dfeAnalyticCoverage('theta', { measure: 'started' })).toBeUndefined();
  });

  it('any LA from a DfE file: Derby (not Derbyshire)', async () => {
    const r = await runProject({ ...base, dfe: DFE, la: 'Derby', to: '2030', method: 'drift' });
    expect(r.projection!.area).toBe('Derby');
    expect(r.projection!.history.map((h) => [h.year, h.value])).toEqual([
      [2020, 588],
      [2021, 642],
      [2022, 627],
      [2023, 620],
      [2024, 598],
    ]);
    // drift: 598 + (598 - 588) / 4 a year
    expect(r.projection!.point).toEqual([600.5, 603, 605.5, 608, 610.5, 613].map((v) => expect.closeTo(v, 8)));
  });

  it('--la alone: the DfE data bundled with carecast, 2011-2024 with 2018 filled by interpolation', async () => {
    const r = await runProject({ ...base, la: 'Derby', to: '2027', method: 'drift' });
    expect(r.projection!.area).toBe('Derby');
    const h = r.projection!.history;
    expect(h.map((x) => x.year)).toEqual(Array.from({ length: 14 }, (_, i) => 2011 + i));
    expect(h.find((x) => x.year === 2018)).toMatchObject({ imputed: true, used: (448 + 562) / 2 });
    // drift from 461 (2011) to 598 (2024): (598 - 461) / 13 a year
    expect(r.projection!.point).toEqual([1, 2, 3].map((k) => expect.closeTo(598 + (k * 137) / 13, 8)));
    expect(r.text).toMatch(/Derby, children in care at 31 March/);
    // by code, and other measures of the panel
    expect((await runProject({ ...base, la: 'E06000015', to: '2026', method: 'naive', measure: 'started' })).projection!.history.at(-1)).toMatchObject({ year: 2024, value: 233 });
    await expect(runProject({ ...base, la: 'Derbys', to: '2026' })).rejects.toThrow(/did you mean "Derbyshire"/);
    await expect(runProject({ ...base, la: 'Dorset', to: '2026' })).rejects.toThrow(/ask by code instead: 835 or 838/);
  });

  it('SSDA903 returns: the series are derived from the episodes', async () => {
    const dir = fileURLToPath(new URL('../fixtures/ssda903/', import.meta.url));
    const r = await runProject({ ...base, ssda903: dir, la: 'Synthetic LA', to: '2025', method: 'naive' });
    expect(r.projection!.area).toBe('Synthetic LA');
    // the derived 31 March stock of the cut returns (see test/data/ssda903.test.ts); naive carries the last one
    expect(r.projection!.history.map((h) => [h.year, h.value])).toEqual([
      [2017, 76],
      [2018, 71],
      [2019, 49],
      [2020, 28],
      [2021, 19],
      [2022, 11], // one child's episode, open at the end of the 2021 return and missing from the 2022 return, is kept open
    ]);
    expect(r.projection!.point).toEqual([11, 11, 11]);
    // the data-quality report: printed, and in --json
    expect(r.text).toMatch(/Data quality: 5 SSDA903 returns \(2018-2022\), \d+ episode rows read/);
    expect(r.text).toContain('- open episodes missing from later returns: 1 (rule: kept open; --open-episodes close closes them)');
    const json = JSON.parse((await runProject({ ...base, ssda903: dir, la: 'Synthetic LA', to: '2025', method: 'naive', json: true })).text) as { dataQuality: { byGroup: Record<string, number> } };
    expect(json.dataQuality.byGroup).toEqual({ values_replaced: 124, overlaps_truncated: 7, open_episodes: 1, duplicates_dropped: 0, dates_flagged: 1 });
    // the closing rule on request: that child left care on 1 April 2021
    const closing = await runProject({ ...base, ssda903: dir, la: 'Synthetic LA', to: '2025', method: 'naive', openEpisodes: 'close' });
    expect(closing.projection!.history.at(-1)).toMatchObject({ year: 2022, value: 10 });
    await expect(runProject({ ...base, ssda903: dir, to: '2025', openEpisodes: 'drop' })).rejects.toThrow(/--open-episodes.*expected keep or close/);
  });

  it('SSDA903: a DECOM of 01/01/2031 with no end date is a date that cannot be true (issue 14)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carecast-903-'));
    cpSync(fileURLToPath(new URL('../fixtures/ssda903/', import.meta.url)), dir, { recursive: true });
    appendFileSync(join(dir, '2021-header.csv'), '999999,1,01/06/2012,WBRI,,,\n');
    appendFileSync(join(dir, '2021-episodes.csv'), '999999,01/01/2031,S,C2,N1,U4,PR1,,,,,,\n');
    const row = readFileSync(join(dir, '2021-episodes.csv'), 'utf8').trim().split('\n').length;
    const out = mkdtempSync(join(tmpdir(), 'carecast-903-out-'));
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const r = spawnSync(tsx, ['src/cli/main.ts', 'project', '--ssda903', dir, '--to', '2025', '--out', out], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`2021-episodes.csv:${row} [DECOM]: DECOM 2031-01-01 is after the end of the return (31 March 2022): a date that cannot be true`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(out)).toEqual([]);
    // --lenient leaves the row out: the data still end at 31 March 2022 (the return's year was inferred from that
    // DECOM, 2031, so every year to 2031 was "observed")
    const lenient = await runProject({ ...base, ssda903: dir, lenient: true, to: '2025', method: 'naive', out, write: true });
    expect(lenient.projection!.history.map((h) => h.year)).toEqual([2017, 2018, 2019, 2020, 2021, 2022]);
    expect(lenient.projection!.history.at(-1)?.value).toBe(11);
    // and lists the row it drops, as its help promises: printed, and in the data-quality CSV
    expect(lenient.text).toContain(`- rows left out (--lenient): 1\n    2021-episodes.csv:${row} [DECOM]: DECOM 2031-01-01 is after the end of the return (31 March 2022): a date that cannot be true`);
    expect(lenient.dataQuality?.rowsLeftOut).toHaveLength(1);
    const qcsv = readFileSync(join(out, 'ssda903-data-quality.csv'), 'utf8').trim().split('\r\n');
    expect(qcsv.filter((l) => l.includes(',rows_left_out,row_left_out,'))).toEqual([
      `SSDA903,rows_left_out,row_left_out,2021-episodes.csv,${row},,,DECOM,"DECOM 2031-01-01 is after the end of the return (31 March 2022): a date that cannot be true. Fix: correct the DECOM, or give the episode in the return of the year it starts in",`,
    ]);
    expect(qcsv).toHaveLength(1 + 124 + 7 + 1 + 1 + 1); // header, replaced, overlaps, kept open, flagged date, the row left out
  }, 60_000);

  it('bad options: clear errors, nothing written', async () => {
    const out = mkdtempSync(join(tmpdir(), 'carecast-'));
    await expect(runProject({ ...base, seed: 'derbyshire', to: '2035', method: 'magic', out, write: true })).rejects.toThrow(/unknown method "magic"/);
    await expect(runProject({ ...base, seed: 'derbyshire', to: '2020', out, write: true })).rejects.toThrow(/must end after the last observed year 2024/);
    await expect(runProject({ ...base, to: '2030', out, write: true })).rejects.toThrow(/exactly one data source/);
    await expect(runProject({ ...base, seed: 'derbyshire', ssda903: '/x', to: '2030', out, write: true })).rejects.toThrow(/exactly one data source \(got 2\)/);
    await expect(runProject({ ...base, seed: 'derbyshire', to: 'soon', out, write: true })).rejects.toBeInstanceOf(CarecastInputError);
    await expect(runProject({ ...base, seed: 'derbyshire', measure: 'kittens', to: '2030', out, write: true })).rejects.toThrow(/no annual series kittens/);
    expect(readdirSync(out)).toEqual([]);
    expect(() => parseBand('150%')).toThrow(/percentage like 5%/);
    expect(parseBand('5%')).toBeCloseTo(0.05, 12);
    expect(parseBand('0.1')).toBeCloseTo(0.1, 12);
  });

  it('reads a tidy file whose breakdown series (unused) have gaps: only the series projected must be whole', async () => {
    const finance = fileURLToPath(new URL('../../examples/data/derbyshire-finance.csv', import.meta.url));
    const r = await runProject({ ...base, tidy: finance, la: 'Derbyshire', to: '2027', method: 'naive' });
    expect(r.projection!.history.map((h) => h.value)).toEqual([719, 802, 861, 899, 909, 995, 1057]);
    expect(r.projection!.point).toEqual([1057, 1057, 1057]);
  });

  it('the real command line: exit code 0 with a table, 2 with a message on bad input', () => {
    const tsxBin = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const derby = execFileSync(tsxBin, ['src/cli/main.ts', 'project', '--la', 'Derby', '--to', '2026', '--method', 'naive', '--no-write'], { encoding: 'utf8' });
    expect(derby).toMatch(/2026\s+598/);
    const typo = spawnSync(tsxBin, ['src/cli/main.ts', 'project', '--la', 'Notingham', '--no-write'], { encoding: 'utf8' });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/no area called "Notingham".*did you mean "Nottingham"/);
    expect(typo.stderr).not.toMatch(/\n\s+at /);
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const ok = execFileSync(tsx, ['src/cli/main.ts', 'project', '--seed', 'derbyshire', '--to', '2027', '--method', 'naive', '--no-write'], { encoding: 'utf8' });
    expect(ok).toMatch(/2027\s+1,057/);
    const bad = spawnSync(tsx, ['src/cli/main.ts', 'project', '--seed', 'derbyshire', '--to', '2027', '--levels', '80,120', '--no-write'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--levels.*between 0 and 100/);
    const unknown = spawnSync(tsx, ['src/cli/main.ts', 'frobnicate'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2); // a usage error is bad input too
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(execFileSync(tsx, ['src/cli/main.ts', '--version'], { encoding: 'utf8' }).trim()).toBe('0.1.0');
  }, 60_000);
});
