/**
 * The system projection through every door (issue 13): `npm start`'s
 * `project --seed derbyshire --to 2035`, `project --la`, `--json`, a
 * single-series `--method`, `costs`, the CSV, the HTML report and the
 * workbook all give the numbers of `projectSystem` called from the library.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { runCosts } from '../../src/cli/costs.js';
import { runProject, type ProjectCommandOptions } from '../../src/cli/project.js';
import { datasetSystemInput } from '../../src/cli/systemSource.js';
import { loadTidyCsv } from '../../src/data/loaders/tidyFiles.js';
import { loadDfePanelArea } from '../../src/data/panel.js';
import { systemChange } from '../../src/output/systemTable.js';
import { dfeSystemInput } from '../../src/system/dfeInput.js';
import { projectSystem } from '../../src/system/projectSystem.js';
import { systemRecords } from '../../src/system/records.js';

const base: ProjectCommandOptions = { measure: 'children_in_care', levels: '80,95', out: 'out', write: false };
const data = (f: string): string => new URL(`../../examples/data/${f}`, import.meta.url).pathname;

/** R's type-7 quantile of a sample. */
function quantile7(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
}

describe('the system projection through every door', () => {
  it('npm start (project --seed derbyshire --to 2035): the library projectSystem on Derbyshire\u2019s DfE data, the mission table, CSV, SVG and HTML with the same numbers', async () => {
    const out = mkdtempSync(join(tmpdir(), 'carecast-sys-'));
    const r = await runProject({ ...base, seed: 'derbyshire', to: '2035', out, write: true });
    const input = dfeSystemInput(loadDfePanelArea('Derbyshire'));
    const lib = projectSystem(input, { to: 2035, levels: [80, 95] });
    const sp = r.system!;
    expect(systemRecords(sp)).toEqual(systemRecords(lib));
    expect(r.projection).toEqual(lib.total);
    const last = lib.years.indexOf(2035);

    // residential's % change 2023-2035, path by path from the published 2023 count (homes and secure + independent and supported)
    const bd = lib.breakdowns.placement;
    const y2023 = bd.history.find((y) => y.year === 2023)!;
    const res2023 = y2023.counts[bd.groups.indexOf('homes_secure')] + y2023.counts[bd.groups.indexOf('independent_supported')];
    const paths = bd.paths.residential;
    const changes = Array.from({ length: paths.paths }, (_, k) => 100 * (paths.values[k * paths.horizon + last] / res2023 - 1));
    const ch = systemChange(lib, input, { label: 'residential', measure: 'placement', group: 'residential' }, 2023, 2035)!;
    expect(ch.base).toBe(res2023);
    expect(ch.median).toBeCloseTo(quantile7(changes, 0.5), 9);
    expect(ch.lower).toBeCloseTo(quantile7(changes, 0.1), 9);
    expect(ch.upper).toBeCloseTo(quantile7(changes, 0.9), 9);

    // the table: every component, the published % changes beside carecast's, within 100 columns
    const lines = r.text.split('\n');
    const w = (v: number): string => Math.round(v).toLocaleString('en-GB');
    const pct = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(0)}%`;
    const row = (label: string): string => lines.find((l) => l.startsWith(label))!;
    const r95 = bd.byGroup.residential.intervals[1];
    expect(row('residential').split(/\s{2,}/)).toEqual(['residential', w(bd.byGroup.residential.point[last]), `${w(bd.byGroup.residential.intervals[0].lower[last])}-${w(bd.byGroup.residential.intervals[0].upper[last])}`, `${w(r95.lower[last])}-${w(r95.upper[last])}`, '+148%', pct(ch.median), `${pct(ch.lower)} to ${pct(ch.upper)}`]);
    expect(row('fostering')).toMatch(/ \+35% /);
    expect(row('in-house (own LA)')).toMatch(/ \+9%\* /);
    expect(row('external')).toMatch(/ \+94%\* /);
    expect(row('children in care').split(/\s{2,}/).slice(0, 2)).toEqual(['children in care', w(lib.stock.point[last])]);
    for (const label of ['starters in year', 'ceased in year']) expect(row(label)).toBeDefined();
    expect(Math.max(...lines.map((l) => [...l].length))).toBeLessThanOrEqual(100);

    // the files: tidy records, the fan chart, the report, with the same numbers
    expect(r.files.map((f) => f.replace(out, ''))).toEqual(['/derbyshire-system-projection.csv', '/derbyshire-system-fan-chart.svg', '/derbyshire-system-report.html']);
    const csv = readFileSync(join(out, 'derbyshire-system-projection.csv'), 'utf8').trim().split(/\r?\n/);
    const head = csv[0].split(',');
    const cell = (measure: string, group: string, col: string): number => {
      const line = csv.find((l) => l.startsWith(`Derbyshire,2035,${measure},${group},`))!.split(',');
      return Number(line[head.indexOf(col)]);
    };
    expect(head.slice(0, 4)).toEqual(['area', 'year', 'measure', 'group']);
    expect(cell('children_in_care', 'total', 'point')).toBeCloseTo(lib.stock.point[last], 6);
    expect(cell('placement', 'residential', 'lo_80')).toBeCloseTo(bd.byGroup.residential.intervals[0].lower[last], 6);
    expect(csv.length - 1).toBe(systemRecords(lib).length);
    expect(readFileSync(join(out, 'derbyshire-system-fan-chart.svg'), 'utf8').startsWith('<svg')).toBe(true);
    const html = readFileSync(join(out, 'derbyshire-system-report.html'), 'utf8');
    expect(html).toContain(`<td>${w(lib.stock.point[last])}</td>`);
    expect(html).toContain(`<td>${w(bd.byGroup.residential.point[last])}</td>`);
  }, 120_000);

  it('project --la NAME: the same whole-system output for any LA of the panel; --json gives the tidy records; --method says how its total differs', async () => {
    const lib = projectSystem(dfeSystemInput(loadDfePanelArea('Derby')), { to: 2030, levels: [80, 95], paths: 400, seed: 3 });
    const r = await runProject({ ...base, la: 'Derby', to: '2030', paths: '400', randomSeed: '3' });
    expect(systemRecords(r.system!)).toEqual(systemRecords(lib));
    expect(r.text).toMatch(/^carecast system projection: Derby to 2030/);
    expect(r.text).toMatch(/\nexternal +\d/);
    // no published figures for Derby: no such column; England's wide numbers still fit in 100 columns
    expect(r.text.split('\n')[4].split(/\s{2,}/)).toEqual(['2030', 'point', '80% band', '95% band', '2024-30: carecast', '80% band']);
    const eng = await runProject({ ...base, la: 'England', to: '2030', paths: '200' });
    expect(Math.max(...eng.text.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
    const j = JSON.parse((await runProject({ ...base, la: 'Derby', to: '2030', paths: '400', randomSeed: '3', json: true })).text);
    expect(j.records).toEqual(JSON.parse(JSON.stringify(systemRecords(lib))));
    // a single-series method: its own projection, and the system total beside it (same paths, same seed as asked)
    const d = await runProject({ ...base, la: 'Derby', to: '2030', paths: '400', randomSeed: '3', method: 'drift' });
    expect(d.projection!.method).toBe('drift');
    expect(systemRecords(d.system!)).toEqual(systemRecords(lib));
    const w = (v: number): string => Math.round(v).toLocaleString('en-GB');
    const i = lib.years.length - 1;
    const diff = d.projection!.point[i] - lib.stock.point[i];
    expect(d.text).toContain(`2030 total ${w(lib.stock.point[i])} (80% band ${w(lib.stock.intervals[0].lower[i])}-${w(lib.stock.intervals[0].upper[i])}); this run (drift) ${w(d.projection!.point[i])}, ${diff >= 0 ? '+' : '-'}${w(Math.abs(diff))}`);
    const dj = JSON.parse((await runProject({ ...base, la: 'Derby', to: '2030', paths: '400', randomSeed: '3', method: 'drift', json: true })).text);
    expect(dj.systemComparison).toMatchObject({ year: 2030, method: 'drift', point: d.projection!.point[i], systemPoint: lib.stock.point[i] });
  }, 120_000);

  it('costs run on the project paths: same LA, years, paths and seed give the same totals and group counts; the workbook has them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carecast-sys-costs-'));
    const model = join(dir, 'placement-costs.json');
    writeFileSync(model, JSON.stringify({ dimension: 'placement', priceYear: 2024, weekly: { fostering: 900, homes_secure: 6000, independent_supported: 2500 }, uncosted: ['other'], inflation: { rate: 0.03 } }));
    const c = await runCosts({ la: 'Derby', costs: model, to: '2030', paths: '400', randomSeed: '3', out: dir, write: true, xlsx: true });
    const p = await runProject({ ...base, la: 'Derby', to: '2030', paths: '400', randomSeed: '3' });
    const sp = p.system!;
    const pp = c.results[0].placements;
    expect(Array.from(pp.stock.values)).toEqual(Array.from(sp.paths.stock.values));
    expect(Array.from(pp.started!.values)).toEqual(Array.from(sp.paths.started!.values));
    for (const g of sp.breakdowns.placement.groups) expect(Array.from(pp.byGroup[g].values)).toEqual(Array.from(sp.breakdowns.placement.paths[g].values));
    const i = sp.years.length - 1;
    expect(c.text).toContain(`Children in care at 31 March 2030: ${Math.round(sp.stock.point[i])} (80% band ${Math.round(sp.stock.intervals[0].lower[i])}-${Math.round(sp.stock.intervals[0].upper[i])})`);
    expect(c.text).toContain(`fostering ${Math.round(sp.breakdowns.placement.byGroup.fostering.point[i])},`);
    // the workbook's System sheet: the same records
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'derby-costs.xlsx'));
    const ws = wb.getWorksheet('System')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const rows = systemRecords(sp);
    const k = rows.findIndex((x) => x.year === 2030 && x.measure === 'placement' && x.group === 'fostering');
    expect(ws.getRow(k + 2).getCell(header.indexOf('p90') + 1).value).toBeCloseTo(rows[k].p90, 9);
    expect(ws.getRow(k + 2).getCell(header.indexOf('group') + 1).value).toBe('fostering');
    // a tidy file: the same through both doors too
    const t = await runCosts({ tidy: data('derbyshire-finance.csv'), la: 'Derbyshire', costs: data('derbyshire-costs.json'), to: '2030', paths: '300', randomSeed: '7', out: dir, write: false });
    const tp = await runProject({ ...base, tidy: data('derbyshire-finance.csv'), la: 'Derbyshire', to: '2030', paths: '300', randomSeed: '7' });
    expect(Array.from(t.results[0].placements.byGroup.residential_external.values)).toEqual(Array.from(tp.system!.breakdowns.finance.paths.residential_external.values));
    expect(systemRecords(tp.system!)).toEqual(systemRecords(projectSystem(datasetSystemInput(loadTidyCsv(data('derbyshire-finance.csv'), { allowGaps: true })[0]), { to: 2030, paths: 300, seed: 7 })));
  }, 120_000);

  it('scenarios: each one\u2019s difference from the base with P10/P50/P90 per year', async () => {
    const r = await runCosts({ tidy: data('derbyshire-finance.csv'), la: 'Derbyshire', costs: data('derbyshire-costs.json'), scenarios: data('derbyshire-scenarios.json'), to: '2030', paths: '300', randomSeed: '7', out: 'out', write: false });
    const [b, adm] = r.results;
    const n = b.placements.stock.paths;
    const H = b.placements.years.length;
    // the admissions lever's difference in children in care, 2029/30, by hand from the paths
    const d = Array.from({ length: n }, (_, k) => adm.placements.stock.values[k * H + H - 1] - b.placements.stock.values[k * H + H - 1]);
    const sg = (v: number): string => `${v >= 0 ? '+' : '-'}${Math.round(Math.abs(v))}`;
    const line = r.text.split('\n').find((l) => l.startsWith('2029/30') && l.includes(' / ') && r.text.indexOf(l) > r.text.indexOf('Scenario "admissions -10% from 2026" minus base'))!;
    expect(line).toContain(`${sg(quantile7(d, 0.1))} / ${sg(quantile7(d, 0.5))} / ${sg(quantile7(d, 0.9))}`);
  }, 120_000);
});
