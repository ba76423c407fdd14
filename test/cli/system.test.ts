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
import { datasetSystemInput } from '../../src/system/datasetInput.js';
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
    // the report's mission table: a real HTML table whose cells are the terminal's, row by row
    const mission = html.slice(html.indexOf('<table class="mission">'), html.indexOf('</table>', html.indexOf('<table class="mission">')));
    const htmlRows = [...mission.matchAll(/<tr><th scope="row">([\s\S]*?)<\/tr>/g)].map((m) => [...m[0].matchAll(/<t[hd][^>]*>([^<]*)<\/t[hd]>/g)].map((c) => c[1].replace(/&#39;/g, "'").replace(/&amp;/g, '&')));
    expect(htmlRows.map((c) => c[0])).toEqual(['children in care', 'starters in year', 'ceased in year', 'fostering', 'residential', 'in-house (own LA)', 'external']);
    for (const cells of htmlRows) expect(cells.filter((c) => c !== '')).toEqual(row(cells[0]).split(/\s{2,}/));
    expect(htmlRows[4]).toEqual(['residential', w(bd.byGroup.residential.point[last]), `${w(bd.byGroup.residential.intervals[0].lower[last])}-${w(bd.byGroup.residential.intervals[0].upper[last])}`, `${w(r95.lower[last])}-${w(r95.upper[last])}`, '+148%', pct(ch.median), `${pct(ch.lower)} to ${pct(ch.upper)}`]);
    expect(htmlRows[0][4]).toBe(''); // no published % change for the total
    expect(mission).toContain('% change 2023-2035');
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

  it('project --xlsx: the workbook holds the CSV\u2019s records and the table\u2019s mission rows, with count, share and % formats (no \u00a3); a single-series run writes its records', async () => {
    const out = mkdtempSync(join(tmpdir(), 'carecast-sys-xlsx-'));
    const r = await runProject({ ...base, seed: 'derbyshire', to: '2035', paths: '400', randomSeed: '5', out, write: true, xlsx: true });
    expect(r.files.map((f) => f.replace(out, ''))).toContain('/derbyshire-system-projection.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'derbyshire-system-projection.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Mission', 'Projection', 'Provenance', 'Assumptions', 'Caveats']);
    /** A sheet's rows under its header row (found by its first column's title), as objects of value and format. */
    const sheet = (name: string, first: string): { head: string[]; rows: Record<string, { v: unknown; f: string | undefined }>[] } => {
      const ws = wb.getWorksheet(name)!;
      let h = 1;
      while (ws.getRow(h).getCell(1).value !== first) h++;
      const head = (ws.getRow(h).values as unknown[]).slice(1).map(String);
      const rows: Record<string, { v: unknown; f: string | undefined }>[] = [];
      for (let i = h + 1; i <= ws.rowCount; i++) {
        const o: Record<string, { v: unknown; f: string | undefined }> = {};
        head.forEach((c, j) => {
          const cell = ws.getRow(i).getCell(j + 1);
          o[c] = { v: cell.value, f: cell.numFmt };
        });
        rows.push(o);
      }
      return { head, rows };
    };
    // Projection: the CSV's rows, value for value
    const csv = readFileSync(join(out, 'derbyshire-system-projection.csv'), 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
    const proj = sheet('Projection', 'area');
    expect(proj.head).toEqual(csv[0]);
    expect(proj.rows).toHaveLength(csv.length - 1);
    const records = systemRecords(r.system!);
    proj.rows.forEach((row, i) => {
      for (const c of ['point', 'p10', 'p90', 'lo_95', 'hi_80']) expect(row[c].v).toBe(records[i][c as 'point']);
      expect(Number(csv[i + 1][csv[0].indexOf('p50')])).toBeCloseTo(row.p50.v as number, 9);
      expect(row.point.f).toBe('#,##0');
      expect(row.lo_80.f).toBe('#,##0');
      expect(row.year.f).toBe('0');
      if (records[i].share !== null) expect([row.share.v, row.share.f]).toEqual([records[i].share, '0.0%']);
    });
    // Mission: the terminal table's rows, its numbers as numbers
    const input = dfeSystemInput(loadDfePanelArea('Derbyshire'));
    const lib = projectSystem(input, { to: 2035, paths: 400, seed: 5 });
    const mission = sheet('Mission', 'component');
    const residential = mission.rows.find((x) => x.component.v === 'residential')!;
    const ch = systemChange(lib, input, { label: 'residential', measure: 'placement', group: 'residential' }, 2023, 2035)!;
    const last = lib.years.indexOf(2035);
    const res = lib.breakdowns.placement.byGroup.residential;
    expect(residential.point.v).toBe(res.point[last]);
    expect(residential.hi_95.v).toBe(res.intervals[1].upper[last]);
    expect(residential.published_change.v).toBe(1.48);
    expect(residential.change_p50.v).toBeCloseTo(ch.median / 100, 12);
    expect(residential.change_lo_80.v).toBeCloseTo(ch.lower / 100, 12);
    expect([residential.point.f, residential.change_p50.f, residential.base_year.v]).toEqual(['#,##0', '+0%;-0%;0%', 2023]);
    expect(mission.rows.map((x) => x.component.v)).toEqual(['children in care', 'starters in year', 'ceased in year', 'fostering', 'residential', 'in-house (own LA)', 'external']);
    expect(mission.rows.find((x) => x.component.v === 'external')!.published_as.v).toBe('private/vol.');
    // the terminal prints the same numbers: residential's row
    const w = (v: number): string => Math.round(v).toLocaleString('en-GB');
    expect(r.text.split('\n').find((l) => l.startsWith('residential'))!.split(/\s{2,}/).slice(1, 3)).toEqual([w(residential.point.v as number), `${w(residential.lo_80.v as number)}-${w(residential.hi_80.v as number)}`]);
    // no money format anywhere in a workbook of children
    for (const ws of wb.worksheets) ws.eachRow((row) => row.eachCell((c) => expect(c.numFmt ?? '').not.toContain('\u00a3')));
    const assumptions = sheet('Assumptions', 'item').rows;
    const item = (k: string): unknown => assumptions.find((a) => a.item.v === k)?.value.v;
    expect(item('random seed')).toBe(5);
    expect(item('simulated paths')).toBe(400);
    expect(item("the total's method")).toBe(lib.total.method);
    expect(item('data years: provider groups')).toBe('2011-2017, 2020-2024');
    expect(String(item('dynamics: source'))).toContain('bundled DfE fit');
    expect(assumptions.find((a) => a.item.v === 'flows: shock correlation')!.value.v).toBe(lib.dynamics.flows!.correlation);
    expect(sheet('Caveats', 'number').rows.map((x) => x.caveat.v)).toEqual(lib.caveats);
    expect(sheet('Provenance', 'source').rows.length).toBeGreaterThan(3);

    // a single-series run: its records, as in its CSV
    const d = await runProject({ ...base, la: 'Derby', to: '2030', method: 'drift', paths: '200', out, write: true, xlsx: true });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(out, 'derby-children-in-care-projection.xlsx'));
    expect(book.worksheets.map((x) => x.name)).toEqual(['Projection', 'Provenance', 'Assumptions', 'Caveats']);
    const ws = book.getWorksheet('Projection')!;
    const head = (ws.getRow(3).values as unknown[]).slice(1);
    const row2030 = ws.getRow(3 + d.projection!.history.length + d.projection!.years.length);
    expect(row2030.getCell(head.indexOf('year') + 1).value).toBe(2030);
    expect(row2030.getCell(head.indexOf('point') + 1).value).toBe(d.projection!.point[d.projection!.point.length - 1]);
    expect(row2030.getCell(head.indexOf('hi_80') + 1).numFmt).toBe('#,##0');
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
    // --until: the projection as known then, the same through both doors, and not the full data's
    const cu = await runCosts({ la: 'Derby', costs: model, until: '2022', to: '2028', paths: '300', randomSeed: '3', out: dir, write: false });
    const pu = await runProject({ ...base, la: 'Derby', until: '2022', to: '2028', paths: '300', randomSeed: '3' });
    expect(pu.system!.start.year).toBe(2022);
    expect(pu.system!.years).toEqual([2023, 2024, 2025, 2026, 2027, 2028]);
    expect(Array.from(cu.results[0].placements.stock.values)).toEqual(Array.from(pu.system!.paths.stock.values));
    expect(Array.from(cu.results[0].placements.byGroup.fostering.values)).toEqual(Array.from(pu.system!.breakdowns.placement.paths.fostering.values));
    await expect(runCosts({ la: 'Derby', costs: model, until: '1990', paths: '300', out: dir, write: false })).rejects.toThrow(/--until/);
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
