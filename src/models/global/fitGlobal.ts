/**
 * One entry to the global (cross-learned) methods: fit on a panel at an
 * origin, then forecast any series with the panel's fitted dynamics.
 *
 * @module
 */
import { CarecastInputError } from '../../data/errors.js';
import type { SeriesPopulation } from '../../data/ons/panelPopulation.js';
import type { SeriesInput } from '../../data/yearValue.js';
import { checkLevels } from '../distribution.js';
import { fitNaive } from '../naive.js';
import { isGlobalMethodName } from '../registry.js';
import { GLOBAL_METHOD_NAMES, type GlobalMethodName } from '../types.js';
import { fitPanelAR, forecastPanelAR, panelARUnusable } from './panelAR.js';
import { fitPanelGrowth, forecastPanelGrowth } from './panelGrowth.js';
import { projectedPopulation, RATE_PER, rateWindow } from './rates.js';
import {
  describePanel,
  eligibleAt,
  entryPoints,
  lastYearOf,
  panelOrigin,
  panelWindows,
  windowOf,
  type GlobalFit,
  type GlobalForecast,
  type GlobalForecastOptions,
  type GlobalMethodOptions,
  type GlobalPanel,
  type SeriesWindow,
} from './shared.js';

/** Options of {@link fitGlobal}. */
export interface FitGlobalOptions extends GlobalMethodOptions {
  /** The origin: the last year used (default: the latest year with a value in the panel). Data after it are ignored. */
  readonly origin?: number;
  /** For the rate methods: each series' child population, by the series' key (e.g. `dfePanelPopulations(panel).populations`). Series without one are left out, and listed. */
  readonly population?: ReadonlyMap<string, SeriesPopulation>;
  /** The panel, in words (default: a count of its series and years). */
  readonly description?: string;
}

function isRate(method: GlobalMethodName): boolean {
  return method === 'panelGrowthRate' || method === 'panelARRate';
}

/**
 * Fit a global method on a panel of series at an origin: every series cut
 * at the origin (years after it ignored; interior gaps such as 2018 filled
 * by straight-line interpolation, as `forecast()` fills them).
 *
 * - `panelGrowth`: each series' log growth over its last (up to) 5 years,
 *   shrunk toward the panel's 10% trimmed mean growth with weight w, damped
 *   by phi; (w, phi) fitted by rolling origin on the panel's data up to the
 *   origin (pooled MASE over steps 1-8, pre-registered grids).
 * - `panelAR`: OLS of each year's log growth on the two previous ones and
 *   the series' mean growth so far, pooled over every series
 *   (`ml-regression`'s `MultivariateLinearRegression`), forecast
 *   recursively.
 * - `panelGrowthRate`, `panelARRate`: the same on the rate per 10,000
 *   children (`population` needed), times the population projected for the
 *   target year.
 *
 * A series is forecast by the log-scale rule only if it has at least 2
 * years and every value of its last 6 is at least 1; others are forecast by
 * naive (listed in `panel.ineligible`). The bands: per step, the pooled
 * root mean square of the rule's log errors (out of sample for
 * `panelGrowth`, from its rolling origins; in sample for `panelAR`), each
 * divided by its series' mean absolute log yearly change, so a series' band
 * is `exp(log point ± z sd_h s_i)` with `s_i` its own scale; beyond the
 * steps with at least 39 errors, `sd_h` grows as a power of h (at least
 * the square root).
 *
 * @param method - `panelGrowth`, `panelAR`, `panelGrowthRate` or `panelARRate`
 * @param panel - the series by key: annual series, `{ year, value }` pairs or plain values (consecutive years ending at the origin)
 * @param options - origin, populations (rates), fixed parameters (ablations), description
 * @returns the fit: plain data, JSON-safe
 * @throws CarecastInputError for an unknown method, an empty panel, a bad series, a rate method without populations, or a fixed parameter out of range
 * @example
 * ```ts
 * const cic = panelSeries(loadDfePanel());
 * const fit = fitGlobal('panelGrowth', cic, { origin: 2024 });
 * fit.growth?.w; fit.growth?.phi; fit.growth?.panelGrowth;
 * forecastWithGlobal(fit, cic.get('Derby')!, 5).point;
 * ```
 */
export function fitGlobal(method: GlobalMethodName, panel: GlobalPanel, options: FitGlobalOptions = {}): GlobalFit {
  if (!isGlobalMethodName(String(method))) {
    throw new CarecastInputError([{ source: 'fitGlobal', field: 'method', message: `unknown global method "${String(method)}"`, fix: `use one of ${GLOBAL_METHOD_NAMES.join(', ')}` }]);
  }
  const origin = options.origin ?? panelOrigin(panel);
  if (!Number.isInteger(origin)) throw new CarecastInputError([{ source: 'fitGlobal', field: 'origin', message: `origin must be a whole year, got ${origin}`, fix: 'e.g. origin: 2024' }]);
  const counts = panelWindows(panel, origin);
  let windows: SeriesWindow[] = counts.windows;
  let rate: GlobalFit['rate'];
  if (isRate(method)) {
    const pops = options.population;
    if (!pops) {
      throw new CarecastInputError([{ source: 'fitGlobal', field: 'population', message: `${method} works on rates per 10,000 children and needs each series' population`, fix: 'give population: dfePanelPopulations(panel).populations (or your own map by series key)' }]);
    }
    const missing: string[] = [];
    windows = [];
    for (const [key, entry] of panel) {
      const pop = pops.get(key);
      if (!pop) {
        missing.push(key);
        continue;
      }
      const w = rateWindow(key, entryPoints(entry, key, origin).points, pop, origin);
      if (w) windows.push(w);
    }
    rate = { withPopulation: panel.size - missing.length, missing };
  }
  const atOrigin = windows.filter((w) => lastYearOf(w) === origin);
  const ineligible = atOrigin.filter((w) => !eligibleAt(w.used, w.used.length - 1)).map((w) => w.key);
  const info = {
    description: describePanel(options.description, counts.windows, panel.size, counts.measure, counts.firstYear, origin) + (rate ? `; rates per 10,000 children for ${rate.withPopulation} series with a population` : ''),
    measure: counts.measure,
    series: panel.size,
    atOrigin: atOrigin.length,
    eligible: atOrigin.length - ineligible.length,
    ineligible,
    firstYear: counts.firstYear,
  };
  const base = { kind: 'globalFit' as const, method, origin, scale: rate ? ('rate' as const) : ('count' as const), panel: info, ...(rate ? { rate } : {}) };
  if (method === 'panelGrowth' || method === 'panelGrowthRate') {
    const { growth, bands } = fitPanelGrowth(windows, origin, options.panelGrowth);
    return { ...base, growth, bands };
  }
  const { ar, bands } = fitPanelAR(windows, origin, options.panelAR);
  return { ...base, ar, bands };
}

function naiveOf(fit: GlobalFit, used: readonly number[], horizon: number, levels: readonly number[], why: string): GlobalForecast {
  if (used.length < 2) {
    throw new CarecastInputError([{ source: fit.method, field: 'series', message: `only ${used.length} year with a value: not even naive can forecast it`, fix: 'supply at least two years' }]);
  }
  const fc = fitNaive(used).forecast(horizon, { levels });
  return { method: fit.method, model: 'naive', point: fc.point, distributions: fc.distributions, intervals: fc.intervals, params: { last: used[used.length - 1] }, note: `Forecast by naive: ${why}.` };
}

/**
 * Forecast one series with a global fit, from the series' own last year:
 * the panel's fitted dynamics (w, phi and the panel growth; or the pooled
 * regression) applied to the series' own level and growth, with bands from
 * the fit's pooled standardised errors times the series' own mean absolute
 * log yearly change. A series not eligible for the log-scale rule (a value
 * below 1 in its last 6 years), or that `panelAR` cannot start (fewer than
 * two growths), or any series when `panelAR` was not fitted, is forecast by
 * naive, and `model` and `note` say so.
 *
 * @param fit - from {@link fitGlobal} or `loadDfeGlobal`
 * @param series - the series (annual series, pairs, or plain values ending at the fit's origin)
 * @param horizon - years ahead (a whole number, at least 1)
 * @param options - levels; for rate fits, the series' population
 * @returns the forecast: point (median), distributions, intervals, the model used and the series' own quantities
 * @throws CarecastInputError for a bad series or horizon, bad levels, or a rate fit without the series' population (or without its population in the last year, or with fewer than 2 years of rates)
 * @example
 * ```ts
 * const fit = fitGlobal('panelGrowth', panelSeries(loadDfePanel()), { origin: 2024 });
 * const fc = forecastWithGlobal(fit, [{ year: 2022, value: 909 }, { year: 2023, value: 995 }, { year: 2024, value: 1057 }], 3, { levels: [80] });
 * fc.point; fc.intervals[0]; fc.params.growth;
 * ```
 */
export function forecastWithGlobal(fit: GlobalFit, series: SeriesInput | readonly number[], horizon: number, options: GlobalForecastOptions = {}): GlobalForecast {
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new CarecastInputError([{ source: fit.method, field: 'horizon', message: `horizon must be a whole number of years, at least 1, got ${horizon}`, fix: 'e.g. 5' }]);
  }
  let levels: number[];
  try {
    levels = checkLevels(options.levels ?? [80, 95]);
  } catch (e) {
    throw new CarecastInputError([{ source: fit.method, field: 'levels', message: (e as Error).message, fix: 'give levels such as [80, 95]' }]);
  }
  const { measure, points } = entryPoints(series, 'series', fit.origin);
  const counts = windowOf(measure, points, Infinity);
  if (!counts) throw new CarecastInputError([{ source: fit.method, field: 'series', message: 'the series has no value', fix: 'supply at least two years' }]);
  const last = lastYearOf(counts);
  let used = counts.used;
  let logFactor: number[] = [];
  let popNote = '';
  if (fit.scale === 'rate') {
    const pop = options.population;
    if (!pop) {
      throw new CarecastInputError([{ source: fit.method, field: 'population', message: `${fit.method} forecasts the rate per 10,000 children and needs the series' population`, fix: 'give population (for a DfE LA: dfePanelPopulations(loadDfePanel()).populations.get(name))' }]);
    }
    const rw = rateWindow('series', points, pop, Infinity);
    if (!rw || lastYearOf(rw) !== last) {
      throw new CarecastInputError([{ source: fit.method, field: 'population', message: `no published population for ${last}, the series' last year`, fix: 'give the population of the last year of the series' }]);
    }
    if (rw.used.length < 2) {
      throw new CarecastInputError([{ source: fit.method, field: 'population', message: `only ${rw.used.length} year with both a value and a population: ${fit.method} starts once two are known`, fix: 'use a method on counts for this origin' }]);
    }
    const proj = projectedPopulation(pop, last, horizon, 'series');
    used = rw.used;
    logFactor = proj.values.map((v) => Math.log(v / RATE_PER));
    popNote = ` The rate per 10,000 children is multiplied by the population projected as known in ${last} (${pop.source}).${proj.note ? ` ${proj.note}` : ''}`;
  }
  const end = used.length - 1;
  if (!eligibleAt(used, end)) {
    return naiveOf(fit, counts.used, horizon, levels, used.length < 2 ? `only ${used.length} year${fit.scale === 'rate' ? ' with a rate' : ''}, and ${fit.method} needs 2` : `a value below 1 in its last 6 years, so the log-scale ${fit.method} does not apply`);
  }
  if (fit.ar) {
    if (!fit.ar.fitted) return naiveOf(fit, counts.used, horizon, levels, `the pooled regression was not fitted at ${fit.origin} (${fit.ar.reason ?? 'no reason given'})`);
    const unusable = panelARUnusable(used);
    if (unusable) return naiveOf(fit, counts.used, horizon, levels, unusable);
    const fc = forecastPanelAR(used, fit.ar, fit.bands, horizon, levels, logFactor);
    return {
      method: fit.method,
      model: fit.method,
      ...fc,
      note: `${fit.method}: the pooled regression of log growth on the two previous growths${fit.ar.c !== null ? ' and the series\u2019 mean growth' : ''} (${fit.ar.rows} rows, fitted at ${fit.origin}), run from this series\u2019 own recent growths.${popNote}`,
    };
  }
  const growth = fit.growth;
  if (!growth) throw new CarecastInputError([{ source: fit.method, field: 'fit', message: 'the fit has neither growth parameters nor a regression', fix: 'fit it with fitGlobal' }]);
  const fc = forecastPanelGrowth(used, growth, fit.bands, horizon, levels, logFactor);
  return {
    method: fit.method,
    model: fit.method,
    ...fc,
    note:
      `${fit.method}: this series\u2019 own log growth (${(100 * (fc.params.ownGrowth ?? 0)).toFixed(1)}% a year) weighted ${growth.w} against the panel\u2019s ` +
      `(${(100 * growth.panelGrowth).toFixed(1)}% a year at ${fit.origin}), damped by ${growth.phi} a year.${popNote}`,
  };
}
