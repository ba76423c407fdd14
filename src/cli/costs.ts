/**
 * The `carecast costs` job: placement costs per financial year with
 * P10/P50/P90, capacity and sufficiency, and named scenarios compared with
 * the base, from a tidy CSV and two JSON files (cost model, scenarios).
 *
 * @module
 */
import { breakdownKey } from '../data/breakdown.js';
import { toCsv } from '../data/csvFormat.js';
import { CarecastInputError } from '../data/errors.js';
import { loadTidyCsv } from '../data/loaders/tidyFiles.js';
import type { AnnualSeries, Dataset } from '../data/schemas.js';
import type { CostModel } from '../finance/costs.js';
import { loadJsonFile } from '../data/loaders/jsonFile.js';
import { COST_MODEL_FIX, CostModelFileSchema } from '../finance/costModelSchema.js';
import { BASE_SCENARIO, SCENARIOS_FIX, ScenariosFileSchema } from '../finance/scenarioSchema.js';
import type { Scenario } from '../finance/levers.js';
import { priceBasisOf } from '../finance/describe.js';
import { applyScenario, compareScenarios, type ScenarioResult } from '../finance/scenario.js';
import { costChartSpec, mixChartSpec, type CostChartRow } from '../output/mixChart.js';
import { renderSvg } from '../output/fanChart.js';
import { provenanceOf, renderReport } from '../output/report.js';
import { formatCostTable, formatSufficiencyTable, wrapText } from '../output/costTable.js';
import { buildWorkbook } from '../output/excel.js';
import { comparisonTableRows, costTableRows, costWorkbook, differenceRows } from '../output/costWorkbook.js';
import { projectSystem } from '../system/projectSystem.js';
import { createProgress, type Progress } from './progress.js';
import { checkNoGaps, checkOutDir, needTwoYears, optionError, pathsOption, seedOption, slug, tidyArea, toOption, writeAll } from './common.js';

/**
 * Run library code whose problems name the cost model or a scenario
 * generically (`cost model`, `scenario "x"`), naming the files they came from.
 */
function fromFiles<T>(o: CostsCommandOptions, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof CarecastInputError)) throw e;
    throw new CarecastInputError(
      e.problems.map((p) =>
        p.source === 'cost model' && o.costs ? { ...p, source: o.costs } : p.source.startsWith('scenario "') && o.scenarios ? { ...p, source: `${o.scenarios}, ${p.source}` } : p,
      ),
    );
  }
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

/** The terminal width the text is laid out for. */
const WIDTH = 100;

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
  // a progress bar on a terminal (nothing otherwise), cleared however the run ends
  const progress = createProgress('costs');
  try {
    return await costsWith(o, progress);
  } finally {
    progress.stop();
  }
}

async function costsWith(o: CostsCommandOptions, progress: Progress): Promise<CostsCommandResult> {
  if (!o.tidy || !o.la) throw optionError('--tidy/--la', 'costs need a tidy CSV and the area in it', 'e.g. --tidy data.csv --la Derbyshire');
  if (!o.costs) throw optionError('--costs', 'no cost model given', 'e.g. --costs costs.json (see examples/data/derbyshire-costs.json)');
  // the options first, before any file is read or anything computed
  const paths = pathsOption(o.paths);
  const seed = seedOption(o.seed);
  if (o.write) checkOutDir(o.out);
  const model = loadJsonFile(o.costs, CostModelFileSchema, 'cost model', COST_MODEL_FIX) as CostModel;
  const scenarios = o.scenarios ? (loadJsonFile(o.scenarios, ScenariosFileSchema, 'scenarios', SCENARIOS_FIX) as Scenario[]) : [];
  const tidy = o.tidy;
  // gaps are checked in the series used (below), not in every series of the file
  const dataset = tidyArea(loadTidyCsv(tidy, { allowGaps: true }), o.la, tidy);
  const find = (measure: string): AnnualSeries => {
    const s = dataset.series.find((x): x is AnnualSeries => x.frequency === 'annual' && x.measure === measure && breakdownKey(x.breakdown) === '');
    if (!s) throw optionError('--tidy', `${tidy} has no total ${measure} series for ${dataset.area.name}`, 'the system model needs children_in_care, started and ceased totals');
    checkNoGaps(s, tidy);
    return s;
  };
  const groups = groupsOf(dataset, model.dimension);
  if (Object.keys(groups).length === 0) {
    throw optionError('--costs', `${tidy} has no children_in_care series broken down by "${model.dimension}"`, `add rows with breakdown ${model.dimension}=<group>, or change the model's dimension`);
  }
  const stock = find('children_in_care');
  const started = find('started');
  const ceased = find('ceased');
  needTwoYears(stock, tidy);
  needTwoYears(started, tidy);
  needTwoYears(ceased, tidy);
  const lastYear = Math.max(...stock.points.filter((p) => p.value !== null).map((p) => p.year));
  const to = toOption(o.to, lastYear);
  // the bar's steps: the simulation, each scenario's costs, the outputs
  const steps = 2 + scenarios.length + (o.write ? 1 : 0);
  progress.update(0, steps);
  const sys = projectSystem({ stock, started, ceased, breakdowns: { [model.dimension]: groups } }, { to, paths, seed });
  progress.update(1, steps);
  const results: ScenarioResult[] = [];
  for (const sc of [{ name: BASE_SCENARIO, levers: [] }, ...scenarios]) {
    results.push(fromFiles(o, () => applyScenario(sys, model, sc)));
    progress.update(1 + results.length, steps);
  }
  const base = results[0];
  const warnings = results.flatMap((r) => r.warnings);
  const lines: string[] = [];
  const basis = priceBasisOf(model);
  lines.push(...wrapText(`carecast costs: ${dataset.area.name}, ${model.dimension} groups, ${paths.toLocaleString('en-GB')} paths, seed ${seed}`, WIDTH));
  lines.push(...wrapText(`Money: ${basis.text}.`, WIDTH));
  lines.push('', 'Total cost per financial year, £ million: P50 (P10-P90)', formatCostTable(results, { width: WIDTH }));
  if (base.costs.sufficiency.length > 0) {
    lines.push(
      '',
      ...wrapText('Sufficiency at 31 March: children needing each type of placement (P50), usable in-house places, and the gap between them (P50, P10 to P90; negative: spare places)', WIDTH),
      formatSufficiencyTable(base.costs, { width: WIDTH }),
    );
  }
  const comparison = results.length > 1 ? compareScenarios(base, results.slice(1)) : [];
  const caveats = [...sys.caveats];
  if (warnings.length > 0) lines.push('', 'Warnings (levers limited to what is possible):', ...warnings.flatMap((w) => wrapText(w, WIDTH, '- ')));
  if (caveats.length > 0) lines.push('', 'Caveats:', ...caveats.flatMap((c) => wrapText(c, WIDTH, '- ')));
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
    const svg = await renderSvg(costChartSpec(chartRows, { title: `${dataset.area.name}: placement costs per financial year (P10-P90)`, priceBasis: basis.text }));
    const mixSvg = await renderSvg(mixChartSpec(sys, model.dimension));
    // every output is made in memory first; writeAll writes them together or not at all
    const outputs: [string, string | Uint8Array][] = [
      [`${label}-costs.csv`, toCsv(costTableRows(results))],
      [`${label}-costs-chart.svg`, svg],
      [`${label}-costs-mix-chart.svg`, mixSvg],
    ];
    if (results.length > 1) outputs.push([`${label}-costs-comparison.csv`, toCsv(comparisonTableRows(results))]);
    if (o.report) {
      const baseRows = chartRows.filter((r) => r.scenario === undefined || r.scenario === 'base');
      const html = await renderReport({
        title: `${dataset.area.name}: children in care and placement costs to ${to}`,
        system: sys,
        mixDimensions: [model.dimension],
        costs: baseRows,
        ...(results.length > 1 ? { scenarios: chartRows, differences: differenceRows(results) } : {}),
        priceBasis: basis.text,
        caveats: [...caveats, ...warnings.map((w) => `Warning: ${w}`)],
        provenance: provenanceOf(stock),
      });
      outputs.push([`${label}-costs-report.html`, html]);
    }
    if (o.xlsx) {
      const book = costWorkbook({
        results,
        caveats,
        warnings,
        run: [
          { item: 'data', value: tidy, unit: '', note: `${dataset.area.name}: children_in_care, started and ceased totals and children_in_care by ${model.dimension}` },
          { item: 'cost model', value: o.costs, unit: '', note: 'weekly costs, price year, inflation, capacity' },
          { item: 'scenarios file', value: o.scenarios ?? 'none', unit: '', note: `${results.length - 1} scenarios compared with the base` },
          { item: 'simulated paths', value: paths, unit: 'paths', note: 'P10/P50/P90 are read off these paths' },
          { item: 'seed', value: seed, unit: '', note: 'the same seed gives the same numbers' },
        ],
      });
      const wb = await buildWorkbook(book.tables, book.assumptions, { caveats: book.caveats });
      outputs.push([`${label}-costs.xlsx`, new Uint8Array(await wb.xlsx.writeBuffer())]);
    }
    progress.update(steps, steps);
    progress.stop();
    files.push(...writeAll(o.out, outputs));
    lines.push('', 'Wrote:', ...files.map((f) => `  ${f}`));
    const wideIn = [...(o.xlsx ? [`the workbook's Summary sheet`] : []), ...(o.report ? ['the report'] : [])];
    lines.push(
      ...wrapText(
        `Every figure is in ${label}-costs.csv; the P10, P50 and P90 of each scenario side by side are in ${wideIn.length > 0 ? wideIn.join(' and ') : 'the workbook (--xlsx) and the report (--report)'}.`,
        WIDTH,
      ),
    );
  }
  const text = o.json
    ? JSON.stringify({ priceBasis: basis, warnings, costs: results.map((r) => ({ scenario: r.name, financialYears: r.costs.financialYears, p10: r.costs.total.quantiles.p10, p50: r.costs.total.quantiles.p50, p90: r.costs.total.quantiles.p90 })), comparison, files }, null, 2)
    : lines.join('\n');
  return { results, text, files };
}
