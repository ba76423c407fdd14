/**
 * The `carecast costs` job: placement costs per financial year with
 * P10/P50/P90, capacity and sufficiency, and named scenarios compared with
 * the base, from a tidy CSV and two JSON files (cost model, scenarios).
 *
 * @module
 */
import { toCsv } from '../data/csvFormat.js';
import { CarecastInputError } from '../data/errors.js';
import type { AnnualSeries } from '../data/schemas.js';
import { yearValuesOf } from '../data/yearValue.js';
import type { CostModel } from '../finance/costs.js';
import { loadJsonFile } from '../data/loaders/jsonFile.js';
import { COST_MODEL_FIX, CostModelFileSchema } from '../finance/costModelSchema.js';
import { BASE_SCENARIO, SCENARIOS_FIX, ScenariosFileSchema } from '../finance/scenarioSchema.js';
import type { Scenario } from '../finance/levers.js';
import { priceBasisOf } from '../finance/describe.js';
import { applyScenario, compareScenarios, type ScenarioResult } from '../finance/scenario.js';
import { costChartSpec, mixChartSpec, type CostChartRow } from '../output/mixChart.js';
import { renderSvg } from '../output/fanChart.js';
import { provenanceOf, renderReport, type ReportProvenance } from '../output/report.js';
import { formatCostTable, formatSufficiencyTable, wrapText } from '../output/costTable.js';
import { buildWorkbook } from '../output/excel.js';
import { comparisonTableRows, costTableRows, costWorkbook, differenceRows } from '../output/costWorkbook.js';
import { projectSystem, type SystemProjection } from '../system/projectSystem.js';
import { createProgress, type Progress } from './progress.js';
import { alignTable } from '../output/table.js';
import { checkNoGaps, checkOutDir, intOption, needTwoYears, optionError, pathsOption, seedOption, slug, toOption, writeAll } from './common.js';
import { systemSource } from './systemSource.js';
import { checkSplitUasc, episodeRun, type EpisodeRunOptions } from './episodeSource.js';
import type { QualityOutput } from './dataQuality.js';
import { systemRecords } from '../system/records.js';
import type { SystemInput } from '../system/input.js';
import { missionNotes, missionTable } from '../output/systemTable.js';
import { formatGroupDifferences, groupDifferenceRows } from '../output/groupDifference.js';

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

/** Options of the `costs` command, as parsed from the command line: the source options of `project` (`--seed` is a bundled seed's name), the cost model and scenarios, and the paths' options. */
export interface CostsCommandOptions extends EpisodeRunOptions {
  /** Cost model JSON. */
  readonly costs?: string;
  /** Scenarios JSON (optional). */
  readonly scenarios?: string;
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
  const progress = createProgress('costs', { enabled: !o.json });
  try {
    return await costsWith(o, progress);
  } finally {
    progress.stop();
  }
}

/** The system projection costs run on, and what the text and files say about its source. */
interface CostsDemand {
  readonly sys: SystemProjection;
  /** The observed series (the mission table's % change bases). */
  readonly input: SystemInput;
  readonly areaName: string;
  readonly label: string;
  readonly dataName: string;
  readonly to: number;
  readonly provenance: readonly ReportProvenance[];
  readonly quality?: QualityOutput;
}

/** The aggregate model's projection of `--la`, `--seed`, `--dfe` or `--tidy`, as `project` makes it for the same source. */
function aggregateDemand(o: CostsCommandOptions, model: CostModel, paths: number, seed: number, progress: Progress): CostsDemand {
  const dataName = o.tidy ?? o.dfe ?? (o.seed !== undefined ? `seed ${o.seed}` : 'the bundled DfE data');
  // the same input as `carecast project` builds for the same source, so the same LA, years, paths and seed give the same paths
  const src = systemSource(o, progress);
  const dataset = src.dataset;
  if (!src.input.breakdowns?.[model.dimension]) {
    throw optionError(
      '--costs',
      `${dataName} has no children_in_care series broken down by "${model.dimension}" for ${dataset.area.name} (it has: ${Object.keys(src.input.breakdowns ?? {}).join(', ') || 'none'})`,
      o.tidy ? `add rows with breakdown ${model.dimension}=<group>, or change the model's dimension` : 'use a cost model by placement or provider groups, or give --tidy with your own groups',
    );
  }
  if (!src.input.started || !src.input.ceased) {
    throw optionError(o.tidy !== undefined ? '--tidy' : '--la', `${dataName} has no total started and ceased series for ${dataset.area.name}`, 'the system model needs children_in_care, started and ceased totals');
  }
  const stock = src.input.stock as AnnualSeries;
  if (o.tidy !== undefined) {
    // gaps are checked in the series used, not in every series of the file
    for (const s of [stock, src.input.started, src.input.ceased] as AnnualSeries[]) {
      checkNoGaps(s, o.tidy);
      needTwoYears(s, o.tidy);
    }
  }
  // as `project --until`: the data up to that year only (the projection as known then)
  const until = intOption('until', o.until);
  const observed = yearValuesOf(src.input.stock).points.filter((p) => p.value !== null && (until === undefined || p.year <= until)).map((p) => p.year);
  if (observed.length === 0) throw optionError('--until', `${dataName} has no children in care figure for ${dataset.area.name} up to ${until}`, 'give a later year, or leave --until out');
  const lastYear = Math.max(...observed);
  const to = toOption(o.to, lastYear);
  const sys = projectSystem(src.input, { to, paths, seed, ...(until !== undefined ? { origin: until } : {}), onProgress: (d, t) => progress.update(d, t, 'simulating', 'items') });
  return { sys, input: src.input, areaName: dataset.area.name, label: slug(dataset.area.name), dataName, to, provenance: Array.isArray(src.input.stock) ? [] : provenanceOf(stock) };
}

/** The episode model's projection of `--ssda903`, exactly as `project --ssda903` makes it for the same folder, years, paths and seed. */
function episodeDemand(o: CostsCommandOptions, model: CostModel, progress: Progress): CostsDemand {
  // the episode model's breakdowns, known before it runs
  const dims = ['placement', 'provider', 'age', 'placement_provider', ...(o.splitUasc ? ['uasc'] : [])];
  if (!dims.includes(model.dimension)) {
    throw optionError(
      '--costs',
      `the episode model of ${o.ssda903} has no breakdown "${model.dimension}" (it has: ${dims.join(', ')})`,
      'use a cost model by placement (fostering, homes_secure, independent_supported, other), provider (in_house, external, other) or placement_provider (fostering/in_house ... other/other)',
    );
  }
  const run = episodeRun(o, [80, 95], { placementProvider: model.dimension === 'placement_provider', progress });
  const sys = run.sp;
  return { sys, input: sys.episodes.observed, areaName: sys.area, label: run.label, dataName: `the SSDA903 returns in ${o.ssda903}`, to: sys.years[sys.years.length - 1], provenance: run.stock ? provenanceOf(run.stock) : [], quality: run.quality };
}

async function costsWith(o: CostsCommandOptions, progress: Progress): Promise<CostsCommandResult> {
  if (!o.costs) throw optionError('--costs', 'no cost model given', 'e.g. --costs costs.json (see examples/data/derbyshire-costs.json)');
  // the options first, before any file is read or anything computed
  checkSplitUasc(o);
  const paths = o.paths !== undefined ? pathsOption(o.paths) : 2000;
  const seed = o.randomSeed !== undefined ? seedOption(o.randomSeed) : 1;
  if (o.write) checkOutDir(o.out);
  const model = loadJsonFile(o.costs, CostModelFileSchema, 'cost model', COST_MODEL_FIX) as CostModel;
  const scenarios = o.scenarios ? (loadJsonFile(o.scenarios, ScenariosFileSchema, 'scenarios', SCENARIOS_FIX) as Scenario[]) : [];
  if (o.ssda903 === undefined && o.la === undefined && o.seed === undefined) {
    throw optionError('--la', 'costs need an area: --la alone (the DfE data bundled with carecast), --seed, --tidy or --dfe with --la, or --ssda903', 'e.g. --la Derby, or --tidy data.csv --la Derbyshire');
  }
  const demand = o.ssda903 !== undefined ? episodeDemand(o, model, progress) : aggregateDemand(o, model, paths, seed, progress);
  const { sys, dataName, to } = demand;
  const results: ScenarioResult[] = [];
  for (const sc of [{ name: BASE_SCENARIO, levers: [] }, ...scenarios]) {
    results.push(fromFiles(o, () => applyScenario(sys, model, sc)));
    progress.update(results.length, 1 + scenarios.length, 'costing the base and scenarios');
  }
  const base = results[0];
  const warnings = results.flatMap((r) => r.warnings);
  const lines: string[] = [];
  const basis = priceBasisOf(model);
  lines.push(...wrapText(`carecast costs: ${demand.areaName}, ${model.dimension} groups, ${paths.toLocaleString('en-GB')} paths, random seed ${seed}${sys.engine === 'episodes' ? ' (episode model, SSDA903 returns)' : ''}`, WIDTH));
  lines.push(...wrapText(`Money: ${basis.text}.`, WIDTH));
  const bd = sys.breakdowns[model.dimension];
  const last = sys.years.length - 1;
  const i80 = sys.stock.intervals.find((iv) => iv.level === 80);
  lines.push(
    '',
    ...wrapText(
      (sys.engine === 'episodes'
        ? `Demand: the episode model's system projection (the same paths as carecast project --ssda903 for this folder, years, paths and random seed; points are path medians). `
        : `Demand: the system projection (the same paths as carecast project for this area, years, paths and random seed). `) +
        `Children in care at 31 March ${sys.years[last]}: ` +
        `${Math.round(sys.stock.point[last])}${i80 ? ` (80% band ${Math.round(i80.lower[last])}-${Math.round(i80.upper[last])})` : ''}; ` +
        `${model.dimension} groups (medians): ${bd.groups.map((g) => `${g} ${Math.round(bd.byGroup[g].point[last])}`).join(', ')}.`,
      WIDTH,
    ),
  );
  lines.push('', 'Total cost per financial year, £ million: P50 (P10-P90)', formatCostTable(results, { width: WIDTH }));
  if (base.costs.sufficiency.length > 0) {
    lines.push(
      '',
      ...wrapText('Sufficiency at 31 March: children needing each type of placement (P50), usable in-house places, and the gap between them (P50, P10 to P90; negative: spare places)', WIDTH),
      formatSufficiencyTable(base.costs, { width: WIDTH }),
    );
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
      ...wrapText(`Scenario "${r.name}" minus base, path by path (P10 / P50 / P90):`, WIDTH),
      alignTable(
        ['financial year', 'children in care', 'cost'],
        kids.map((k, i) => [k.financial_year, `${children(k.diff_p10)} / ${children(k.diff_p50)} / ${children(k.diff_p90)}`, cost[i] ? `${gbp(cost[i].diff_p10)} / ${gbp(cost[i].diff_p50)} / ${gbp(cost[i].diff_p90)}` : '']),
      ),
      '',
      ...wrapText(`Children at 31 March ${sys.years[last]} by ${model.dimension} group, "${r.name}" minus base: the median (P50) and 80% band (P10 to P90) of the path-by-path difference`, WIDTH),
      formatGroupDifferences(comparison, r.name, sys.years[last]),
    );
  }
  const caveats = [...results.flatMap((r) => r.notes), ...sys.caveats];
  if (warnings.length > 0) lines.push('', 'Warnings (levers limited to what is possible):', ...warnings.flatMap((w) => wrapText(w, WIDTH, '- ')));
  if (caveats.length > 0) lines.push('', 'Caveats:', ...caveats.flatMap((c) => wrapText(c, WIDTH, '- ')));
  if (demand.quality) lines.push('', demand.quality.text);
  const files: string[] = [];
  if (o.write) {
    const label = demand.label;
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
    const svg = await renderSvg(costChartSpec(chartRows, { title: `${demand.areaName}: placement costs per financial year (P10-P90)`, priceBasis: basis.text }));
    const mixSvg = await renderSvg(mixChartSpec(sys, model.dimension));
    // every output is made in memory first; writeAll writes them together or not at all
    const outputs: [string, string | Uint8Array][] = [
      [`${label}-costs.csv`, toCsv(costTableRows(results))],
      [`${label}-costs-chart.svg`, svg],
      [`${label}-costs-mix-chart.svg`, mixSvg],
    ];
    if (results.length > 1) {
      outputs.push([`${label}-costs-comparison.csv`, toCsv(comparisonTableRows(results))]);
      // the wide form of the group differences the terminal shows for the last year
      outputs.push([`${label}-costs-group-difference.csv`, toCsv(groupDifferenceRows(comparison))]);
    }
    if (demand.quality) outputs.push([...demand.quality.file]);
    if (o.report) {
      const baseRows = chartRows.filter((r) => r.scenario === undefined || r.scenario === 'base');
      // the mission table of `carecast project` for the same paths (the % change from the last observed year)
      const mission = missionTable(sys, demand.input);
      const html = await renderReport({
        title: `${demand.areaName}: children in care and placement costs to ${to}`,
        system: sys,
        mission,
        missionNotes: missionNotes(mission, sys),
        mixDimensions: [model.dimension],
        costs: baseRows,
        ...(results.length > 1 ? { scenarios: chartRows, differences: differenceRows(results), comparison } : {}),
        priceBasis: basis.text,
        caveats: [...caveats, ...warnings.map((w) => `Warning: ${w}`)],
        provenance: [...demand.provenance],
      });
      outputs.push([`${label}-costs-report.html`, html]);
    }
    if (o.xlsx) {
      const book = costWorkbook({
        results,
        caveats,
        warnings,
        run: [
          {
            item: 'data',
            value: dataName,
            unit: '',
            note: sys.engine === 'episodes' ? `${demand.areaName}: the episode model's paths (children simulated one by one), ${model.dimension} groups` : `${demand.areaName}: children_in_care, started and ceased totals and children_in_care by ${model.dimension}`,
          },
          { item: 'cost model', value: o.costs, unit: '', note: 'weekly costs, price year, inflation, capacity' },
          { item: 'scenarios file', value: o.scenarios ?? 'none', unit: '', note: `${results.length - 1} scenarios compared with the base` },
          { item: 'simulated paths', value: paths, unit: 'paths', note: 'P10/P50/P90 are read off these paths' },
          { item: 'random seed', value: seed, unit: '', note: 'the same seed gives the same numbers' },
        ],
      });
      const wb = await buildWorkbook([...book.tables, { name: 'System', rows: systemRecords(sys) }], book.assumptions, { caveats: book.caveats });
      outputs.push([`${label}-costs.xlsx`, new Uint8Array(await wb.xlsx.writeBuffer())]);
    }
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
    ? JSON.stringify({ priceBasis: basis, engine: sys.engine, warnings, notes: caveats, ...(demand.quality ? { dataQuality: demand.quality.report } : {}), system: systemRecords(sys), costs: results.map((r) => ({ scenario: r.name, financialYears: r.costs.financialYears, p10: r.costs.total.quantiles.p10, p50: r.costs.total.quantiles.p50, p90: r.costs.total.quantiles.p90 })), comparison, files }, null, 2)
    : lines.join('\n');
  return { results, text, files };
}
