/** The `carecast costs` / `scenario` command on the example Derbyshire finance inputs. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCosts, type CostsCommandOptions } from '../../src/cli/costs.js';
import { CarecastInputError } from '../../src/data/errors.js';

const data = (f: string): string => new URL(`../../examples/data/${f}`, import.meta.url).pathname;
const base: CostsCommandOptions = {
  tidy: data('derbyshire-finance.csv'),
  la: 'Derbyshire',
  costs: data('derbyshire-costs.json'),
  to: '2030',
  paths: '300',
  randomSeed: '7',
  out: 'out',
  write: false,
};

describe('carecast costs', () => {
  it('base and scenarios on the same paths; admissions -10% costs less in every later year; files written together', async () => {
    const out = mkdtempSync(join(tmpdir(), 'carecast-costs-'));
    const r = await runCosts({ ...base, scenarios: data('derbyshire-scenarios.json'), out, write: true, xlsx: true, report: true });
    expect(r.results.map((x) => x.name)).toEqual(['base', 'admissions -10% from 2026', '+2 in-house homes of 4 beds in 2027', 'Forward to Foster 10 a year']);
    const [b, adm] = r.results;
    expect(b.costs.financialYears[0]).toBe('2024/25');
    // before the lever starts (2024/25, 2025/26 opening) nothing changes; from 2026/27 the P50 is lower
    expect(adm.costs.total.quantiles.p50[0]).toBeCloseTo(b.costs.total.quantiles.p50[0], 6);
    for (let i = 2; i < b.costs.years.length; i++) expect(adm.costs.total.quantiles.p50[i]).toBeLessThan(b.costs.total.quantiles.p50[i]);
    // P10 <= P50 <= P90 in every year
    b.costs.years.forEach((_, i) => {
      expect(b.costs.total.quantiles.p10[i]).toBeLessThanOrEqual(b.costs.total.quantiles.p50[i]);
      expect(b.costs.total.quantiles.p50[i]).toBeLessThanOrEqual(b.costs.total.quantiles.p90[i]);
    });
    // every name says costs: project's files (<area>-<measure>-...) are never overwritten
    expect(readdirSync(out).sort()).toEqual([
      'derbyshire-costs-chart.svg',
      'derbyshire-costs-comparison.csv',
      'derbyshire-costs-group-difference.csv',
      'derbyshire-costs-mix-chart.svg',
      'derbyshire-costs-report.html',
      'derbyshire-costs.csv',
      'derbyshire-costs.xlsx',
    ]);
    const html = readFileSync(join(out, 'derbyshire-costs-report.html'), 'utf8');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3); // mix, costs, scenarios
    expect(html).toMatch(/Forward to Foster 10 a year/);
    expect(html).not.toMatch(/src="http|href="http/);
    // the terminal: no line wider than 100 columns; the costs table with a column per scenario, named in a legend;
    // the sufficiency table with its years
    for (const line of r.text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(100);
    const q = (k: number, i: number) => r.results[k].costs.total.quantiles;
    const m = (v: number) => (v / 1e6).toFixed(1);
    const row2030 = r.text.split('\n').find((l) => l.startsWith('2029/30 '));
    expect(row2030?.trim().split(/\s{2,}/)).toEqual(['2029/30', ...r.results.map((_, k) => `${m(q(k, 5).p50[5])} (${m(q(k, 5).p10[5])}-${m(q(k, 5).p90[5])})`)]);
    expect(r.text).toMatch(/^financial year +base +S1 +S2 +S3$/m);
    expect(r.text).toContain('S2: +2 in-house homes of 4 beds in 2027');
    const suf = b.costs.sufficiency[0];
    expect(r.text).toMatch(/^year +residential demand +places +gap \(P10 to P90\) +fostering demand/m);
    const line2030 = r.text.split('\n').find((l) => l.startsWith('2030 '));
    const i2030 = b.costs.years.indexOf(2030);
    expect(line2030?.trim().split(/\s{2,}/).slice(0, 4)).toEqual([
      '2030',
      String(Math.round(suf.demand.quantiles.p50[i2030])),
      String(Math.round(suf.places[i2030])),
      `${Math.round(suf.gap.quantiles.p50[i2030])} (${Math.round(suf.gap.quantiles.p10[i2030])} to ${Math.round(suf.gap.quantiles.p90[i2030])})`,
    ]);
    const again = await runCosts({ ...base, scenarios: data('derbyshire-scenarios.json') });
    expect(again.results[1].costs.total.quantiles.p50).toEqual(adm.costs.total.quantiles.p50);
  }, 60_000);

  it('every output states the price basis: terminal, CSV files, charts, report, workbook; real without inflation', async () => {
    const out = mkdtempSync(join(tmpdir(), 'carecast-costs-basis-'));
    const r = await runCosts({ ...base, scenarios: data('derbyshire-scenarios.json'), out, write: true, report: true });
    const cash = 'cash: 2022/23 prices uprated by 3.0% a year';
    expect(r.text).toContain(`Money: ${cash}.`);
    const file = (suffix: string) => readFileSync(r.files.find((f) => f.endsWith(suffix)) as string, 'utf8');
    const costs = file('costs.csv').split('\r\n');
    expect(costs[0].split(',').slice(-3)).toEqual(['prices', 'price_year', 'inflation']);
    expect(costs.find((l) => l.includes(',cost,total,gbp,'))).toMatch(/,cash,2022\/23,3\.0% a year$/);
    expect(costs.find((l) => l.includes(',occupancy,'))).toMatch(/,,,$/); // children: no price basis
    const cmp = file('costs-comparison.csv').split('\r\n');
    expect(cmp.find((l) => l.includes(',cost,total,gbp,'))).toMatch(/,cash,2022\/23,3\.0% a year$/);
    expect(file('costs-chart.svg')).toContain(`Money: ${cash}`);
    expect(file('costs-report.html')).toContain(`Money: ${cash}.`);
    // a model with no inflation is in real terms, and says so
    const dir = mkdtempSync(join(tmpdir(), 'carecast-costs-real-'));
    const { inflation: _drop, ...real } = JSON.parse(readFileSync(data('derbyshire-costs.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'real.json'), JSON.stringify(real));
    const rr = await runCosts({ ...base, costs: join(dir, 'real.json') });
    expect(rr.text).toContain('Money: real: constant 2022/23 prices (no inflation).');
    expect(JSON.parse((await runCosts({ ...base, costs: join(dir, 'real.json'), json: true })).text).priceBasis.basis).toBe('real');
  }, 60_000);

  it('the workbook: every number formatted (money £, children never), widths that fit, names as text, full assumptions, caveats, differences with bands', async () => {
    const out = mkdtempSync(join(tmpdir(), 'carecast-costs-xlsx-'));
    const r = await runCosts({ ...base, scenarios: data('derbyshire-scenarios.json'), out, write: true, xlsx: true });
    const xlsx = r.files.find((f) => f.endsWith('.xlsx'));
    if (!xlsx) throw new Error('no workbook written');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Difference from base', 'Difference by group', 'Costs', 'Comparison', 'System', 'Assumptions', 'Caveats']);
    // every number in every sheet has a format, and every column is at least as wide as what it shows
    for (const ws of wb.worksheets) {
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          if (typeof cell.value !== 'number') return;
          expect(cell.numFmt, `${ws.name}!${cell.address}`).toMatch(/0/);
          if (cell.numFmt.startsWith('£')) {
            const shown = `£${Math.round(Math.abs(cell.value)).toLocaleString('en-GB')}`;
            expect(ws.getColumn(cell.col).width ?? 0, `${ws.name}!${cell.address} ${shown}`).toBeGreaterThan(shown.length);
          }
        }),
      );
    }
    const summary = wb.getWorksheet('Summary') as ExcelJS.Worksheet;
    expect(String(summary.getCell('A1').value)).toMatch(/cash: 2022\/23 prices uprated by 3\.0% a year/);
    expect(summary.getRow(4).getCell(1).value).toBe('financial_year');
    expect(summary.getRow(4).getCell(5).value).toBe('admissions -10% from 2026: P10');
    const [b] = r.results;
    expect(summary.getRow(5).getCell(3).value).toBe(b.costs.total.quantiles.p50[0]);
    expect(summary.getRow(5).getCell(3).numFmt).toBe('£#,##0');
    // Comparison: money rows in £, children rows as counts; scenario names as they are, as text
    const cmp = wb.getWorksheet('Comparison') as ExcelJS.Worksheet;
    const head = (cmp.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => head.indexOf(name) + 1;
    let money = 0;
    let counts = 0;
    const names = new Set<string>();
    cmp.eachRow((row, i) => {
      if (i === 1) return;
      names.add(row.getCell(col('scenario')).value as string);
      const f = row.getCell(col('diff_p50')).numFmt;
      if (row.getCell(col('unit')).value === 'gbp') {
        money++;
        expect(f).toBe('£#,##0');
        expect(row.getCell(col('prices')).value).toBe('cash');
      } else {
        counts++;
        expect(f).toBe('#,##0');
      }
    });
    expect(money).toBeGreaterThan(0);
    expect(counts).toBeGreaterThan(0);
    expect([...names]).toEqual(['admissions -10% from 2026', '+2 in-house homes of 4 beds in 2027', 'Forward to Foster 10 a year']);
    expect(cmp.getCell(`${String.fromCharCode(64 + col('scenario'))}2`).type).toBe(ExcelJS.ValueType.String);
    // the assumptions: inflation, capacity, utilisation, uncosted groups, levers, caveats, price basis
    const asm = wb.getWorksheet('Assumptions') as ExcelJS.Worksheet;
    const items = new Map<string, unknown>();
    asm.eachRow((row, i) => {
      if (i > 1) items.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    expect(items.get('inflation')).toBe(0.03);
    expect(items.get('price basis')).toBe('cash');
    expect(items.get('capacity: residential')).toBe('47 from 2023/24');
    expect(items.get('utilisation: residential')).toBeCloseTo(34 / 47, 12);
    expect(items.get('not costed: unallocated')).toBe(0);
    expect(items.get('scenario "admissions -10% from 2026": lever 1')).toBe('admissions: starters -10% from 2025/26');
    expect(items.get('scenario "+2 in-house homes of 4 beds in 2027": lever 1')).toBe('capacity: +8 places in the residential pool from 2026/27');
    expect(String(items.get('caveat 1')).length).toBeGreaterThan(20);
    expect([...items.keys()].filter((k) => k.startsWith('caveat ')).length).toBeGreaterThan(0);
    // the caveats sheet lists the projection's caveats
    const cav = wb.getWorksheet('Caveats') as ExcelJS.Worksheet;
    expect(cav.getCell('B2').value).toBe(items.get('caveat 1'));
    // difference from base: per year as the comparison has it; all years = the band of the path-by-path sum
    const diff = wb.getWorksheet('Difference from base') as ExcelJS.Worksheet;
    const adm = r.results[1];
    const H = b.costs.years.length;
    const n = b.costs.paths.total.paths;
    const sums = Array.from({ length: n }, (_, p) => {
      let s = 0;
      for (let h = 0; h < H; h++) s += adm.costs.paths.total.values[p * H + h] - b.costs.paths.total.values[p * H + h];
      return s;
    }).sort((x, y) => x - y);
    const q = (p: number) => {
      const h = (n - 1) * p;
      const lo = Math.floor(h);
      return sums[lo] + (h - lo) * ((sums[lo + 1] ?? sums[lo]) - sums[lo]);
    };
    const allYears = 5 + H; // notes (2 lines), a blank row, the header, then H years
    expect(diff.getRow(allYears).getCell(2).value).toBe('all years (2024/25 to 2029/30)');
    expect(diff.getRow(allYears).getCell(5).value as number).toBeCloseTo(q(0.1), 2);
    expect(diff.getRow(allYears).getCell(6).value as number).toBeCloseTo(q(0.5), 2);
    expect(diff.getRow(allYears).getCell(7).value as number).toBeCloseTo(q(0.9), 2);
    expect(q(0.9)).toBeLessThan(0); // fewer admissions cost less over the years, across the band
    expect(diff.getRow(allYears).getCell(5).numFmt).toBe('£#,##0');
    expect(diff.getRow(6).getCell(9).numFmt).toBe('#,##0');
  }, 60_000);

  it('scenarios: the difference in children per group at the target year, P50 and 80% band, in 100 columns; the wide form in the CSV and the workbook', async () => {
    const out = mkdtempSync(join(tmpdir(), 'carecast-costs-groups-'));
    const scen = join(out, 'scenarios.json');
    // 5 children a year stepped down in 2027 and 2028 and kept there: 10 fewer in residential_external, 10 more in
    // fostering_external from 31 March 2028 on every path (the group holds far more than 10), no change to the total
    writeFileSync(scen, JSON.stringify([{ name: 'step down 5 a year', levers: [{ kind: 'stepDown', fromGroup: 'residential_external', toGroup: 'fostering_external', children: 5, from: 2027, years: 2 }] }]));
    const r = await runCosts({ ...base, scenarios: scen, out, write: true, xlsx: true, report: true });
    const lines = r.text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Children at 31 March 2030 by finance group, "step down 5 a year" minus base'));
    expect(at).toBeGreaterThan(0);
    const table = lines.slice(at, at + 12);
    const row = (g: string): string[] => table.find((l) => l.startsWith(`${g} `))!.split(/\s{2,}/);
    const [b, s] = r.results;
    const last = b.placements.years.length - 1;
    const med = (k: typeof b, g: string): string => {
      const p = k.placements.byGroup[g];
      const v = Array.from({ length: p.paths }, (_, i) => p.values[i * p.horizon + last]).sort((x, y) => x - y);
      return Math.round((v[(p.paths - 1) / 2 | 0] + v[Math.ceil((p.paths - 1) / 2)]) / 2).toLocaleString('en-GB');
    };
    expect(row('residential_external')).toEqual(['residential_external', med(b, 'residential_external'), med(s, 'residential_external'), '-10', '-10 to -10']);
    expect(row('fostering_external')).toEqual(['fostering_external', med(b, 'fostering_external'), med(s, 'fostering_external'), '+10', '+10 to +10']);
    expect(row('fostering_internal').slice(3)).toEqual(['0', '0 to 0']);
    expect(row('children in care').slice(3)).toEqual(['0', '0 to 0']);
    for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(100);
    // the report: the same cells
    const html = readFileSync(join(out, 'derbyshire-costs-report.html'), 'utf8');
    expect(html).toContain('<caption>Children at 31 March 2030 by group: &quot;step down 5 a year&quot; minus the base</caption>');
    expect(html).toContain(`<tr><th scope="row">residential_external</th>${row('residential_external').slice(1).map((c) => `<td>${c}</td>`).join('')}</tr>`);
    // the wide form: every year, every group's P10 / P50 / P90
    const csv = readFileSync(join(out, 'derbyshire-costs-group-difference.csv'), 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
    const head = csv[0];
    expect(head.slice(0, 5)).toEqual(['scenario', 'year', 'children_in_care: P10', 'children_in_care: P50', 'children_in_care: P90']);
    const cell = (year: number, col: string): number => Number(csv.find((x) => x[1] === String(year))![head.indexOf(col)]);
    expect(cell(2026, 'residential_external: P50')).toBe(0);
    expect(cell(2027, 'residential_external: P10')).toBe(-5);
    expect(cell(2028, 'fostering_external: P90')).toBe(10);
    expect(cell(2030, 'residential_external: P90')).toBe(-10);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'derbyshire-costs.xlsx'));
    const ws = wb.getWorksheet('Difference by group')!;
    const h = (ws.getRow(4).values as unknown[]).slice(1);
    expect(h).toEqual(head);
    const x2030 = ws.getRow(4 + csv.findIndex((x) => x[1] === '2030')).getCell(h.indexOf('fostering_external: P50') + 1);
    expect([x2030.value, x2030.numFmt]).toEqual([10, '#,##0']);
  }, 60_000);

  it('levers limited to what is possible are warnings: printed, in the results, the JSON and the workbook', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carecast-costs-warn-'));
    const sc = join(dir, 'clamp.json');
    writeFileSync(
      sc,
      JSON.stringify([
        { name: 'fewer UASC', levers: [{ kind: 'uasc', change: -1000, from: 2026 }] },
        { name: 'everyone steps down', levers: [{ kind: 'stepDown', fromGroup: 'residential_external', toGroup: 'fostering_internal', children: 100000, from: 2026 }] },
      ]),
    );
    const r = await runCosts({ ...base, scenarios: sc, out: join(dir, 'out'), write: true, xlsx: true });
    expect(r.results[0].warnings).toEqual([]);
    expect(r.results[1].warnings[0]).toMatch(/^scenario "fewer UASC", levers\[0\] \(uasc: -1000 starters a year from 2025\/26\): starters would fall below zero in \d+% .*; they were held at zero$/);
    // every path-year from the lever on moves fewer than 100,000 children
    expect(r.results[2].warnings[0]).toMatch(/residential_external held fewer children than the lever had moved so far in 100% of the simulated years it acts on \(1500 of 1500 path-years, from 2025\/26\)/);
    expect(r.text).toMatch(/\nWarnings \(levers limited to what is possible\):\n- scenario "fewer UASC"/);
    const json = JSON.parse((await runCosts({ ...base, scenarios: sc, json: true })).text) as { warnings: string[] };
    expect(json.warnings).toEqual([...r.results[1].warnings, ...r.results[2].warnings]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.files.find((f) => f.endsWith('.xlsx')) as string);
    const cav: string[] = [];
    wb.getWorksheet('Caveats')?.eachRow((row) => cav.push(String(row.getCell(2).value)));
    expect(cav).toContain(`Warning: ${r.results[1].warnings[0]}`);
  }, 60_000);

  it('bad files: errors name the file and field, nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carecast-costs-bad-'));
    const badModel = join(dir, 'model.json');
    writeFileSync(badModel, JSON.stringify({ dimension: 'finance', priceYear: 2023, weekly: { fostering_internal: -5 } }));
    const e1 = await runCosts({ ...base, costs: badModel, out: dir, write: true }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(CarecastInputError);
    expect((e1 as CarecastInputError).problems[0]).toMatchObject({ source: badModel, field: 'weekly.fostering_internal' });
    const badScen = join(dir, 'sc.json');
    writeFileSync(badScen, JSON.stringify([{ name: 'x', levers: [{ kind: 'teleport', from: 2026 }] }]));
    await expect(runCosts({ ...base, scenarios: badScen })).rejects.toThrow(/sc\.json:1 \[\[0\]\.levers\[0\]\.kind\]: unknown kind "teleport"/);
    await expect(runCosts({ ...base, la: 'Atlantis' })).rejects.toThrow(/derbyshire-finance\.csv \[la\]: no area called "Atlantis"/);
    await expect(runCosts({ ...base, costs: undefined })).rejects.toThrow(/no cost model given/);
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'sc.json']);
  }, 60_000);
});
