/**
 * The `carecast costs` job: placement costs per financial year with
 * P10/P50/P90, capacity and sufficiency, and named scenarios compared with
 * the base, from a tidy CSV and two JSON files (cost model, scenarios).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { toCsv } from '../data/csvFormat.js';
import { CarecastInputError } from '../data/errors.js';
import type { AnnualSeries } from '../data/schemas.js';
import { yearValuesOf } from '../data/yearValue.js';
import type { CostModel } from '../finance/costs.js';
import { CostModelFileSchema } from '../finance/costModelSchema.js';
import { ScenariosFileSchema } from '../finance/scenarioSchema.js';
import type { Lever } from '../finance/levers.js';
import { applyScenario, compareScenarios, type ScenarioResult } from '../finance/scenario.js';
import { costChartSpec, mixChartSpec, type CostChartRow } from '../output/mixChart.js';
import { renderSvg } from '../output/fanChart.js';
import { provenanceOf, renderReport } from '../output/report.js';
import { alignTable } from '../output/table.js';
import { writeWorkbook } from '../output/excel.js';
import { projectSystem } from '../system/projectSystem.js';
import { intOption, optionError, slug, writeAll } from './common.js';
import { systemSource } from './systemSource.js';
import { systemRecords } from '../system/records.js';

function readJson<T>(path: string, schema: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new CarecastInputError([{ source: path, message: `cannot read the ${what} as JSON: ${(e as Error).message}`, fix: `check the file is a complete JSON ${what}` }]);
  }
  const r = schema.safeParse(json);
  if (!r.success) {
    throw new CarecastInputError(
      r.error.issues.map((iss) => ({ source: path, field: iss.path.join('.') || '(root)', message: iss.message, fix: `correct the ${what} (see docs/guides/cli.md, "carecast costs")` })),
    );
  }
  return r.data;
}

/** Options of the `costs` command, as parsed from the command line. */
export interface CostsCommandOptions {
  /** Tidy CSV with the total, starters, leavers and the breakdown by the model's dimension (left out: the DfE data bundled with carecast). */
  readonly tidy?: string;
  /** Area name or code: in the tidy file, or alone an area of the bundled DfE panel. */
  readonly la?: string;
  /** Cost model JSON. */
  readonly costs?: string;
  /** Scenarios JSON (optional). */
  readonly scenarios?: string;
  /** Last year to project. */
  readonly to?: string;
  /** Simulated paths. */
  readonly paths: string;
  /** Random seed. */
  readonly seed: string;
  /** Output folder. */
  readonly out: string;
  /** Write files. */
  readonly write: boolean;
  /** Also write an Excel workbook. */
  readonly xlsx?: boolean;
  /** Also write the self-contained HTML report (mix, costs, scenarios, caveats, provenance). */
  readonly report?: boolean;
  /** Print JSON. */
  readonly json?: boolean;
}

/** What the `costs` command produced. */
export interface CostsCommandResult {
  /** Base and scenario results, base first. */
  readonly results: readonly ScenarioResult[];
  /** The text printed. */
  readonly text: string;
  /** Files written. */
  readonly files: readonly string[];
}

function money(v: number): string {
  return `£${(v / 1e6).toFixed(1)}m`;
}

/**
 * Run the `costs` command: project the system with the model's breakdown,
 * cost it per financial year (P10/P50/P90 from the paths), apply each
 * scenario on the same paths, and compare. Files (costs CSV, comparison
 * CSV, cost chart and group-mix chart SVGs, optional workbook) are written only when everything
 * has succeeded.
 *
 * @param o - the parsed options
 * @returns the results, the text to print, the files written
 * @throws CarecastInputError for missing or invalid files and options
 */
export async function runCosts(o: CostsCommandOptions): Promise<CostsCommandResult> {
  if (!o.la) throw optionError('--la', 'costs need an area: --la alone (the DfE data bundled with carecast) or --tidy with --la', 'e.g. --la Derby, or --tidy data.csv --la Derbyshire');
  if (!o.costs) throw optionError('--costs', 'no cost model given', 'e.g. --costs costs.json (see examples/data/derbyshire-costs.json)');
  const model = readJson(o.costs, CostModelFileSchema, 'cost model') as CostModel;
  const scenarios = o.scenarios ? readJson(o.scenarios, ScenariosFileSchema, 'scenarios file') : [];
  // the same input as `carecast project` builds for the same source, so the same LA, years, paths and seed give the same paths
  const src = systemSource({ la: o.la, ...(o.tidy !== undefined ? { tidy: o.tidy } : {}) });
  const dataset = src.dataset;
  if (!src.input.breakdowns?.[model.dimension]) {
    throw optionError(
      '--costs',
      `${o.tidy ?? 'the bundled DfE data'} has no children_in_care series broken down by "${model.dimension}" for ${dataset.area.name} (it has: ${Object.keys(src.input.breakdowns ?? {}).join(', ') || 'none'})`,
      o.tidy ? `add rows with breakdown ${model.dimension}=<group>, or change the model's dimension` : 'use a cost model by placement or provider groups, or give --tidy with your own groups',
    );
  }
  if (!src.input.started || !src.input.ceased) {
    throw optionError('--tidy', `${o.tidy ?? 'the data'} has no total started and ceased series for ${dataset.area.name}`, 'the system model needs children_in_care, started and ceased totals');
  }
  const stock = src.input.stock as AnnualSeries;
  const lastYear = Math.max(...yearValuesOf(src.input.stock).points.filter((p) => p.value !== null).map((p) => p.year));
  const to = intOption('to', o.to) ?? lastYear + 10;
  const paths = intOption('paths', o.paths) ?? 2000;
  const seed = intOption('seed', o.seed) ?? 1;
  const sys = projectSystem(src.input, { to, paths, seed });
  const base = applyScenario(sys, model, { name: 'base', levers: [] });
  const results = [base, ...scenarios.map((sc) => applyScenario(sys, model, { name: sc.name, levers: sc.levers as Lever[] }))];
  const lines: string[] = [];
  lines.push(`carecast costs: ${dataset.area.name}, ${model.dimension} groups, ${paths} paths, seed ${seed}; money in ${model.priceYear} prices x inflation`);
  const bd = sys.breakdowns[model.dimension];
  const last = sys.years.length - 1;
  const i80 = sys.stock.intervals.find((iv) => iv.level === 80);
  lines.push(
    `Demand: the system projection (the same paths as carecast project for this area, years, paths and seed). Children in care at 31 March ${sys.years[last]}: ` +
      `${Math.round(sys.stock.point[last])}${i80 ? ` (80% band ${Math.round(i80.lower[last])}-${Math.round(i80.upper[last])})` : ''}; ` +
      `${model.dimension} groups (medians): ${bd.groups.map((g) => `${g} ${Math.round(bd.byGroup[g].point[last])}`).join(', ')}.`,
  );
  const header = ['financial year', ...results.flatMap((r) => [`${r.name} P10`, 'P50', 'P90'])];
  const rows = base.costs.financialYears.map((fy, i) => [
    fy,
    ...results.flatMap((r) => [money(r.costs.total.quantiles.p10[i]), money(r.costs.total.quantiles.p50[i]), money(r.costs.total.quantiles.p90[i])]),
  ]);
  lines.push('', alignTable(header, rows));
  for (const s of base.costs.sufficiency) {
    lines.push('', `Sufficiency, ${s.name}: demand at 31 March minus usable in-house places (P50): ${s.gap.quantiles.p50.map((v) => Math.round(v)).join(', ')}`);
  }
  const comparison = results.length > 1 ? compareScenarios(base, results.slice(1)) : [];
  for (const r of results.slice(1)) {
    const of = (measure: string): typeof comparison => comparison.filter((c) => c.scenario === r.name && c.measure === measure && c.group === 'total');
    const kids = of('children_in_care');
    const cost = of('cost');
    const signed = (v: number, f: (x: number) => string): string => `${v >= 0 ? '+' : '-'}${f(Math.abs(v))}`;
    const children = (v: number): string => signed(v, (x) => String(Math.round(x)));
    const gbp = (v: number): string => signed(v, money);
    lines.push(
      '',
      `Scenario "${r.name}" minus base, path by path (P10 / P50 / P90):`,
      alignTable(
        ['financial year', 'children in care', 'cost'],
        kids.map((k, i) => [k.financial_year, `${children(k.diff_p10)} / ${children(k.diff_p50)} / ${children(k.diff_p90)}`, cost[i] ? `${gbp(cost[i].diff_p10)} / ${gbp(cost[i].diff_p50)} / ${gbp(cost[i].diff_p90)}` : '']),
      ),
    );
  }
  const caveats = [...sys.caveats];
  if (caveats.length > 0) lines.push('', 'Caveats:', ...caveats.map((c) => `- ${c}`));
  const files: string[] = [];
  if (o.write) {
    const label = slug(dataset.area.name);
    const chartRows: CostChartRow[] = results.flatMap((r) =>
      r.costs.years.map((y, i) => ({
        year: y,
        financial_year: r.costs.financialYears[i],
        p10: r.costs.total.quantiles.p10[i],
        p50: r.costs.total.quantiles.p50[i],
        p90: r.costs.total.quantiles.p90[i],
        ...(results.length > 1 ? { scenario: r.name } : {}),
      })),
    );
    const svg = await renderSvg(costChartSpec(chartRows, { title: `${dataset.area.name}: placement costs per financial year (P10-P90)` }));
    const costRows = results.flatMap((r) => r.costs.years.map((y, i) => ({ scenario: r.name, year: y, financial_year: r.costs.financialYears[i], p10: r.costs.total.quantiles.p10[i], p50: r.costs.total.quantiles.p50[i], p90: r.costs.total.quantiles.p90[i] })));
    const mixSvg = await renderSvg(mixChartSpec(sys, model.dimension));
    const outputs: [string, string][] = [
      [`${label}-costs.csv`, toCsv(costRows)],
      [`${label}-cost-chart.svg`, svg],
      [`${label}-mix-chart.svg`, mixSvg],
    ];
    if (comparison.length > 0) outputs.push([`${label}-scenario-comparison.csv`, toCsv(comparison)]);
    if (o.report) {
      const baseRows = chartRows.filter((r) => r.scenario === undefined || r.scenario === 'base');
      const html = await renderReport({
        title: `${dataset.area.name}: children in care and placement costs to ${to}`,
        system: sys,
        mixDimensions: [model.dimension],
        costs: baseRows,
        ...(results.length > 1 ? { scenarios: chartRows } : {}),
        caveats,
        provenance: provenanceOf(stock),
      });
      outputs.push([`${label}-report.html`, html]);
    }
    files.push(...writeAll(o.out, outputs));
    if (o.xlsx) {
      const path = `${o.out}/${label}-costs.xlsx`;
      await writeWorkbook(
        [
          { name: 'Costs', rows: costRows, currencyColumns: ['p10', 'p50', 'p90'] },
          { name: 'System', rows: systemRecords(sys) },
          ...(comparison.length > 0 ? [{ name: 'Comparison', rows: comparison }] : []),
        ],
        [
          { item: 'Area', value: dataset.area.name },
          { item: 'Dimension', value: model.dimension },
          { item: 'Price year', value: model.priceYear },
          { item: 'Paths', value: paths },
          { item: 'Seed', value: seed },
          ...Object.entries(model.weekly).map(([g, v]) => ({ item: `Weekly cost: ${g}`, value: v, unit: 'GBP per week' })),
        ],
        path,
      );
      files.push(path);
    }
    lines.push('', `Wrote ${files.join(', ')}`);
  }
  const text = o.json
    ? JSON.stringify({ system: systemRecords(sys), costs: results.map((r) => ({ scenario: r.name, financialYears: r.costs.financialYears, p10: r.costs.total.quantiles.p10, p50: r.costs.total.quantiles.p50, p90: r.costs.total.quantiles.p90 })), comparison, files }, null, 2)
    : lines.join('\n');
  return { results, text, files };
}
