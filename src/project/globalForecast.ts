/**
 * The part of a projection a global method makes: which fit it uses (the
 * one given, one fitted on the panel given, or the bundled DfE panel's),
 * its forecast of the series, and the caveats that say what was borrowed.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import type { SeriesPopulation } from '../data/ons/panelPopulation.js';
import type { YearValue } from '../data/yearValue.js';
import { DFE_GLOBAL_MEASURES, loadDfeGlobal } from '../models/global/dfeGlobal.js';
import { fitGlobal, forecastWithGlobal } from '../models/global/fitGlobal.js';
import { bandSdAt, type GlobalFit, type GlobalPanel } from '../models/global/shared.js';
import { fitNaive } from '../models/naive.js';
import type { MethodOptions } from '../models/registry.js';
import type { Distribution, FitDiagnostics, ForecastInterval, GlobalMethodName } from '../models/types.js';

/** Where a global method's fit comes from in `forecast`. */
export interface GlobalSource {
  /** A fit (from `fitGlobal` or `loadDfeGlobal`), or a panel to fit on at the series' last year; none: the bundled DfE panel's fit. */
  readonly panel?: GlobalFit | GlobalPanel;
  /** Rate methods: the series' population. */
  readonly population?: SeriesPopulation;
  /** Rate methods with a panel map: each panel series' population, by key. */
  readonly panelPopulation?: ReadonlyMap<string, SeriesPopulation>;
  /** Fixed parameters (ablations) for a panel map. */
  readonly methodOptions?: MethodOptions;
}

/** What a global method contributes to a projection. */
export interface GlobalPart {
  /** The method that forecast: the global one, or naive where the series is not eligible. */
  readonly model: GlobalMethodName | 'naive';
  /** The forecast. */
  readonly fc: { readonly point: readonly number[]; readonly intervals: readonly ForecastInterval[]; readonly distributions: readonly Distribution[] };
  /** Diagnostics: the series' own quantities the rule used (naive's own, when naive forecast). */
  readonly diagnostics: FitDiagnostics;
  /** The fit used. */
  readonly fit: GlobalFit;
  /** What was borrowed and how, in plain words. */
  readonly caveats: readonly string[];
  /** What the method's own bands rest on, when the method forecast the series and its spread was read off the panel's errors (absent for a naive stand-in or a fit with no calibrated step). */
  readonly bandBasis?: GlobalBandBasis;
}

/**
 * What a global method's own (log-normal) bands rest on: the spread per step
 * read off the rule's standardised log errors across the panel it was fitted
 * on (`GlobalFit.bands`), times the series' own log scale.
 */
export interface GlobalBandBasis {
  /** Always `'pooled'`: read off a panel's errors, not this series'. */
  readonly calibration: 'pooled';
  /** The global method whose errors they are. */
  readonly calibrationMethod: GlobalMethodName;
  /** H: the steps whose spread was read off at least 39 errors each. */
  readonly calibratedSteps: number;
  /** Per projected year, the number of errors of the step whose spread it uses (step H's beyond H). */
  readonly errors: readonly number[];
  /** Per projected year, `true` beyond H (spread `sd_H (h / H)^k`). */
  readonly extrapolated: readonly boolean[];
  /** The exponent k beyond H, per level (the same for every level and both ends), present when a year is extrapolated. */
  readonly exponents?: readonly { readonly level: number; readonly lower: number; readonly upper: number; readonly fittedLower: number; readonly fittedUpper: number }[];
  /** The series' own mean absolute log yearly change the spread was multiplied by. */
  readonly scale: number;
  /** What the bands rest on, in words. */
  readonly summary: string;
}

/** The basis of a global method's own bands for `horizon` years, or `undefined` when no step was read off errors. */
function bandBasisOf(fit: GlobalFit, horizon: number, levels: readonly number[], logScale: number): GlobalBandBasis | undefined {
  const H = fit.bands.sd.length;
  if (H === 0) return undefined;
  const errors = Array.from({ length: horizon }, (_, i) => fit.bands.errors[Math.min(i + 1, H) - 1]);
  const extrapolated = Array.from({ length: horizon }, (_, i) => i + 1 > H);
  const k = fit.bands.exponent;
  const total = fit.bands.errors.slice(0, H).reduce((a, b) => a + b, 0);
  const later = extrapolated.some((x) => x) ? `; years beyond step ${H} widened as (h / ${H})^${Number(k.toFixed(2))}` : '';
  const summary =
    `Bands: ${fit.method}'s own log-normal bands, pooled over its panel (${fit.panel.description}, fitted at ${fit.origin}): the spread at ${H === 1 ? 'step 1' : `steps 1-${H}`} is the root mean square of ` +
    `${total} standardised log errors, from ${fit.bands.basis}, times this series' own mean absolute log yearly change (${Number(logScale.toPrecision(3))})${later}.`;
  return {
    calibration: 'pooled',
    calibrationMethod: fit.method,
    calibratedSteps: H,
    errors,
    extrapolated,
    ...(extrapolated.some((x) => x) ? { exponents: levels.map((level) => ({ level, lower: k, upper: k, fittedLower: k, fittedUpper: k })) } : {}),
    scale: logScale,
    summary,
  };
}

function fail(field: string, message: string, fix: string): never {
  throw new CarecastInputError([{ source: 'forecast options', field, message, fix }]);
}

function isFit(x: unknown): x is GlobalFit {
  return typeof x === 'object' && x !== null && !(x instanceof Map) && (x as { kind?: unknown }).kind === 'globalFit';
}

function describeFit(fit: GlobalFit): string {
  if (fit.growth) return `w = ${fit.growth.w}, phi = ${fit.growth.phi}, panel growth ${(100 * fit.growth.panelGrowth).toFixed(1)}% a year`;
  if (fit.ar?.fitted) return `pooled regression on ${fit.ar.rows} series-years`;
  return 'no regression fitted';
}

/**
 * A global method's forecast of one series, with the fit it rests on.
 *
 * @param method - the global method
 * @param points - the series' points (ends with no value dropped by the caller's `from`)
 * @param y - the values the history uses (gaps filled), for diagnostics
 * @param horizon - years ahead
 * @param levels - interval levels
 * @param measure - the series' measure (chooses the bundled fit)
 * @param lastYear - the series' last year (the origin a panel map is fitted at)
 * @param source - the panel or fit, populations, fixed parameters
 * @returns the forecast, diagnostics, fit and caveats
 * @throws CarecastInputError for a fit of another method, a measure with no bundled fit, or what `fitGlobal` / `forecastWithGlobal` reject
 */
export function projectGlobal(
  method: GlobalMethodName,
  points: readonly YearValue[],
  y: readonly number[],
  horizon: number,
  levels: readonly number[],
  measure: string,
  lastYear: number,
  source: GlobalSource,
): GlobalPart {
  const caveats: string[] = [];
  let fit: GlobalFit;
  const given = source.panel;
  if (isFit(given)) {
    if (given.method !== method) fail('panel', `the fit given is ${given.method}'s, but the method is ${method}`, `fit ${method} (fitGlobal('${method}', panel)) or ask for ${given.method}`);
    fit = given;
    caveats.push(`${method} used the dynamics fitted on ${given.panel.description} at ${given.origin} (${describeFit(given)}), applied to this series' own level and growth.`);
  } else if (given instanceof Map) {
    fit = fitGlobal(method, given, {
      origin: lastYear,
      ...(source.panelPopulation ? { population: source.panelPopulation } : {}),
      ...(source.methodOptions?.panelGrowth ? { panelGrowth: source.methodOptions.panelGrowth } : {}),
      ...(source.methodOptions?.panelAR ? { panelAR: source.methodOptions.panelAR } : {}),
    });
    caveats.push(`${method} was fitted on the panel given (${fit.panel.description}) at ${lastYear} (${describeFit(fit)}) and applied to this series' own level and growth.`);
  } else if (given !== undefined) {
    return fail('panel', 'panel must be a global fit (fitGlobal, loadDfeGlobal) or a Map of series', 'e.g. panel: panelSeries(loadDfePanel())');
  } else {
    let m = measure;
    if (!(DFE_GLOBAL_MEASURES as readonly string[]).includes(m)) {
      if (m !== 'value') fail('panel', `no bundled global fit for the measure "${measure}"`, `give a panel of ${measure} series (panel: Map of series), or use a single-series method`);
      m = 'children_in_care';
    }
    const bundled = loadDfeGlobal(m);
    const f = bundled.fits[method];
    if (!f) fail('method', `the bundled DfE panel has no ${method} fit for ${m}`, 'give a panel, or use another method');
    fit = f;
    caveats.push(
      `${method} borrowed the dynamics fitted on the DfE panel's ${f.panel.series} local authorities (${m.replace(/_/g, ' ')}${measure === 'value' ? ', as which these plain values are read' : ''}) at ${f.origin} (${describeFit(f)}), applied to this series' own level and growth.`,
    );
  }
  const g = forecastWithGlobal(fit, points, horizon, { levels, ...(source.population ? { population: source.population } : {}) });
  caveats.push(g.note);
  let diagnostics: FitDiagnostics;
  if (g.model === 'naive') {
    diagnostics = fitNaive(y).diagnostics;
  } else {
    const s = (bandSdAt(fit.bands, 1) * (g.params.logScale ?? Number.NaN)) ** 2;
    diagnostics = { n: y.length, params: g.params, sigma2: s, fitted: y.map(() => Number.NaN), residuals: y.map(() => Number.NaN) };
  }
  const logScale = g.params.logScale;
  const bandBasis = g.model === 'naive' || logScale === undefined ? undefined : bandBasisOf(fit, horizon, levels, logScale);
  return { model: g.model, fc: g, diagnostics, fit, caveats, ...(bandBasis ? { bandBasis } : {}) };
}
