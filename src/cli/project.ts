/**
 * The `carecast project` job: load a series, project it, print the table,
 * write the CSV and the SVG fan chart.
 *
 * @module
 */
import { findSeries } from '../data/breakdown.js';
import { CarecastInputError } from '../data/errors.js';
import { checkNoGaps, checkOutDir, evidenceOption, intOption, loadSource, needTwoYears, optionError, pathsOption, seedOption, slug, toOption, writeAll, type SourceOptions } from './common.js';
import { checkSplitUasc, episodeRun } from './episodeSource.js';
import { yearValuesOf } from '../data/yearValue.js';
import { wrapText } from '../output/costTable.js';
import type { SeedProjection } from '../data/seedFile.js';
import { isAnyMethodName } from '../models/registry.js';
import { datasetPopulation } from './globalOptions.js';
import type { ProjectionStrategy } from '../project/forecast.js';
import type { AnnualSeries } from '../data/schemas.js';
import { bundledEvidenceFor } from '../project/defaults.js';
import { toCsv } from '../data/csvFormat.js';
import { fanChartSpec, renderSvg, type FanChartInput } from '../output/fanChart.js';
import { provenanceOf, renderReport, type ReportProvenance } from '../output/report.js';
import { projectionRecords } from '../output/records.js';
import { formatProjectionTable } from '../output/table.js';
import { qualityOutput, type QualityOutput } from './dataQuality.js';
import { forecast, type Projection, type ProjectionOptions } from '../project/forecast.js';
import { dfeAnalyticCoverage } from '../uncertainty/dfeCalibration.js';
import { projectSystem, type AggregateSystemProjection, type SystemProjection } from '../system/projectSystem.js';
import type { SystemInput } from '../system/input.js';
import { systemRecords } from '../system/records.js';
import { formatMissionTable, missionNotes, missionTable } from '../output/systemTable.js';
import { publishedChanges, systemSource } from './systemSource.js';
import { workbookBytes } from '../output/excel.js';
import { systemWorkbook } from '../output/systemWorkbook.js';
import { projectionWorkbook } from '../output/projectionWorkbook.js';
import { createProgress, type Progress } from './progress.js';

/** Options of the `project` command, as parsed from the command line. */
export interface ProjectCommandOptions extends SourceOptions {
  /** Measure to project. */
  readonly measure: string;
  /** Last year to project. */
  readonly to?: string;
  /** First year of data to use. */
  readonly from?: string;
  /** Last year of data to use (e.g. a statement's base year). */
  readonly until?: string;
  /** evidence (the default: what the bundled panel evidence picks for the measure), auto (the series' own choice) or a method name. */
  readonly method?: string;
  /** Comma-separated levels. */
  readonly levels: string;
  /** Flat band, `5%` or `0.05`. */
  readonly band?: string;
  /** repeatGrowth window. */
  readonly window?: string;
  /** repeatGrowth rounding of the percentage. */
  readonly roundPercent?: string;
  /** Output folder. */
  readonly out: string;
  /** Print JSON instead of the table. */
  readonly json?: boolean;
  /** Skip writing files. */
  readonly write: boolean;
  /** Also write a self-contained HTML report. */
  readonly report?: boolean;
  /** Also write an Excel workbook (system run: mission table, records, assumptions, caveats, provenance; single series: its records). */
  readonly xlsx?: boolean;
  /** Interval method: conformal, analytic or bootstrap. Left out: a global method's own pooled bands where one forecast the series, else pooled conformal where the bundled DfE calibration covers the measure and method, else analytic. */
  readonly intervals?: string;
  /** Panel evidence to follow: `dfe` (the bundled evidence for the measure, the default) or a JSON file. */
  readonly evidence?: string;
  /** Simulated paths of the system projection (default 2000). */
  readonly paths?: string;
  /** Random seed of the system projection's paths (default 1). */
  readonly randomSeed?: string;
  /** With `--ssda903`: model UASC children and the others apart, and break the projection down by UASC status. */
  readonly splitUasc?: boolean;
}



/**
 * Parse a band given as `5%` or `0.05`.
 *
 * @param raw - the option text
 * @returns the fraction
 * @throws CarecastInputError when it is not a fraction in (0, 1)
 */
export function parseBand(raw: string): number {
  const t = raw.trim();
  const v = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (!(v > 0 && v < 1)) throw optionError('--band', `expected a percentage like 5% or a fraction like 0.05, got "${raw}"`, 'e.g. --band 5%');
  return v;
}


/**
 * Lines comparing a projection with the projections published in a seed's
 * documents for the same measure (total only), where the target year is
 * within the projection.
 */
function publishedComparison(projection: Projection, published: readonly SeedProjection[]): string[] {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const pub of published) {
    if (pub.measure !== projection.measure || Object.keys(pub.breakdown).length > 0 || pub.value === undefined) continue;
    if (seen.has(`${pub.value}@${pub.targetYear}`)) continue;
    seen.add(`${pub.value}@${pub.targetYear}`);
    const i = projection.years.indexOf(pub.targetYear);
    if (i < 0) continue;
    const i80 = projection.intervals.find((iv) => iv.level === 80);
    const band = i80 ? `, 80% band ${Math.round(i80.lower[i])}-${Math.round(i80.upper[i])}` : '';
    const gap = projection.point[i] - pub.value;
    lines.push(
      `- published: ${pub.value} by ${pub.targetYear} (base ${pub.baseYear}; ${pub.method}; ${pub.source}:${pub.line})`,
      `  this run:  ${projection.point[i].toFixed(1)} by ${pub.targetYear} (${projection.method}, data to ${projection.history[projection.history.length - 1].year}${band}); difference ${gap >= 0 ? '+' : ''}${gap.toFixed(1)}`,
    );
  }
  return lines;
}


function isRateMethod(m: string | undefined): m is 'panelGrowthRate' | 'panelARRate' {
  return m === 'panelGrowthRate' || m === 'panelARRate';
}

/** The dataset's population for a rate method the evidence picked, or `undefined` where the source has none. */
function populationIfAny(dataset: Parameters<typeof datasetPopulation>[0], method: string): ReturnType<typeof datasetPopulation> | undefined {
  try {
    return datasetPopulation(dataset, method);
  } catch (e) {
    if (e instanceof CarecastInputError) return undefined;
    throw e;
  }
}

/**
 * The interval option for `--intervals`. Left out, `forecast()` decides: a
 * global method that forecast the series keeps its own pooled bands; else
 * pooled conformal bands from the bundled DfE calibration of the method in
 * use for the measure, else analytic; `conformal` asks for conformal bands
 * (the bundled calibration, or the series' own errors for a measure without
 * one).
 */
function intervalOptions(raw: string | undefined): Pick<ProjectionOptions, 'intervals'> {
  if (raw === undefined) return {};
  if (raw === 'analytic' || raw === 'bootstrap' || raw === 'conformal') return { intervals: raw };
  throw optionError('--intervals', `unknown interval method "${raw}"`, 'use conformal, analytic or bootstrap (or leave it out for the default)');
}

/**
 * For children in care with the model's own (analytic) bands: a caveat with
 * how often that method's own bands held the outcome across every DfE LA's
 * backtest, and where calibrated bands are.
 */
function withPanelCoverage(p: Projection): Projection {
  if (p.intervalMethod !== 'analytic') return p;
  const cov = dfeAnalyticCoverage(p.method, { measure: p.measure });
  if (!cov || cov.length === 0) return p;
  const held = cov.map((c) => `${(100 * c.coverage).toFixed(0)}%`).join(' / ');
  const at = cov.map((c) => `${c.level}%`).join(' / ');
  const gaps = cov.map((c) => c.coverage - c.level / 100);
  const verdict = gaps.every((g) => g < -0.05)
    ? 'too narrow'
    : gaps.every((g) => g > 0.05)
      ? 'too wide'
      : gaps.every((g) => Math.abs(g) <= 0.05)
        ? 'within 5 points of nominal at each level'
        : 'within 5 points at some levels only';
  const ownPooled = p.intervalBasis?.calibration === 'pooled';
  return {
    ...p,
    caveats: [
      ...p.caveats,
      `Across every DfE LA's backtest (${p.measure.replace(/_/g, ' ')}, 1-3 years ahead, ${cov[0].n} forecasts${ownPooled ? ', the method fitted as known at each origin' : ''}), ` +
        `${p.method}'s own ${ownPooled ? 'pooled ' : ''}bands held the outcome ${held} of the time at ${at}: ${verdict}. ` +
        (ownPooled
          ? 'Pooled conformal bands calibrated on those errors: --intervals conformal.'
          : 'Pooled conformal bands calibrated on those errors: --intervals conformal (the default for this method where the bundled calibration covers it).'),
    ],
  };
}

/** The band basis in a few words, for the line under the summary. */
function intervalWords(p: Projection): string {
  const b = p.intervalBasis;
  if (p.intervalMethod === 'analytic') {
    return b?.calibration === 'pooled' ? `${b.calibrationMethod ?? p.method}'s own pooled bands (log-normal, the spread read off the panel's errors; not conformal)` : "analytic (the model's own)";
  }
  if (p.intervalMethod === 'conformal') return b?.calibration === 'pooled' ? `pooled conformal (${b.calibrationMethod ?? p.method}'s errors across ${b.areas ?? 'many'} areas)` : "conformal (this series' own errors)";
  return `bootstrap${b?.paths !== undefined ? ` (${b.paths} paths)` : ''}`;
}

/** What the `project` command produced. */
export interface ProjectCommandResult {
  /** The projection of the total: the single series projected, or for the aggregate system projection the forecast its total is anchored to (absent for the episode model's, which has none). */
  readonly projection?: Projection;
  /** The system projection (the default run of children in care; with a single-series `--method`, the one its total is compared with). */
  readonly system?: SystemProjection;
  /** The system projection's input (for the episode model: the observed series as it counts them). */
  readonly systemInput?: SystemInput;
  /** The text printed. */
  readonly text: string;
  /** Files written. */
  readonly files: readonly string[];
  /** With `--ssda903`: the data-quality report (every repair by kind, every row left out). */
  readonly dataQuality?: QualityOutput['report'];
}

/**
 * The default run: children in care with no single-series option (method,
 * band, interval method, evidence, repeatGrowth settings, first year). With
 * `--ssda903` the episode model makes it; otherwise the aggregate model.
 */
function isSystemRun(o: ProjectCommandOptions): boolean {
  return o.measure === 'children_in_care' && [o.method, o.band, o.intervals, o.evidence, o.window, o.roundPercent, o.from].every((x) => x === undefined);
}

function parseLevels(raw: string): number[] {
  const levels = raw.split(',').map((s) => Number(s.trim()));
  if (levels.some((l) => !(l > 0 && l < 100))) throw optionError('--levels', `levels must be percentages between 0 and 100, got "${raw}"`, 'e.g. --levels 80,95');
  return levels;
}

/** The system projection of a source, with the command's target year, levels, data cut, paths and seed. */
function systemRun(o: ProjectCommandOptions, levels: readonly number[], toYear?: number): { sp: AggregateSystemProjection; src: ReturnType<typeof systemSource> } {
  // a progress bar on a terminal (reading the source, the simulation), cleared however the run ends
  const progress = createProgress('project', { enabled: !o.json });
  try {
    return systemRunWith(o, levels, toYear, progress);
  } finally {
    progress.stop();
  }
}

function systemRunWith(o: ProjectCommandOptions, levels: readonly number[], toYear: number | undefined, progress: Progress): { sp: AggregateSystemProjection; src: ReturnType<typeof systemSource> } {
  const src = systemSource(o, progress);
  const until = intOption('until', o.until);
  const observed = yearValuesOf(src.input.stock).points.filter((p) => p.value !== null && (until === undefined || p.year <= until)).map((p) => p.year);
  const to = toYear ?? (o.to !== undefined ? toOption(o.to, Math.max(...observed)) : undefined);
  const paths = o.paths !== undefined ? pathsOption(o.paths) : undefined;
  const seed = o.randomSeed !== undefined ? seedOption(o.randomSeed) : undefined;
  const sp = projectSystem(src.input, {
    ...(to !== undefined ? { to } : { horizon: 10 }),
    levels,
    ...(paths !== undefined ? { paths } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(until !== undefined ? { origin: until } : {}),
    onProgress: (d, t) => progress.update(d, t, 'simulating', 'items'),
  });
  return { sp, src };
}

/** What the system run's outputs are made from, whichever model made the paths. */
interface SystemRunParts {
  readonly sp: SystemProjection;
  /** The observed series (% change bases). */
  readonly input: SystemInput;
  readonly label: string;
  readonly note: string;
  readonly published: readonly SeedProjection[];
  /** The fan chart's projection. */
  readonly fan: FanChartInput;
  readonly provenance: readonly ReportProvenance[];
  /** The anchored forecast (aggregate model). */
  readonly projection?: Projection;
  /** The data-quality outputs (SSDA903 returns). */
  readonly quality?: QualityOutput;
}

/** The aggregate model's run: the fan chart is the anchored forecast with the system's own point and path bands. */
function aggregateParts(o: ProjectCommandOptions, levels: readonly number[]): SystemRunParts {
  const { sp, src } = systemRun(o, levels);
  const stock = src.dataset.series.find((s): s is AnnualSeries => s.frequency === 'annual' && s.measure === 'children_in_care' && Object.keys(s.breakdown).length === 0);
  const provenance = [...(stock ? provenanceOf(stock) : []), ...(Array.isArray(src.input.stock) ? [] : provenanceOf(src.input.stock as AnnualSeries))].filter(
    (r, i, all) => all.findIndex((x) => x.source === r.source && x.line === r.line) === i,
  );
  return { sp, input: src.input, label: src.label, note: src.note, published: src.published, fan: { ...sp.total, point: sp.stock.point, intervals: sp.stock.intervals }, provenance, projection: sp.total };
}

/** The episode model's run (`--ssda903`): the fan chart is the observed children in care and the paths' medians and bands. */
function episodeParts(o: ProjectCommandOptions, levels: readonly number[]): SystemRunParts {
  // a progress bar on a terminal (reading the returns, simulating the children), cleared however the run ends
  const progress = createProgress('project', { enabled: !o.json });
  let run: ReturnType<typeof episodeRun>;
  try {
    run = episodeRun(o, levels, { progress });
  } finally {
    progress.stop();
  }
  const sp = run.sp;
  const history = yearValuesOf(sp.episodes.observed.stock).points.map((p) => ({ year: p.year, value: p.value, used: p.value ?? 0, imputed: false }));
  const fan: FanChartInput = { area: sp.area, measure: 'children_in_care', method: 'episode model', history, years: sp.years, point: sp.stock.point, intervals: sp.stock.intervals };
  return { sp, input: sp.episodes.observed, label: run.label, note: run.note, published: [], fan, provenance: run.stock ? provenanceOf(run.stock) : [], quality: run.quality };
}

/**
 * The default `project` run: the whole system (children in care, starters,
 * leavers, placement and provider groups) from one set of paths (the
 * aggregate model, or with `--ssda903` the episode model), the mission
 * table, the tidy records as CSV, the fan chart and the report (and for
 * SSDA903 returns the data-quality report).
 */
async function runSystemProject(o: ProjectCommandOptions): Promise<ProjectCommandResult> {
  const levels = parseLevels(o.levels);
  const run = o.ssda903 !== undefined ? episodeParts(o, levels) : aggregateParts(o, levels);
  const { sp } = run;
  const target = sp.years[sp.years.length - 1];
  const pub = publishedChanges(run.published, target);
  const baseYear = pub.baseYear !== undefined && pub.baseYear <= sp.start.year ? pub.baseYear : sp.start.year;
  const published = pub.baseYear === baseYear ? pub.changes : [];
  const lines: string[] = [];
  lines.push(`carecast system projection: ${sp.area} to ${target}: children in care, flows, placements, providers${sp.engine === 'episodes' ? ' (episode model, SSDA903 returns)' : ''}`);
  lines.push(...wrapText(run.note, 100, '', ''));
  lines.push('');
  const mission = missionTable(sp, run.input, { targetYear: target, baseYear, published });
  lines.push(formatMissionTable(mission));
  lines.push('');
  const notes = missionNotes(mission, sp);
  if (published.length > 0) {
    const p0 = run.published.find((p) => p.percentChange !== undefined && p.targetYear === target);
    const starred = published.filter((p) => p.as).map((p) => `${p.group.replace(/_/g, '-')} beside its "${p.as}"`);
    notes.push(
      `Published: the ${sp.area} statement's % changes ${baseYear}-${target}${p0 ? ` (${p0.source})` : ''}.` +
        (starred.length > 0 ? ` * Its definition differs: ${starred.join(', ')} (internal = own + other LA provision; private/voluntary leaves out other LA).` : ''),
    );
  }
  for (const note of notes) lines.push(...wrapText(note, 100, '', ''));
  lines.push('', ...wrapText(sp.summary, 100, '', ''));
  if (sp.caveats.length > 0) {
    lines.push('', 'Caveats:');
    for (const c of sp.caveats) lines.push(...wrapText(c, 100, '- ', '  '));
  }
  if (run.quality) lines.push('', run.quality.text);
  const records = systemRecords(sp);
  const files: string[] = [];
  if (o.write) {
    const outputs: [string, string | Uint8Array][] = [
      [`${run.label}-system-projection.csv`, toCsv(records)],
      [`${run.label}-system-fan-chart.svg`, await renderSvg(fanChartSpec(run.fan))],
    ];
    const html = await renderReport({
      title: `${sp.area}: children in care, placements and providers to ${target}`,
      system: sp,
      mission,
      missionNotes: notes,
      caveats: [],
      provenance: [...run.provenance],
    });
    outputs.push([`${run.label}-system-report.html`, html]);
    if (o.xlsx) {
      // the same records and mission rows as the CSV and the table; exceljs loads only here
      const book = systemWorkbook({
        system: sp,
        input: run.input,
        mission,
        seed: o.randomSeed !== undefined ? seedOption(o.randomSeed) : 1,
        run: [{ item: 'data', value: run.note, unit: '', note: 'the source of the system input' }],
        missionNotes: notes,
        provenance: [...run.provenance],
      });
      outputs.push([`${run.label}-system-projection.xlsx`, await workbookBytes(book.tables, book.assumptions, { caveats: book.caveats })]);
    }
    if (run.quality) outputs.push([...run.quality.file]);
    files.push(...writeAll(o.out, outputs));
    lines.push('', 'Wrote:', ...files.map((f) => `- ${f}`));
  }
  const text = o.json
    ? JSON.stringify({ area: sp.area, engine: sp.engine, summary: sp.summary, caveats: sp.caveats, records, files, ...(run.quality ? { dataQuality: run.quality.report } : {}) }, null, 2)
    : lines.join('\n');
  return { ...(run.projection ? { projection: run.projection } : {}), system: sp, systemInput: run.input, text, files, ...(run.quality ? { dataQuality: run.quality.report } : {}) };
}

/** How a single-series projection of children in care differs from the system projection (the default) of the same source, target year and levels. */
interface SystemComparison {
  readonly year: number;
  readonly method: string;
  readonly point: number;
  readonly systemPoint: number;
  readonly systemLower80?: number;
  readonly systemUpper80?: number;
  readonly difference: number;
}

function systemComparison(o: ProjectCommandOptions, p: Projection): { text: string; comparison?: SystemComparison; system?: SystemProjection } | undefined {
  const year = p.years[p.years.length - 1];
  const levels = p.intervals.length > 0 ? p.intervals.map((iv) => iv.level) : [80, 95];
  let sp: SystemProjection;
  try {
    sp = o.ssda903 !== undefined ? episodeRun(o, levels, { toYear: year }).sp : systemRun(o, levels, year).sp;
  } catch (e) {
    // the single series stands on its own: where the episode model cannot run on these returns, say why instead of failing
    if (!(e instanceof CarecastInputError) || o.ssda903 === undefined) throw e;
    return { text: `No comparison with the episode model's system projection: ${e.problems.map((x) => x.message).join('; ')}.` };
  }
  const i = sp.years.indexOf(year);
  if (i < 0) return undefined;
  const iv = sp.stock.intervals.find((x) => x.level === 80);
  const point = p.point[p.point.length - 1];
  const systemPoint = sp.stock.point[i];
  const comparison: SystemComparison = {
    year,
    method: p.method,
    point,
    systemPoint,
    ...(iv ? { systemLower80: iv.lower[i], systemUpper80: iv.upper[i] } : {}),
    difference: point - systemPoint,
  };
  const w = (v: number): string => Math.round(v).toLocaleString('en-GB');
  const d = comparison.difference;
  const which =
    sp.engine === 'episodes'
      ? `the episode model's system projection (the default for --ssda903, without --method: children simulated one by one from the returns, fitted on ${sp.episodes.window.from} to ${sp.episodes.window.to}; its point is the median of the paths)`
      : `the system projection (the default, without --method; data to ${sp.start.year})`;
  const text =
    `Against ${which}: ${year} total ${w(systemPoint)}${iv ? ` (80% band ${w(iv.lower[i])}-${w(iv.upper[i])})` : ''}; ` +
    `this run (${p.method}) ${w(point)}, ${d >= 0 ? '+' : '-'}${w(Math.abs(d))}${systemPoint > 0 ? ` (${d >= 0 ? '+' : '-'}${Math.abs((100 * d) / systemPoint).toFixed(1)}%)` : ''}.`;
  return { text, comparison, system: sp };
}

/**
 * Run the `project` command: everything is computed and checked before any
 * file is written, and files are written to a temporary name then renamed,
 * so a failure leaves no partial output.
 *
 * @param o - the parsed options
 * @returns the projection, the text to print and the files written
 * @throws CarecastInputError for bad options or data
 */
export async function runProject(o: ProjectCommandOptions): Promise<ProjectCommandResult> {
  if (o.write) checkOutDir(o.out);
  checkSplitUasc(o);
  if (isSystemRun(o)) return runSystemProject(o);
  if (o.splitUasc) throw optionError('--split-uasc', 'the UASC split is part of the episode model\'s system projection, not of a single-series projection', 'drop --split-uasc, or drop the single-series options (--method, --band, --intervals, --evidence, --window, --round-percent, --from, --measure)');
  const reading = createProgress('project', { enabled: !o.json });
  let loaded: ReturnType<typeof loadSource>;
  try {
    loaded = loadSource(o, reading);
  } finally {
    reading.stop();
  }
  const { dataset, label, published, ssda903 } = loaded;
  const quality = ssda903 ? qualityOutput(ssda903, label) : undefined;
  const series = findSeries(dataset, o.measure);
  const source = o.tidy ?? o.dfe ?? o.ssda903 ?? (o.seed !== undefined ? `seed ${o.seed}` : 'the bundled DfE data');
  if (o.tidy !== undefined) checkNoGaps(series, o.tidy);
  const method = o.method ?? 'evidence';
  if (method !== 'evidence' && method !== 'auto' && !isAnyMethodName(method)) {
    throw optionError(
      '--method',
      `unknown method "${method}"`,
      'use evidence (the default), auto, naive, drift, linear, loglinear, dampedTrend, repeatGrowth, theta, or a global method: panelGrowth, panelAR, panelGrowthRate, panelARRate',
    );
  }
  const levels = parseLevels(o.levels);
  const until = intOption('until', o.until);
  const points = until === undefined ? series.points : series.points.filter((p) => p.year <= until);
  const window = intOption('window', o.window);
  const roundPercent = intOption('round-percent', o.roundPercent);
  needTwoYears({ ...series, points }, source);
  const lastObserved = [...points].reverse().find((p) => p.value !== null)?.year as number;
  const to = toOption(o.to, lastObserved);
  if (o.evidence !== undefined && method !== 'auto' && method !== 'evidence') {
    throw optionError('--evidence', `panel evidence decides the method; the method asked for is ${method}`, 'drop --evidence, or drop --method');
  }
  const evidence = o.evidence !== undefined ? evidenceOption(o.evidence, o.measure) : undefined;
  // a rate method needs the area's child population: asked for by name, or picked by the evidence followed
  // (when the evidence picks one and the source has no population, forecast() says so and lets the series choose)
  const rateFor = method === 'evidence' ? (evidence ?? bundledEvidenceFor(o.measure))?.method : method === 'auto' ? evidence?.method : method;
  const population = !isRateMethod(rateFor) ? undefined : rateFor === method ? datasetPopulation(dataset, rateFor) : populationIfAny(dataset, rateFor);
  const projected = forecast(
    { ...series, points },
    {
      to,
      ...(o.from !== undefined ? { from: intOption('from', o.from) } : {}),
      method: method as ProjectionStrategy,
      ...(population ? { population } : {}),
      levels,
      ...(o.band !== undefined ? { band: parseBand(o.band) } : {}),
      methodOptions: { repeatGrowth: { ...(window !== undefined ? { window } : {}), ...(roundPercent !== undefined ? { roundPercent } : {}) } },
      ...intervalOptions(o.intervals),
      ...(evidence ? { evidence } : {}),
    },
  );
  const projection = withPanelCoverage(projected);
  const lines: string[] = [];
  lines.push(`carecast projection: ${projection.area}, ${projection.measure.replace(/_/g, ' ')} at 31 March`);
  lines.push(projection.summary);
  const sel = projection.selection;
  const how = projection.requestedMethod === 'evidence' ? 'the default: as the panel evidence says' : projection.requestedMethod === 'auto' ? "this series' own choice" : 'as asked';
  lines.push(
    `method: ${projection.method} (${how}); intervals: ${intervalWords(projection)}; data ${projection.history[0].year}-${projection.history[projection.history.length - 1].year} (${projection.history.length} years)`,
  );
  if (sel) lines.push(`how it was chosen: ${sel.rule}`);
  if (sel && sel.scores.length > 0) lines.push(`this series' own scores (MASE, lower is better): ${sel.scores.map((s) => `${s.method} ${s.mase.toFixed(3)}`).join(', ')}`);
  const p = projection.diagnostics.params;
  const num = (v: number): string => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));
  lines.push(`parameters: ${Object.entries(p).map(([k, v]) => `${k}=${num(v)}`).join(', ')}`);
  lines.push('');
  const heldOut = until === undefined ? [] : series.points.filter((pt) => pt.year > until);
  lines.push(formatProjectionTable(projection, { actuals: heldOut }));
  const comparison = publishedComparison(projection, published);
  if (comparison.length > 0) {
    lines.push('');
    lines.push('Projections published in the source documents:');
    lines.push(...comparison);
  }
  const vsSystem = o.measure === 'children_in_care' ? systemComparison(o, projection) : undefined;
  if (vsSystem) lines.push('', vsSystem.text);
  if (projection.caveats.length > 0) {
    lines.push('');
    lines.push('Caveats:');
    for (const c of projection.caveats) lines.push(`- ${c}`);
  }
  if (quality) lines.push('', quality.text);
  const files: string[] = [];
  if (o.write) {
    const csv = toCsv(projectionRecords(projection));
    const svg = await renderSvg(fanChartSpec(projection));
    // the measure is in every name, so that projections of other measures and the costs command never overwrite them
    const stem = `${label}-${slug(projection.measure)}`;
    const outputs: [string, string | Uint8Array][] = [
      [`${stem}-projection.csv`, csv],
      [`${stem}-fan-chart.svg`, svg],
    ];
    if (o.report) {
      const html = await renderReport({
        title: `${projection.area}: ${projection.measure.replace(/_/g, ' ')} to ${projection.years[projection.years.length - 1]}`,
        projection,
        caveats: projection.caveats,
        provenance: provenanceOf(series),
      });
      outputs.push([`${stem}-report.html`, html]);
    }
    if (o.xlsx) {
      const book = projectionWorkbook({
        projection,
        run: [{ item: 'data', value: source, unit: '', note: `${projection.measure.replace(/_/g, ' ')}${until !== undefined ? `, data to ${until}` : ''}` }],
        caveats: vsSystem ? [vsSystem.text] : [],
        provenance: provenanceOf(series),
      });
      outputs.push([`${stem}-projection.xlsx`, await workbookBytes(book.tables, book.assumptions, { caveats: book.caveats })]);
    }
    if (quality) outputs.push([...quality.file]);
    files.push(...writeAll(o.out, outputs));
    lines.push('');
    lines.push(`Wrote ${files.join(', ')}`);
  }
  const text = o.json
    ? JSON.stringify({ projection, ...(vsSystem?.comparison ? { systemComparison: vsSystem.comparison } : {}), files, ...(quality ? { dataQuality: quality.report } : {}) }, null, 2)
    : lines.join('\n');
  return { projection, ...(vsSystem?.system ? { system: vsSystem.system } : {}), text, files, ...(quality ? { dataQuality: quality.report } : {}) };
}
