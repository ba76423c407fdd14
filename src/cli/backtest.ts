/**
 * The `carecast backtest` job: how accurate would each method have been, on
 * one series or on every LA of the DfE panel.
 *
 * @module
 */
import { findSeries } from '../data/breakdown.js';
import { toCsv } from '../data/csvFormat.js';
import { panelSeries } from '../data/panel.js';
import type { SeriesInput } from '../data/yearValue.js';
import type { PanelEvidence } from '../models/selectMethod.js';
import { backtest, backtestPanel, backtestRecords } from '../evaluate/backtest.js';
import type { BacktestMethod, BacktestResult, PanelBacktestResult } from '../evaluate/backtestTypes.js';
import { panelEvidence } from '../evaluate/panelEvidence.js';
import { isAnyMethodName } from '../models/registry.js';
import { dfePanelPopulations } from '../data/ons/panelPopulation.js';
import { datasetPopulation } from './globalOptions.js';
import { formatBacktestTable } from '../output/backtestTable.js';
import { checkNoGaps, checkOutDir, evidenceOption, intOption, loadPanelDir, loadSource, optionError, writeAll, type SourceOptions } from './common.js';
import { qualityOutput, type QualityOutput } from './dataQuality.js';
import { createProgress } from './progress.js';
import type { IntervalMethod } from '../project/forecast.js';

/** Options of the `backtest` command, as parsed from the command line. */
export interface BacktestCommandOptions extends SourceOptions {
  /** Backtest every LA of the DfE panel: `true` or `dfe` for the bundled panel, or a folder of raw DfE files. */
  readonly panel?: string | true;
  /** Measure (single-series sources). */
  readonly measure: string;
  /** Comma-separated methods (and `auto`). */
  readonly methods: string;
  /** Longest step. */
  readonly horizon: string;
  /** Comma-separated levels. */
  readonly levels: string;
  /** Output folder. */
  readonly out: string;
  /** Write files. */
  readonly write: boolean;
  /** Print JSON instead of the table. */
  readonly json?: boolean;
  /** Panel evidence for auto: `as-known` (with --panel), `dfe` or a JSON file. */
  readonly evidence?: string;
  /** With --panel: also build panel evidence from every listed method's backtest and write it as JSON. */
  readonly saveEvidence?: boolean;
  /** How each forecast's bands are made, as the library's `intervals`: analytic (the default), bootstrap or conformal. */
  readonly intervals?: string;
}

/** The words for the band kind scored, under the table. */
const BAND_WORDS: Readonly<Record<IntervalMethod, string>> = {
  analytic:
    "analytic: each model's own bands (a global method's: its own pooled bands,\n" +
    'the spread read off its errors on its panel); --intervals bootstrap or conformal for others',
  bootstrap: "bootstrap: 2000 paths (seed 1) resampling each model's in-sample residuals",
  conformal: "conformal: from each training slice's own rolling-origin errors\n(a global method has none of its own: it is not scored, and is counted)",
};

/**
 * The interval option for `--intervals`: the library's `intervals`
 * (analytic when left out, as `backtest()` and `backtestPanel()`).
 *
 * @param raw - the option text
 * @returns the interval method
 * @throws CarecastInputError for another word
 */
function intervalsOption(raw: string | undefined): IntervalMethod {
  if (raw === undefined) return 'analytic';
  if (raw === 'analytic' || raw === 'bootstrap' || raw === 'conformal') return raw;
  throw optionError('--intervals', `unknown interval method "${raw}"`, 'use analytic (the default), bootstrap or conformal');
}

/** What the `backtest` command produced. */
export interface BacktestCommandResult {
  /** The backtest. */
  readonly result: BacktestResult | PanelBacktestResult;
  /** The text printed. */
  readonly text: string;
  /** Files written. */
  readonly files: readonly string[];
}

/**
 * Run the `backtest` command: rolling-origin forecasts for each method,
 * the accuracy table and caveats, and (unless `--no-write`) the forecasts
 * and metrics as CSV, written only once everything succeeded.
 *
 * @param o - the parsed options
 * @returns the backtest, the text to print, the files written
 * @throws CarecastInputError for bad options or data
 */
export function runBacktest(o: BacktestCommandOptions): BacktestCommandResult {
  if (o.write) checkOutDir(o.out);
  const methods = o.methods.split(',').map((m) => m.trim());
  const bad = methods.filter((m) => m !== 'auto' && !isAnyMethodName(m));
  if (bad.length > 0) throw optionError('--methods', `unknown method(s): ${bad.join(', ')}`, 'use naive, drift, linear, loglinear, dampedTrend, repeatGrowth, theta, auto, or a global method: panelGrowth, panelAR, panelGrowthRate, panelARRate');
  const rates = methods.some((m) => m === 'panelGrowthRate' || m === 'panelARRate');
  const horizon = intOption('horizon', o.horizon) ?? 3;
  const levels = o.levels.split(',').map((s) => Number(s.trim()));
  if (levels.some((l) => !(l > 0 && l < 100))) throw optionError('--levels', `levels must be percentages between 0 and 100, got "${o.levels}"`, 'e.g. --levels 80,95');
  let evidence: PanelEvidence | 'asKnown' | undefined;
  if (o.evidence !== undefined) {
    if (!methods.includes('auto')) throw optionError('--evidence', 'panel evidence guides auto, which is not among --methods', 'add auto to --methods, or drop --evidence');
    if (o.evidence === 'as-known') {
      if (o.panel === undefined) throw optionError('--evidence', 'as-known evidence is built from a panel\u2019s own backtest', 'use it with --panel, or give dfe or an evidence JSON file');
      evidence = 'asKnown';
    } else evidence = evidenceOption(o.evidence);
  }
  const fixedEvidence = evidence === 'asKnown' ? undefined : evidence;
  if (o.saveEvidence && o.panel === undefined) throw optionError('--save-evidence', 'panel evidence is built from a panel\u2019s backtests', 'use it with --panel');
  let built: PanelEvidence | undefined;
  const intervals = intervalsOption(o.intervals);
  const options = { methods: methods as BacktestMethod[], horizon, levels, ...(o.intervals !== undefined ? { intervals } : {}) };
  let result: BacktestResult | PanelBacktestResult;
  let label: string;
  let quality: QualityOutput | undefined;
  if (o.panel !== undefined) {
    if (o.seed || o.dfe || o.tidy || o.ssda903) throw optionError('--panel', 'give either --panel or one series source (--seed/--dfe/--tidy/--ssda903), not both', 'drop one of them');
    const progress = createProgress('backtest', { enabled: !o.json });
    try {
      const panel = loadPanelDir(o.panel, progress);
      const series = new Map<string, SeriesInput>(panelSeries(panel));
      // the rate methods: DfE's published populations and the ONS projection, matched by ONS code
      const populations = rates ? { populations: dfePanelPopulations(panel).populations } : {};
      result = backtestPanel(series, { ...options, ...populations, ...(evidence ? { evidence } : {}), onProgress: (d, t) => progress.update(d, t, 'areas') });
      if (o.saveEvidence) {
        // each method on its own, from every origin its training length allows, then compared on the forecasts they share
        const each = (methods as BacktestMethod[]).map((m) => backtestPanel(series, { methods: [m], horizon, levels, ...populations, onProgress: (d, t) => progress.update(d, t, `evidence: ${m}, areas`) }));
        // (evidence is built from point errors only: the band kind does not change it)
        built = panelEvidence(each, { source: `${o.panel === true || o.panel === 'dfe' ? 'bundled DfE panel' : o.panel}: ${methods.join(', ')}, steps 1-${horizon}` });
      }
    } finally {
      progress.stop();
    }
    label = 'dfe-panel';
  } else {
    const reading = createProgress('backtest', { enabled: !o.json });
    let src: ReturnType<typeof loadSource>;
    try {
      src = loadSource(o, reading);
    } finally {
      reading.stop();
    }
    const used = findSeries(src.dataset, o.measure);
    if (o.tidy !== undefined) checkNoGaps(used, o.tidy);
    const population = rates ? { population: datasetPopulation(src.dataset, 'the rate methods') } : {};
    result = backtest(used, { ...options, ...population, ...(fixedEvidence ? { evidence: fixedEvidence } : {}) });
    label = src.label;
    if (src.ssda903) quality = qualityOutput(src.ssda903, label);
  }
  const lines = [formatBacktestTable(result), '', `Bands scored: ${BAND_WORDS[intervals]}.`];
  if (result.caveats.length > 0) {
    lines.push('', 'Caveats:', ...result.caveats.map((c) => `- ${c}`));
  }
  if (quality) lines.push('', quality.text);
  if (built) {
    lines.push('', `Panel evidence: ${built.method} (${built.scores.map((x) => `${x.strategy} ${x.mase.toFixed(3)}`).join(', ')}; ${built.forecasts} forecasts from ${built.areas} areas): ${built.rule}.`);
  }
  const files: string[] = [];
  if (o.write) {
    const outputs: [string, string][] = [[`${label}-backtest-metrics.csv`, toCsv(backtestRecords(result, { areas: result.kind === 'panel' }))]];
    if (result.kind === 'series') outputs.push([`${label}-backtest-forecasts.csv`, toCsv(result.forecasts)]);
    if (built) outputs.push([`${label}-evidence.json`, `${JSON.stringify(built, null, 2)}\n`]);
    if (quality) outputs.push([...quality.file]);
    files.push(...writeAll(o.out, outputs));
    lines.push('', `Wrote ${files.join(', ')}`);
  }
  const text = o.json ? JSON.stringify({ intervals, metrics: backtestRecords(result), caveats: result.caveats, ...(built ? { evidence: built } : {}), ...(quality ? { dataQuality: quality.report } : {}), files }, null, 2) : lines.join('\n');
  return { result, text, files };
}
