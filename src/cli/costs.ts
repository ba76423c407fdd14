/**
 * The `carecast costs` job: placement costs per financial year with
 * P10/P50/P90, capacity and sufficiency, and named scenarios compared with
 * the base, from a tidy CSV and two JSON files (cost model, scenarios).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { breakdownKey } from '../data/breakdown.js';
import { toCsv } from '../data/csvFormat.js';
import { CarecastInputError } from '../data/errors.js';
import { loadTidyCsv } from '../data/loaders/tidyFiles.js';
import type { AnnualSeries, Dataset } from '../data/schemas.js';
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
  /** Tidy CSV with the total, starters, leavers and the breakdown by the model's dimension. */
  readonly tidy?: string;
  /** Area name or code in the tidy file. */
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

function groupsOf(dataset: Dataset, dimension: string): Record<string, AnnualSeries> {
  const out: Record<string, AnnualSeries> = {};
  for (const s of dataset.series) {
    if (s.frequency !== 'annual' || s.measure !== 'children_in_care') continue;
    const keys = Object.keys(s.breakdown);
    if (keys.length === 1 && keys[0] === dimension) out[String((s.breakdown as Record<string, string>)[dimension])] = s;
  }
  return out;
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
  if (!o.tidy || !o.la) throw optionError('--tidy/--la', 'costs need a tidy CSV and the area in it', 'e.g. --tidy data.csv --la Derbyshire');
  if (!o.costs) throw optionError('--costs', 'no cost model given', 'e.g. --costs costs.json (see examples/data/derbyshire-costs.json)');
  const model = readJson(o.costs, CostModelFileSchema, 'cost model') as CostModel;
  const scenarios = o.scenarios ? readJson(o.scenarios, ScenariosFileSchema, 'scenarios file') : [];
  const all = loadTidyCsv(o.tidy, { allowGaps: true });
  const want = o.la.toLowerCase();
  const dataset = all.find((d) => d.area.name.toLowerCase() === want || d.area.code?.toLowerCase() === want);
  if (!dataset) throw optionError('--la', `no area "${o.la}" in ${o.tidy}`, `use one of: ${all.map((d) => d.area.name).join(', ')}`);
  const find = (measure: string): AnnualSeries => {
    const s = dataset.series.find((x): x is AnnualSeries => x.frequency === 'annual' && x.measure === measure && breakdownKey(x.breakdown) === '');
    if (!s) throw optionError('--tidy', `${o.tidy} has no total ${measure} series for ${dataset.area.name}`, 'the stock-flow model needs children_in_care, started and ceased totals');
    return s;
  };
  const groups = groupsOf(dataset, model.dimension);
  if (Object.keys(groups).length === 0) {
    throw optionError('--costs', `${o.tidy} has no children_in_care series broken down by "${model.dimension}"`, `add rows with breakdown ${model.dimension}=<group>, or change the model's dimension`);
  }
  const stock = find('children_in_care');
  const lastYear = Math.max(...stock.points.filter((p) => p.value !== null).map((p) => p.year));
  const to = intOption('to', o.to) ?? lastYear + 10;
  const paths = intOption('paths', o.paths) ?? 2000;
  const seed = intOption('seed', o.seed) ?? 1;
  const sys = projectSystem({ stock, started: find('started'), ceased: find('ceased'), breakdowns: { [model.dimension]: groups } }, { to, paths, seed });
  const base = applyScenario(sys, model, { name: 'base', levers: [] });
  const results = [base, ...scenarios.map((sc) => applyScenario(sys, model, { name: sc.name, levers: sc.levers as Lever[] }))];
  const lines: string[] = [];
  lines.push(`carecast costs: ${dataset.area.name}, ${model.dimension} groups, ${paths} paths, seed ${seed}; money in ${model.priceYear} prices x inflation`);
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
    ? JSON.stringify({ costs: results.map((r) => ({ scenario: r.name, financialYears: r.costs.financialYears, p10: r.costs.total.quantiles.p10, p50: r.costs.total.quantiles.p50, p90: r.costs.total.quantiles.p90 })), comparison, files }, null, 2)
    : lines.join('\n');
  return { results, text, files };
}
