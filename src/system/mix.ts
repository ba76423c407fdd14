/**
 * Placement and provider mix: forecast the *shares* of the groups that make
 * up children in care, not independent lines, so that shares stay in [0, 1]
 * and add to one, and counts are shares x the total, path by path.
 *
 * ## The model
 *
 * With K groups and shares `s_g,t` (count / sum of the groups), the K - 1
 * additive log-ratios `z_g,t = log(s_g,t / s_ref,t)` against a reference
 * group (by default the largest on average, which keeps the ratios away
 * from small, noisy denominators) are unrestricted real numbers. Each is
 * forecast with one method shared by the mix (`naive`, `drift` or `linear`,
 * the univariate models of `carecast`), and any point on the log-ratio scale
 * maps back to shares in the simplex (`s_g = exp(z_g) / (1 + Σ exp(z_j))`),
 * so every forecast and every simulated path is a valid mix.
 *
 * The log-ratios are forecast jointly: the one-step residuals of the K - 1
 * series give a residual covariance, shrunk towards its diagonal (the
 * correlations towards zero) with the Schäfer-Strimmer intensity because the
 * series are short ({@link shrinkCovariance}); the variances are not shrunk.
 * Simulation draws correlated innovations through the Cholesky factor of
 * that matrix, for the process noise and for the parameter uncertainty (the
 * drift, or the trend coefficients), so the groups move together as they
 * did in the past. Each path also scales its innovations by
 * `sqrt(df / χ²_df)` (df = the residual degrees of freedom), which draws the
 * unknown variance as well: each log-ratio's marginal is then the univariate
 * model's (`fitNaive`, `fitDrift`, `fitLinear`) with Student-t rather than
 * normal tails, as `fitLinear` already has. With 3-6 years of data this
 * matters: on the SFR panel (151 LAs, five placement groups, forecasting
 * to 2017 from data ending 2013-2016, against published shares), normal
 * bands held the observed share 67-72% of the time at 80% and 81-90% at
 * 95%; with the variance drawn, 73-80% and 89-96%.
 *
 * ## Why `naive` by default
 *
 * Shares move slowly and their year-to-year changes are mostly noise. On
 * the DfE SFR panel (151 LAs, five placement groups), share forecasts to
 * 2017 from data ending in 2013, 2014, 2015 or 2016 had a mean absolute
 * error of 1.5-2.2 percentage points with `naive` log-ratios against
 * 1.8-4.2 with `drift` and 2.0-4.2 with `linear` (scored on published and
 * deduced shares), `naive` best from every origin
 * (`test/system/mix.test.ts` repeats this check).
 * `naive` keeps the last observed mix and widens the bands with the
 * horizon; `drift` and `linear` extrapolate a trend in the mix (which stays
 * inside the simplex), and `'auto'` chooses between the three by pooled
 * rolling-origin accuracy over the log-ratios.
 *
 * ## Points and medians
 *
 * The point share is the inverse log-ratio transform of the point
 * log-ratios; the point count of a group is point share x point total, so
 * points add up exactly. Path medians (and every quantile) come from the
 * simulated paths and are reported beside them: medians of groups do not
 * add to the median of the total, and need not.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../data/errors.js';
import type { AnnualSeries } from '../data/schemas.js';
import { selectMethod, type MethodSelection } from '../models/selectMethod.js';
import { createRng, streamSeed } from '../math/rng.js';
import { checkLevels } from '../models/distribution.js';
import { chiSquare } from '../models/paths.js';
import { fitMethod, isMethodName, type MethodOptions } from '../models/registry.js';
import type { FitDiagnostics, ForecastInterval, MethodName, SamplePaths, SimulateOptions } from '../models/types.js';
import type { SeriesInput, YearValue } from '../data/yearValue.js';
import { forecast } from '../project/forecast.js';
import { pathBands, type PathBands } from '../uncertainty/pathBands.js';
import { cholesky, type Matrix } from './linalg.js';
import { shrinkCovariance } from './reconcile.js';

/** The methods the mix can use for its log-ratios. */
export const MIX_METHODS = ['naive', 'drift', 'linear'] as const;
/** A method for the log-ratios of a mix. */
export type MixMethod = (typeof MIX_METHODS)[number];


/**
 * The four-way cross finance teams use, as group names for {@link fitMix}
 * or {@link forecastGroups}: fostering and residential, each by internal
 * (the council's own provision) and external (agency, IFA, private and
 * voluntary) provision. Children placed otherwise fall in the remainder
 * group when a total is given.
 */
export const FINANCE_CROSS_GROUPS: readonly string[] = ['fostering_internal', 'fostering_external', 'residential_internal', 'residential_external'];

/** Options for {@link fitMix}. */
export interface FitMixOptions {
  /** The log-ratio method: `'naive'` (default), `'drift'`, `'linear'`, or `'auto'` (pooled rolling-origin choice). */
  readonly method?: MixMethod | 'auto';
  /**
   * The total the groups are part of. When given, every year where it and
   * the groups are known is checked (the groups must not exceed it by more
   * than `tolerance`); when the groups cover the total, suppressed groups
   * are filled from it (see {@link fitMix}); and when the groups fall short
   * of the total the shortfall becomes a remainder group (see `remainder`).
   */
  readonly total?: SeriesInput;
  /**
   * When the groups cover less than the total (by more than `tolerance` in
   * some year): `'add'` (default) adds a group named `remainderName` holding
   * total minus the groups; `'error'` throws.
   */
  readonly remainder?: 'add' | 'error';
  /** Name of the remainder group (default `'unallocated'`). */
  readonly remainderName?: string;
  /** Allowed difference between the groups' sum and the total, in children (default: the larger of 1 and 0.5% of the total). */
  readonly tolerance?: number;
  /** The log-ratio reference group (default: the largest average share). */
  readonly reference?: string;
  /** What a zero count is replaced by before taking logs (default 0.5 of a child). */
  readonly zeroReplacement?: number;
  /** Ignore years before this one. */
  readonly from?: number;
  /** A label for error messages (default `'groups'`). */
  readonly source?: string;
}

/** Options for {@link fitMixFromShares}. */
export interface FitMixFromSharesOptions {
  /** The log-ratio method (default `'naive'`). */
  readonly method?: MixMethod | 'auto';
  /** How far a year's shares may be from summing to one before it is an error (default 0.02: published percentages are rounded); within it they are rescaled. */
  readonly tolerance?: number;
  /** The number of children the shares are read as being of, for zero replacement (default 100: a zero share becomes 0.5%). */
  readonly denominator?: number;
  /** The log-ratio reference group (default: the largest average share). */
  readonly reference?: string;
  /** Ignore years before this one. */
  readonly from?: number;
  /** A label for error messages (default `'shares'`). */
  readonly source?: string;
}

/** One year of the mix's history as the model saw it. */
export interface MixHistoryPoint {
  /** Year (31 March). */
  readonly year: number;
  /**
   * `observed`; `deduced` (one suppressed group taken as the total minus the
   * others); `imputed` (several suppressed groups sharing the total minus the
   * others, see {@link fitMix}); `interpolated` (a gap, filled on the
   * log-ratio scale).
   */
  readonly status: 'observed' | 'deduced' | 'imputed' | 'interpolated';
  /** Counts per group as given or deduced (`null` where unknown); for shares input, the shares. */
  readonly counts: Readonly<Record<string, number | null>>;
  /** Shares per group used by the model (after zero replacement); they sum to one. */
  readonly shares: Readonly<Record<string, number>>;
}

/** What the mix fit reports about itself. */
export interface MixDiagnostics {
  /** Number of years used. */
  readonly n: number;
  /** The groups with a log-ratio series (every group except the reference), in order. */
  readonly logRatioGroups: readonly string[];
  /** The log-ratio series used, per group. */
  readonly logRatios: Readonly<Record<string, readonly number[]>>;
  /** Each log-ratio model's parameters (e.g. `last`, `drift`, `driftSe`, `intercept`, `slope`). */
  readonly params: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Each log-ratio model's one-step residual variance (not shrunk). */
  readonly variances: Readonly<Record<string, number>>;
  /** The residuals' sample correlation matrix (uncentred), in `logRatioGroups` order. */
  readonly sampleCorrelation: readonly (readonly number[])[];
  /** The correlation matrix used for simulation, `(1 - λ) R + λ I`. */
  readonly correlation: readonly (readonly number[])[];
  /** The Schäfer-Strimmer shrinkage intensity estimated from the residuals (1 when it cannot be estimated). */
  readonly lambdaEstimated: number;
  /** The intensity used: the estimate, raised if needed to make the matrix positive definite. */
  readonly lambda: number;
  /** Residual degrees of freedom (n - 1 for naive, n - 2 for drift and linear): the Student-t degrees of freedom of the simulated innovations. */
  readonly df: number;
}

/** How `'auto'` chose the mix method. */
export interface MixSelection {
  /** The chosen method. */
  readonly method: MixMethod;
  /** Each candidate's mean MASE over the log-ratio series it could be scored on. */
  readonly scores: readonly { readonly method: MixMethod; readonly mase: number; readonly series: number }[];
  /** The rule, in words. */
  readonly rule: string;
}

/** Simulated share paths: one {@link SamplePaths} per group; at every path and step the groups' shares sum to one. */
export interface MixPaths {
  /** The groups, in order. */
  readonly groups: readonly string[];
  /** Number of paths. */
  readonly paths: number;
  /** Steps per path. */
  readonly horizon: number;
  /** Share paths per group. */
  readonly shares: Readonly<Record<string, SamplePaths>>;
}

/** Options for {@link FittedMix.forecastShares}. */
export interface ShareForecastOptions extends SimulateOptions {
  /** Interval levels in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
}

/** Share forecasts per group. */
export interface ShareForecast {
  /** The groups, in order. */
  readonly groups: readonly string[];
  /** Steps ahead. */
  readonly horizon: number;
  /** Point shares per group and step (inverse log-ratio of the point log-ratios; they sum to one exactly). */
  readonly point: Readonly<Record<string, readonly number[]>>;
  /** Simulated bands of each group's share. */
  readonly bands: Readonly<Record<string, PathBands>>;
}

/** A mix fitted by {@link fitMix} or {@link fitMixFromShares}. */
export interface FittedMix {
  /** The groups, in order (the remainder group last, when one was added). */
  readonly groups: readonly string[];
  /** The log-ratio reference group. */
  readonly reference: string;
  /** The method used for the log-ratios. */
  readonly method: MixMethod;
  /** The method asked for. */
  readonly requestedMethod: MixMethod | 'auto';
  /** How `'auto'` chose, when it did. */
  readonly selection?: MixSelection;
  /** The history used, one entry per year from the first to the last complete year. */
  readonly history: readonly MixHistoryPoint[];
  /** The last year of the history; forecasts start the year after. */
  readonly lastYear: number;
  /** The remainder group added (total minus the groups), if any. */
  readonly remainderGroup?: string;
  /** Parameters, residual covariance and shrinkage. */
  readonly diagnostics: MixDiagnostics;
  /** Plain-language notes on what the fit rests on. */
  readonly caveats: readonly string[];
  /**
   * Point shares for `horizon` years ahead (no simulation).
   *
   * @param horizon - years ahead (a positive integer)
   * @returns per group, one share per step; at every step they sum to one
   */
  pointShares(horizon: number): Record<string, number[]>;
  /**
   * Point shares and simulated share bands.
   *
   * @param horizon - years ahead (a positive integer)
   * @param options - levels, paths (default 1000) and seed (default 1)
   * @returns the share forecast
   */
  forecastShares(horizon: number, options?: ShareForecastOptions): ShareForecast;
  /**
   * Simulate share paths from the joint log-ratio model (correlated
   * innovations, parameter uncertainty and a variance draw per path);
   * reproducible from the seed.
   *
   * @param horizon - years ahead (a positive integer)
   * @param options - paths (default 1000) and seed (default 1)
   * @returns share paths per group, summing to one in every path and step
   */
  simulate(horizon: number, options?: SimulateOptions): MixPaths;
}

/** Options for {@link projectMix}. */
export interface ProjectMixOptions {
  /** Interval levels in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
}

/** Group counts from total paths x share paths. */
export interface MixProjection {
  /** The groups, in order. */
  readonly groups: readonly string[];
  /** Number of paths. */
  readonly paths: number;
  /** Steps per path. */
  readonly horizon: number;
  /** The total paths used (clipped at zero). */
  readonly total: SamplePaths;
  /** Count paths per group: share x total, path by path (non-negative). */
  readonly counts: Readonly<Record<string, SamplePaths>>;
  /** Bands of the total. */
  readonly totalBands: PathBands;
  /** Bands of each group's count. */
  readonly bands: Readonly<Record<string, PathBands>>;
  /** The largest |total - sum of the groups| over every path and step (rounding error only). */
  readonly maxIncoherence: number;
  /** The largest |total - sum of the groups| / max(1, total) over every path and step. */
  readonly maxRelativeIncoherence: number;
  /** How many total draws were below zero and set to zero. */
  readonly clippedDraws: number;
}

/** Options for {@link forecastGroups}. */
export interface ForecastGroupsOptions {
  /** Last year to project (inclusive). Give this or `horizon`. */
  readonly to?: number;
  /** Years to project beyond the total's last observation. Give this or `to`. */
  readonly horizon?: number;
  /** Interval levels in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
  /** Number of simulated paths (default 1000). */
  readonly paths?: number;
  /** Seed (default 1): the total and the mix use independent streams derived from it. */
  readonly seed?: number;
  /** The total's method, or `'auto'` (default) as in {@link forecast}. */
  readonly totalMethod?: MethodName | 'auto';
  /** The mix's log-ratio method (default `'naive'`). */
  readonly mixMethod?: MixMethod | 'auto';
  /** Per-method options of the total's method. */
  readonly methodOptions?: MethodOptions;
  /** Ignore years before this one (total and groups). */
  readonly from?: number;
  /** As in {@link FitMixOptions}. */
  readonly remainder?: 'add' | 'error';
  /** As in {@link FitMixOptions}. */
  readonly remainderName?: string;
  /** As in {@link FitMixOptions}. */
  readonly tolerance?: number;
  /** As in {@link FitMixOptions}. */
  readonly reference?: string;
  /** As in {@link FitMixOptions}. */
  readonly zeroReplacement?: number;
  /** Also summarise each group's share paths (`shareBands`); off by default because it costs as much again as the count bands. */
  readonly shareBands?: boolean;
}

/** The total in a {@link GroupProjection}. */
export interface GroupProjectionTotal extends PathBands {
  /** Point per year: the published (or interpolated) total in years it is known, else the model's point forecast (never below zero). */
  readonly point: readonly number[];
  /** Per year, whether the total is known (published or interpolated) rather than forecast. */
  readonly observed: readonly boolean[];
  /** The total's method. */
  readonly method: MethodName;
}

/** One group in a {@link GroupProjection}. */
export interface GroupProjectionGroup extends PathBands {
  /** Point count per year: point share x point total (so groups add to the total exactly). */
  readonly point: readonly number[];
  /** Point share per year. */
  readonly share: readonly number[];
  /** Simulated bands of the share, when asked for (`shareBands: true`). */
  readonly shareBands?: PathBands;
}

/** Coherence checks of a {@link GroupProjection}. */
export interface GroupCoherence {
  /** `true` when, in every path and in the points, |total - sum of groups| <= 1e-9 x max(1, total). */
  readonly coherent: boolean;
  /** The largest |total - sum of groups| over every simulated path and year. */
  readonly maxPathError: number;
  /** The largest |total point - sum of group points| over years. */
  readonly maxPointError: number;
}

/** What {@link forecastGroups} used. */
export interface GroupProjectionDiagnostics {
  /** The total's fit. */
  readonly total: FitDiagnostics;
  /** How `'auto'` chose the total's method, when it did. */
  readonly totalSelection?: MethodSelection;
  /** The mix's method. */
  readonly mixMethod: MixMethod;
  /** How `'auto'` chose the mix method, when it did. */
  readonly mixSelection?: MixSelection;
  /** The log-ratio reference group. */
  readonly reference: string;
  /** The mix's fit. */
  readonly mix: MixDiagnostics;
  /** The mix's history. */
  readonly mixHistory: readonly MixHistoryPoint[];
  /** Paths simulated. */
  readonly paths: number;
  /** The seed; the total used `streamSeed(seed, 0)`, the mix `streamSeed(seed, 1)`. */
  readonly seed: number;
  /** Total draws below zero, set to zero. */
  readonly clippedDraws: number;
}

/** The result of {@link forecastGroups}: a coherent projection of a total and its groups. */
export interface GroupProjection {
  /** The area (from the total series). */
  readonly area: string;
  /** The measure (from the total series). */
  readonly measure: string;
  /** Projected years: from the year after the groups' last year to the target. */
  readonly years: readonly number[];
  /** The groups, in order (remainder last, when added). */
  readonly groups: readonly string[];
  /** The total. */
  readonly total: GroupProjectionTotal;
  /** Each group. */
  readonly byGroup: Readonly<Record<string, GroupProjectionGroup>>;
  /** Coherence checks: groups add to the total in every path and in the points. */
  readonly coherence: GroupCoherence;
  /** Plain-language notes. */
  readonly caveats: readonly string[];
  /** Methods, fits and seeds. */
  readonly diagnostics: GroupProjectionDiagnostics;
}

/** One tidy row of a {@link GroupProjection}: a year of the total (`group: 'total'`) or of a group. */
export type GroupProjectionRecord = {
  /** Area name. */
  area: string;
  /** Measure name. */
  measure: string;
  /** Year (31 March). */
  year: number;
  /** `'total'` or the group's name. */
  group: string;
  /** `observed` for a known total, else `forecast`. */
  type: 'observed' | 'forecast';
  /** Point count. */
  point: number;
  /** Median of the simulated paths. */
  median: number;
  /** Point share of the total (1 for the total). */
  share: number;
} & { [bound: `lo_${number}` | `hi_${number}`]: number };

// ---------------------------------------------------------------------------
// input handling

interface InputPoint {
  readonly value: number | null;
  readonly upper?: number;
  readonly row: number;
}

function fail(problems: InputProblem[]): never {
  throw new CarecastInputError(problems);
}

function readSeries(series: SeriesInput, source: string, field: string, problems: InputProblem[]): Map<number, InputPoint> {
  const raw: readonly { year: number; value: number | null; suppressed?: { upper?: number } }[] = Array.isArray(series)
    ? (series as readonly YearValue[])
    : (series as AnnualSeries).points;
  const out = new Map<number, InputPoint>();
  raw.forEach((p, i) => {
    const row = i + 1;
    if (!Number.isInteger(p.year)) {
      problems.push({ source, row, field, message: `year must be a whole number, got ${p.year}`, fix: 'give the year of the 31 March, e.g. 2017' });
      return;
    }
    if (out.has(p.year)) {
      problems.push({ source, row, field, message: `duplicate year ${p.year} (also point ${out.get(p.year)!.row})`, fix: 'keep one value per year' });
      return;
    }
    if (p.value !== null && !Number.isFinite(p.value)) {
      problems.push({ source, row, field, message: `${p.year}: value must be a finite number or null, got ${p.value}`, fix: 'use null for a missing or suppressed value' });
      return;
    }
    if (p.value !== null && p.value < 0) {
      problems.push({ source, row, field, message: `${p.year}: negative count ${p.value}`, fix: 'counts cannot be negative; check the source' });
      return;
    }
    const upper = p.suppressed?.upper;
    out.set(p.year, { value: p.value, row, ...(upper !== undefined ? { upper } : {}) });
  });
  return out;
}

function yearsList(years: readonly number[]): string {
  if (years.length === 0) return '';
  const parts: string[] = [];
  let start = years[0];
  let prev = years[0];
  for (let i = 1; i <= years.length; i++) {
    const y = years[i];
    if (y === prev + 1) {
      prev = y;
      continue;
    }
    parts.push(start === prev ? `${start}` : `${start}-${prev}`);
    start = y;
    prev = y;
  }
  return parts.join(', ');
}

/** A table of counts: names x years, null where unknown, with per-cell status. */
interface CountTable {
  readonly names: string[];
  readonly years: number[];
  /** values[g][t] */
  readonly values: (number | null)[][];
  readonly status: ('observed' | 'deduced' | 'imputed')[];
  readonly remainder?: string;
}

function validateGroups(groups: Readonly<Record<string, SeriesInput>>, options: FitMixOptions, caveats: string[]): CountTable {
  const source = options.source ?? 'groups';
  const names = Object.keys(groups);
  const problems: InputProblem[] = [];
  if (names.length < 2) {
    fail([{ source, field: 'groups', message: `a mix needs at least two groups, got ${names.length}${names.length ? ` (${names.join(', ')})` : ''}`, fix: 'give the count series of every group, e.g. { fostering, residential, other }' }]);
  }
  for (const g of names) if (g.trim() === '' || g === 'total') problems.push({ source, field: g || '(empty)', message: `group name ${JSON.stringify(g)} is not allowed`, fix: 'name groups by what they hold, e.g. fostering_internal; "total" is reserved for the total' });
  const maps = names.map((g) => readSeries(groups[g], source, g, problems));
  if (problems.length > 0) fail(problems);
  const from = options.from;
  const keep = (y: number) => from === undefined || y >= from;
  const yearSets = maps.map((m) => [...m.keys()].filter(keep).sort((a, b) => a - b));
  const ref = yearSets[0];
  names.forEach((g, i) => {
    const ys = yearSets[i];
    const missing = ref.filter((y) => !ys.includes(y));
    const extra = ys.filter((y) => !ref.includes(y));
    if (missing.length > 0 || extra.length > 0) {
      problems.push({
        source,
        field: g,
        message: `group "${g}" has years ${yearsList(ys)}, group "${names[0]}" ${yearsList(ref)}${missing.length ? ` (missing ${yearsList(missing)})` : ''}${extra.length ? ` (extra ${yearsList(extra)})` : ''}`,
        fix: 'give every group the same years; use null for a missing or suppressed value',
      });
    }
  });
  if (problems.length > 0) fail(problems);
  if (ref.length === 0) fail([{ source, field: 'groups', message: `no years${from !== undefined ? ` from ${from}` : ''}`, fix: 'give at least two years of group counts' }]);
  // a contiguous run of years; absent interior years are gaps
  const years: number[] = [];
  for (let y = ref[0]; y <= ref[ref.length - 1]; y++) years.push(y);
  const values: (number | null)[][] = maps.map((m) => years.map((y) => m.get(y)?.value ?? null));
  const uppers: (number | undefined)[][] = maps.map((m) => years.map((y) => m.get(y)?.upper));
  const status: ('observed' | 'deduced' | 'imputed')[] = years.map(() => 'observed');
  let remainder: string | undefined;
  if (options.total !== undefined) {
    const tp: InputProblem[] = [];
    const totalMap = readSeries(options.total, source, 'total', tp);
    if (tp.length > 0) fail(tp);
    const tot = years.map((y) => totalMap.get(y)?.value ?? null);
    const tolOf = (t: number) => options.tolerance ?? Math.max(1, 0.005 * t);
    // 1. groups exceeding the total
    years.forEach((y, t) => {
      const T = tot[t];
      if (T === null) return;
      const known = names.filter((_, g) => values[g][t] !== null);
      const sum = known.reduce((a, g) => a + (values[names.indexOf(g)][t] as number), 0);
      if (sum > T + tolOf(T)) {
        problems.push({
          source,
          row: totalMap.get(y)?.row,
          field: 'total',
          message: `${y}: the groups sum to ${sum} (${known.map((g) => `${g} ${values[names.indexOf(g)][t]}`).join(', ')}), more than the total ${T}`,
          fix: 'check that the groups do not overlap and are for the same date as the total, or raise tolerance',
        });
      }
    });
    if (problems.length > 0) fail(problems);
    // 2. do the groups cover the total?
    const short: string[] = [];
    years.forEach((y, t) => {
      const T = tot[t];
      if (T === null || values.some((v) => v[t] === null)) return;
      const sum = values.reduce((a, v) => a + (v[t] as number), 0);
      if (T - sum > tolOf(T)) short.push(`${y} (${T - sum} of ${T})`);
    });
    if (short.length > 0) {
      if ((options.remainder ?? 'add') === 'error') {
        fail([
          {
            source,
            field: 'total',
            message: `the groups cover less than the total in ${short.join(', ')}`,
            fix: 'add the missing groups, or use remainder: "add" to project the rest as an unallocated group',
          },
        ]);
      }
      remainder = options.remainderName ?? 'unallocated';
      if (names.includes(remainder)) fail([{ source, field: remainder, message: `the remainder group name "${remainder}" is already a group`, fix: 'choose another remainderName' }]);
      const rem = years.map((_, t) => {
        const T = tot[t];
        if (T === null || values.some((v) => v[t] === null)) return null;
        return Math.max(0, T - values.reduce((a, v) => a + (v[t] as number), 0));
      });
      caveats.push(`The groups cover less than the total (short by ${short.join(', ')}): the rest is projected as the group "${remainder}".`);
      names.push(remainder);
      values.push(rem);
      uppers.push(years.map(() => undefined));
    } else {
      // 3. one missing group = total - the others
      const filled: string[] = [];
      years.forEach((y, t) => {
        const T = tot[t];
        const miss = values.map((v, g) => (v[t] === null ? g : -1)).filter((g) => g >= 0);
        if (T === null || miss.length !== 1) return;
        const g = miss[0];
        const others = values.reduce((a, v, k) => a + (k === g ? 0 : (v[t] as number)), 0);
        const v = Math.max(0, T - others);
        const up = uppers[g][t];
        if (up !== undefined && v > up + tolOf(T)) return;
        values[g][t] = v;
        status[t] = 'deduced';
        filled.push(`${names[g]} ${y} = ${v}`);
      });
      if (filled.length > 0) caveats.push(`Suppressed values taken as the total minus the other groups: ${filled.join('; ')}.`);
      // 4. several missing groups: split total - the others between them in
      // proportion to each one's average share where it is known (equally if
      // never), capped at each cell's suppression bound
      const avgShare = names.map((_, g) => {
        let sum = 0;
        let count = 0;
        years.forEach((_, t) => {
          const T = tot[t];
          const v = values[g][t];
          if (T !== null && T > 0 && v !== null) {
            sum += v / T;
            count++;
          }
        });
        return count > 0 ? sum / count : undefined;
      });
      const imputed: string[] = [];
      years.forEach((y, t) => {
        const T = tot[t];
        const miss = values.map((v, g) => (v[t] === null ? g : -1)).filter((g) => g >= 0);
        if (T === null || miss.length < 2) return;
        const rest = Math.max(0, T - values.reduce((a, v) => a + (v[t] ?? 0), 0));
        const known = miss.map((g) => avgShare[g]).filter((w): w is number => w !== undefined);
        const fallback = known.length > 0 ? known.reduce((a, w) => a + w, 0) / known.length : 1;
        const weight = miss.map((g) => Math.max(avgShare[g] ?? fallback, 1e-6));
        const alloc = new Array<number>(miss.length).fill(0);
        const capped = new Array<boolean>(miss.length).fill(false);
        let left = rest;
        for (let round = 0; round < miss.length && left > 1e-9; round++) {
          const open = miss.map((_, i) => i).filter((i) => !capped[i]);
          if (open.length === 0) break;
          const wsum = open.reduce((a, i) => a + weight[i], 0);
          let spill = 0;
          for (const i of open) {
            const up = uppers[miss[i]][t];
            const want = alloc[i] + (left * weight[i]) / wsum;
            if (up !== undefined && want > up) {
              spill += want - up;
              alloc[i] = up;
              capped[i] = true;
            } else alloc[i] = want;
          }
          left = spill;
        }
        if (left > tolOf(T)) return; // the bounds cannot hold the rest: leave the year as a gap
        miss.forEach((g, i) => (values[g][t] = alloc[i]));
        status[t] = 'imputed';
        imputed.push(`${y} (${miss.map((g, i) => `${names[g]} ${+alloc[i].toFixed(1)}`).join(', ')} of ${rest})`);
      });
      if (imputed.length > 0) {
        caveats.push(
          `Several groups suppressed in one year: the total minus the published groups is split between them in proportion to their average share in other years, within their suppression bounds: ${imputed.join('; ')}. Their shares are estimates.`,
        );
      }
    }
  }
  return { names, years, values, status, ...(remainder ? { remainder } : {}) };
}

// ---------------------------------------------------------------------------
// the joint log-ratio model

function invAlr(z: Float64Array, refIndex: number, k: number, out: Float64Array): void {
  // shares: exp(z_j) / (1 + Σ exp(z_j)); the reference has z = 0. Shifted by
  // the largest log-ratio so no exp overflows.
  const j = z.length;
  let max = 0;
  for (let c = 0; c < j; c++) if (z[c] > max) max = z[c];
  const ref = Math.exp(-max);
  let sum = ref;
  let c = 0;
  for (let g = 0; g < k; g++) {
    if (g === refIndex) continue;
    const v = Math.exp(z[c++] - max);
    out[g] = v;
    sum += v;
  }
  out[refIndex] = ref;
  const inv = 1 / sum;
  for (let g = 0; g < k; g++) out[g] *= inv;
}

interface JointModel {
  readonly method: MixMethod;
  readonly n: number;
  readonly j: number;
  readonly last: Float64Array;
  readonly drift: Float64Array;
  readonly intercept: Float64Array;
  readonly slope: Float64Array;
  readonly sd: Float64Array;
  /** diag(sd) x the Cholesky factor of the shrunk correlation, over the series with sd > 0 (row-major, a x a). */
  readonly scaledChol: Float64Array;
  /** Indices of the series with sd > 0. */
  readonly active: Int32Array;
}

function pointLogRatios(m: JointModel, h: number, out: Float64Array): void {
  for (let i = 0; i < m.j; i++) {
    if (m.method === 'naive') out[i] = m.last[i];
    else if (m.method === 'drift') out[i] = m.last[i] + h * m.drift[i];
    else out[i] = m.intercept[i] + m.slope[i] * (m.n + h);
  }
}

/**
 * Draw correlated innovations with covariance Σ (sd_i sd_k R_λ,ik) into e:
 * e = diag(sd) L u over the series with variation, 0 for the others.
 */
function drawCorrelated(m: JointModel, rng: { normal(): number }, u: Float64Array, e: Float64Array): void {
  const a = m.active.length;
  const L = m.scaledChol;
  if (a < m.j) e.fill(0);
  for (let i = 0; i < a; i++) u[i] = rng.normal();
  for (let i = 0; i < a; i++) {
    let s = 0;
    const row = i * a;
    for (let k = 0; k <= i; k++) s += L[row + k] * u[k];
    e[m.active[i]] = s;
  }
}

function selectMixMethod(z: number[][]): MixSelection {
  const n = z[0]?.length ?? 0;
  if (n < 4) {
    return { method: 'naive', scores: [], rule: `only ${n} years: too few to score methods out of sample, so naive is used` };
  }
  const sums = new Map<MixMethod, { sum: number; count: number }>(MIX_METHODS.map((m) => [m, { sum: 0, count: 0 }]));
  for (const series of z) {
    const sel = selectMethod(series, { candidates: MIX_METHODS });
    for (const s of sel.scores) {
      if (!Number.isFinite(s.mase)) continue;
      const acc = sums.get(s.method as MixMethod)!;
      acc.sum += s.mase;
      acc.count++;
    }
  }
  const scores = MIX_METHODS.map((method) => {
    const acc = sums.get(method)!;
    return { method, mase: acc.count > 0 ? acc.sum / acc.count : Infinity, series: acc.count };
  }).sort((a, b) => (Math.abs(a.mase - b.mase) <= 1e-9 ? MIX_METHODS.indexOf(a.method) - MIX_METHODS.indexOf(b.method) : a.mase - b.mase));
  const best = scores[0];
  return {
    method: Number.isFinite(best.mase) ? best.method : 'naive',
    scores,
    rule: 'lowest mean absolute scaled error of the log-ratios, 1-3 years ahead by rolling origin, averaged over the log-ratio series; ties to the simpler method',
  };
}

function fitTable(table: CountTable, options: { method?: MixMethod | 'auto'; reference?: string; zeroReplacement: number; source: string; zeroUnit: string }, caveats: string[]): FittedMix {
  const { names, years, values, status } = table;
  const k = names.length;
  const source = options.source;
  const complete = years.map((_, t) => values.every((v) => v[t] !== null));
  const first = complete.indexOf(true);
  const lastT = complete.lastIndexOf(true);
  const nComplete = complete.filter(Boolean).length;
  if (first < 0 || nComplete < 2) {
    fail([
      {
        source,
        field: 'groups',
        message: `only ${nComplete} year${nComplete === 1 ? '' : 's'} with every group known (${years.length ? yearsList(years) : 'no years'})`,
        fix: 'give at least two years where every group is published, or the total (suppressed groups are then filled from it)',
      },
    ]);
  }
  const dropped = years.filter((_, t) => t < first || t > lastT);
  if (dropped.length > 0) caveats.push(`Not every group is known in ${yearsList(dropped)} at the ends of the series: those years are not used.`);
  const useYears = years.slice(first, lastT + 1);
  const n = useYears.length;
  // zero replacement, then shares for complete years
  const zeros: string[] = [];
  const shares: (Float64Array | null)[] = useYears.map((y, i) => {
    const t = first + i;
    if (!complete[t]) return null;
    const c = new Float64Array(k);
    let sum = 0;
    for (let g = 0; g < k; g++) {
      let v = values[g][t] as number;
      if (v <= 0) {
        v = options.zeroReplacement;
        zeros.push(`${names[g]} ${y}`);
      }
      c[g] = v;
      sum += v;
    }
    for (let g = 0; g < k; g++) c[g] /= sum;
    return c;
  });
  if (zeros.length > 0) {
    caveats.push(
      `Zero counts replaced by ${options.zeroReplacement} ${options.zeroUnit} before taking log-ratios (${zeros.join(', ')}): a share of exactly zero has no log-ratio, and the projected share of such a group stays small but above zero.`,
    );
  }
  // reference: largest average share
  const avg = new Float64Array(k);
  for (const s of shares) if (s) for (let g = 0; g < k; g++) avg[g] += s[g] / nComplete;
  let refIndex: number;
  if (options.reference !== undefined) {
    refIndex = names.indexOf(options.reference);
    if (refIndex < 0) fail([{ source, field: 'reference', message: `reference group "${options.reference}" is not one of ${names.join(', ')}`, fix: 'name one of the groups, or leave reference out to use the largest' }]);
  } else {
    refIndex = 0;
    for (let g = 1; g < k; g++) if (avg[g] > avg[refIndex]) refIndex = g;
  }
  const lrNames = names.filter((_, g) => g !== refIndex);
  const j = k - 1;
  // log-ratios, interior gaps interpolated on the log-ratio scale
  const z: number[][] = lrNames.map(() => new Array<number>(n).fill(NaN));
  shares.forEach((s, i) => {
    if (!s) return;
    let col = 0;
    for (let g = 0; g < k; g++) if (g !== refIndex) z[col++][i] = Math.log(s[g] / s[refIndex]);
  });
  const gaps: number[] = [];
  for (let i = 0; i < n; i++) {
    if (shares[i]) continue;
    gaps.push(useYears[i]);
    let a = i - 1;
    while (!shares[a]) a--;
    let b = i + 1;
    while (!shares[b]) b++;
    for (let c = 0; c < j; c++) z[c][i] = z[c][a] + ((z[c][b] - z[c][a]) * (i - a)) / (b - a);
  }
  if (gaps.length > 0) {
    caveats.push(
      `Not every group is known in ${yearsList(gaps)}: the mix for ${gaps.length === 1 ? 'that year' : 'those years'} is filled by straight-line interpolation of the log-ratios between neighbouring years. The model treats the filled values as observed, so bands are slightly too narrow.`,
    );
  }
  // method
  const requested = options.method ?? 'naive';
  if (requested !== 'auto' && !(MIX_METHODS as readonly string[]).includes(requested)) {
    fail([{ source, field: 'method', message: `unknown mix method "${String(requested)}"`, fix: 'use naive, drift, linear or auto' }]);
  }
  let selection: MixSelection | undefined;
  let method: MixMethod;
  if (requested === 'auto') {
    selection = selectMixMethod(z);
    method = selection.method;
  } else {
    method = requested;
    const need = method === 'naive' ? 2 : 3;
    if (n < need) fail([{ source, field: 'method', message: `${method} needs at least ${need} years of the mix, there are ${n} (${yearsList(useYears)})`, fix: 'use naive, or supply more years' }]);
  }
  // per-series fits (the univariate models, for their parameters and residuals)
  const fits = z.map((series) => fitMethod(method, series));
  const dof = method === 'naive' ? n - 1 : n - 2;
  const last = new Float64Array(j);
  const drift = new Float64Array(j);
  const intercept = new Float64Array(j);
  const slope = new Float64Array(j);
  const sd = new Float64Array(j);
  const params: Record<string, Record<string, number>> = {};
  const variances: Record<string, number> = {};
  const logRatios: Record<string, number[]> = {};
  const residuals: number[][] = fits.map((f) => [...f.diagnostics.residuals]);
  fits.forEach((f, c) => {
    last[c] = z[c][n - 1];
    drift[c] = f.diagnostics.params.drift ?? 0;
    intercept[c] = f.diagnostics.params.intercept ?? 0;
    slope[c] = f.diagnostics.params.slope ?? 0;
    // the residual variance on the model's own degrees of freedom (as sigma2)
    let ss = 0;
    for (const r of residuals[c]) if (Number.isFinite(r)) ss += r * r;
    const v = dof > 0 ? ss / dof : 0;
    sd[c] = v > 1e-14 ? Math.sqrt(v) : 0;
    params[lrNames[c]] = { ...f.diagnostics.params };
    variances[lrNames[c]] = sd[c] * sd[c];
    logRatios[lrNames[c]] = [...z[c]];
  });
  // correlation, shrunk
  const activeIdx: number[] = [];
  for (let c = 0; c < j; c++) if (sd[c] > 0) activeIdx.push(c);
  const a = activeIdx.length;
  const sampleCorr: number[][] = lrNames.map((_, r) => lrNames.map((__, c) => (r === c ? 1 : 0)));
  let lambdaEstimated = 1;
  if (a >= 2) {
    const activeRes = activeIdx.map((c) => residuals[c]);
    const rows = activeRes[0].filter((_, t) => activeRes.every((r) => Number.isFinite(r[t]))).length;
    if (rows >= 2) {
      const sc = shrinkCovariance(activeRes);
      lambdaEstimated = sc.lambda;
      for (let r = 0; r < a; r++) {
        for (let c = 0; c < a; c++) {
          if (r === c) continue;
          const v = sc.sample.data[r * a + c] / Math.sqrt(sc.sample.data[r * a + r] * sc.sample.data[c * a + c]);
          sampleCorr[activeIdx[r]][activeIdx[c]] = v;
        }
      }
    }
  }
  let lambda = lambdaEstimated;
  let chol: Matrix | null = null;
  const shrunk = (lam: number): Matrix => {
    const data = new Float64Array(a * a);
    for (let r = 0; r < a; r++) for (let c = 0; c < a; c++) data[r * a + c] = r === c ? 1 : (1 - lam) * sampleCorr[activeIdx[r]][activeIdx[c]];
    return { rows: a, cols: a, data };
  };
  if (a > 0) {
    for (const bump of [0, 0.01, 0.05, 0.1, 0.2, 0.5, 1]) {
      const lam = Math.max(lambdaEstimated, bump);
      try {
        chol = cholesky(shrunk(lam));
        lambda = lam;
        break;
      } catch {
        continue;
      }
    }
    if (lambda > lambdaEstimated) {
      caveats.push(`The residual correlation of the log-ratios was singular (too few years for ${j} log-ratios): shrinkage raised from ${lambdaEstimated.toFixed(3)} to ${lambda.toFixed(2)}.`);
    }
  }
  const correlation = lrNames.map((_, r) => lrNames.map((__, c) => (r === c ? 1 : (1 - lambda) * sampleCorr[r][c])));
  if (a < j) {
    const flat = lrNames.filter((_, c) => sd[c] === 0);
    caveats.push(`The log-ratio of ${flat.join(', ')} to ${names[refIndex]} fits exactly (no residual variation): ${flat.length === 1 ? 'it is' : 'they are'} projected without uncertainty.`);
  }
  const scaledChol = new Float64Array(a * a);
  if (chol) for (let r = 0; r < a; r++) for (let c = 0; c <= r; c++) scaledChol[r * a + c] = sd[activeIdx[r]] * chol.data[r * a + c];
  const model: JointModel = { method, n, j, last, drift, intercept, slope, sd, scaledChol, active: Int32Array.from(activeIdx) };
  const history: MixHistoryPoint[] = useYears.map((year, i) => {
    const t = first + i;
    const counts: Record<string, number | null> = {};
    names.forEach((g, gi) => (counts[g] = values[gi][t]));
    const sh: Record<string, number> = {};
    const zi = new Float64Array(j);
    for (let c = 0; c < j; c++) zi[c] = z[c][i];
    const out = new Float64Array(k);
    invAlr(zi, refIndex, k, out);
    names.forEach((g, gi) => (sh[g] = shares[i] ? (shares[i] as Float64Array)[gi] : out[gi]));
    return { year, status: !shares[i] ? 'interpolated' : status[t], counts, shares: sh };
  });
  const diagnostics: MixDiagnostics = {
    n,
    logRatioGroups: lrNames,
    logRatios,
    params,
    variances,
    sampleCorrelation: sampleCorr,
    correlation,
    lambdaEstimated,
    lambda,
    df: dof,
  };
  if (n < 5) caveats.push(`The mix rests on ${n} years; its bands are rough.`);

  const checkH = (horizon: number) => {
    if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`horizon must be a positive whole number of years, got ${horizon}`);
  };
  const pointShares = (horizon: number): Record<string, number[]> => {
    checkH(horizon);
    const out: Record<string, number[]> = {};
    for (const g of names) out[g] = new Array<number>(horizon);
    const zp = new Float64Array(j);
    const s = new Float64Array(k);
    for (let h = 1; h <= horizon; h++) {
      pointLogRatios(model, h, zp);
      invAlr(zp, refIndex, k, s);
      names.forEach((g, gi) => (out[g][h - 1] = s[gi]));
    }
    return out;
  };
  const simulate = (horizon: number, opts: SimulateOptions = {}): MixPaths => {
    checkH(horizon);
    const paths = opts.paths ?? 1000;
    if (!Number.isInteger(paths) || paths < 1) throw new RangeError(`paths must be a positive whole number, got ${paths}`);
    const rng = createRng(opts.seed ?? 1);
    const cols = names.map(() => new Float64Array(paths * horizon));
    const zc = new Float64Array(j);
    const bStar = new Float64Array(j);
    const cStar = new Float64Array(j);
    const u = new Float64Array(Math.max(1, a));
    const e = new Float64Array(j);
    const s = new Float64Array(k);
    const sqrtM = Math.sqrt(n - 1);
    const xMean = (n + 1) / 2;
    const sqrtN = Math.sqrt(n);
    const sqrtSxx = Math.sqrt((n * (n * n - 1)) / 12);
    for (let p = 0; p < paths; p++) {
      // a common scale per path: Student-t tails where the univariate model has them (linear)
      const scale = Math.sqrt(dof / chiSquare(rng, dof));
      if (method === 'drift') {
        drawCorrelated(model, rng, u, e);
        for (let c = 0; c < j; c++) bStar[c] = drift[c] + (scale * e[c]) / sqrtM;
      } else if (method === 'linear') {
        drawCorrelated(model, rng, u, e);
        for (let c = 0; c < j; c++) cStar[c] = intercept[c] + slope[c] * xMean + (scale * e[c]) / sqrtN;
        drawCorrelated(model, rng, u, e);
        for (let c = 0; c < j; c++) bStar[c] = slope[c] + (scale * e[c]) / sqrtSxx;
      }
      for (let c = 0; c < j; c++) zc[c] = last[c];
      for (let h = 0; h < horizon; h++) {
        drawCorrelated(model, rng, u, e);
        if (method === 'naive') for (let c = 0; c < j; c++) zc[c] += scale * e[c];
        else if (method === 'drift') for (let c = 0; c < j; c++) zc[c] += bStar[c] + scale * e[c];
        else for (let c = 0; c < j; c++) zc[c] = cStar[c] + bStar[c] * (n + h + 1 - xMean) + scale * e[c];
        invAlr(zc, refIndex, k, s);
        const at = p * horizon + h;
        for (let g = 0; g < k; g++) cols[g][at] = s[g];
      }
    }
    const sharesOut: Record<string, SamplePaths> = {};
    names.forEach((g, gi) => (sharesOut[g] = { paths, horizon, values: cols[gi] }));
    return { groups: [...names], paths, horizon, shares: sharesOut };
  };
  return {
    groups: [...names],
    reference: names[refIndex],
    method,
    requestedMethod: requested,
    ...(selection ? { selection } : {}),
    history,
    lastYear: useYears[n - 1],
    ...(table.remainder ? { remainderGroup: table.remainder } : {}),
    diagnostics,
    caveats: [...caveats],
    pointShares,
    forecastShares(horizon: number, opts: ShareForecastOptions = {}): ShareForecast {
      const levels = levelsOf(opts.levels, source);
      const sim = simulate(horizon, opts);
      const bands: Record<string, PathBands> = {};
      for (const g of names) bands[g] = pathBands(sim.shares[g], levels);
      return { groups: [...names], horizon, point: pointShares(horizon), bands };
    },
    simulate,
  };
}

function levelsOf(levels: readonly number[] | undefined, source: string): number[] {
  try {
    return checkLevels(levels ?? [80, 95]);
  } catch (e) {
    fail([{ source, field: 'levels', message: (e as Error).message, fix: 'give levels such as 80,95' }]);
  }
}

/**
 * Fit the mix of a set of groups from their counts: shares, additive
 * log-ratios against the reference group, one method for every log-ratio
 * (default `naive`), and the shrunk residual correlation for joint
 * simulation (see the module notes).
 *
 * Data handling: every group must have the same years. A `null` value
 * (suppressed or missing) is filled from the `total` when the groups cover
 * it: one missing group is the total minus the others (`deduced`); several
 * share the total minus the others in proportion to their average share in
 * the years they are published (equally if never), each capped at its
 * suppression bound (`suppressed.upper`, e.g. from the SFR tables) with the
 * excess passed to the others (`imputed`). Years still incomplete are gaps:
 * interior ones are interpolated on the log-ratio scale, those at the ends
 * dropped. Each step is reported in the caveats and in `history[].status`. Zero counts are replaced by
 * `zeroReplacement` (0.5 of a child) before taking logs, with a caveat.
 * With a `total`, groups exceeding it are an error, and groups falling
 * short of it add a remainder group (`remainder: 'add'`, the default) or
 * are an error (`remainder: 'error'`).
 *
 * @param groups - counts per group, keyed by group name (`AnnualSeries` or `{ year, value }` pairs)
 * @param options - method, total, remainder, tolerance, reference group, zero replacement, first year
 * @returns the fitted mix
 * @throws CarecastInputError naming the group (field), the year and the values: fewer than two groups, different year sets, negative or non-finite counts, duplicate years, groups exceeding the total, groups short of the total with `remainder: 'error'`, fewer than two complete years, an unknown reference or method, too few years for the method
 * @example
 * ```ts
 * // the finance cross: fostering/residential x internal/external, the rest as "unallocated"
 * const mix = fitMix(
 *   {
 *     fostering_internal: [{ year: 2021, value: 300 }, { year: 2022, value: 290 }, { year: 2023, value: 280 }],
 *     fostering_external: [{ year: 2021, value: 150 }, { year: 2022, value: 165 }, { year: 2023, value: 180 }],
 *     residential_internal: [{ year: 2021, value: 20 }, { year: 2022, value: 18 }, { year: 2023, value: 19 }],
 *     residential_external: [{ year: 2021, value: 60 }, { year: 2022, value: 70 }, { year: 2023, value: 82 }],
 *   },
 *   { total: [{ year: 2021, value: 620 }, { year: 2022, value: 640 }, { year: 2023, value: 668 }] },
 * );
 * mix.groups; // [...FINANCE_CROSS_GROUPS, 'unallocated']
 * mix.pointShares(2); // naive: the 2023 mix, twice
 * ```
 */
export function fitMix(groups: Readonly<Record<string, SeriesInput>>, options: FitMixOptions = {}): FittedMix {
  const source = options.source ?? 'groups';
  const zr = options.zeroReplacement ?? 0.5;
  if (!(zr > 0 && Number.isFinite(zr))) fail([{ source, field: 'zeroReplacement', message: `zero replacement must be a positive number, got ${zr}`, fix: 'use 0.5 (half a child)' }]);
  if (options.tolerance !== undefined && !(options.tolerance >= 0 && Number.isFinite(options.tolerance))) {
    fail([{ source, field: 'tolerance', message: `tolerance must be a non-negative number of children, got ${options.tolerance}`, fix: 'e.g. 1, or leave it out for the default' }]);
  }
  const caveats: string[] = [];
  const table = validateGroups(groups, options, caveats);
  return fitTable(table, { method: options.method, reference: options.reference, zeroReplacement: zr, source, zeroUnit: 'of a child' }, caveats);
}

/**
 * Fit the mix from published shares (fractions per group and year) rather
 * than counts, when only percentages are published. Each year's shares must
 * be in [0, 1] and sum to one within `tolerance` (rounded percentages);
 * within it they are rescaled to sum to one exactly. Zeros are replaced as
 * if the shares were of `denominator` children.
 *
 * @param shares - shares per group, keyed by group name, as fractions (0.42 for 42%)
 * @param options - method, tolerance, denominator, reference group, first year
 * @returns the fitted mix
 * @throws CarecastInputError naming the group and year: a share outside [0, 1] (percentages given as 42 rather than 0.42), a year whose shares do not sum to one within the tolerance, plus every error of {@link fitMix}
 * @example
 * ```ts
 * const mix = fitMixFromShares({
 *   fostering: [{ year: 2022, value: 0.71 }, { year: 2023, value: 0.69 }],
 *   other: [{ year: 2022, value: 0.29 }, { year: 2023, value: 0.31 }],
 * });
 * ```
 */
export function fitMixFromShares(shares: Readonly<Record<string, SeriesInput>>, options: FitMixFromSharesOptions = {}): FittedMix {
  const source = options.source ?? 'shares';
  const tol = options.tolerance ?? 0.02;
  const denominator = options.denominator ?? 100;
  if (!(denominator > 0 && Number.isFinite(denominator))) fail([{ source, field: 'denominator', message: `denominator must be a positive number, got ${denominator}`, fix: 'e.g. 100' }]);
  const caveats: string[] = [];
  const table = validateGroups(shares, { source, from: options.from }, caveats);
  const problems: InputProblem[] = [];
  const rescaled: number[] = [];
  table.years.forEach((y, t) => {
    let sum = 0;
    let known = true;
    table.names.forEach((g, gi) => {
      const v = table.values[gi][t];
      if (v === null) {
        known = false;
        return;
      }
      if (v > 1) problems.push({ source, field: g, message: `${y}: share ${v} is above 1`, fix: `give shares as fractions (${v > 1 && v <= 100 ? `${v / 100} for ${v}%` : 'e.g. 0.42 for 42%'})` });
      sum += v;
    });
    if (!known) return;
    if (Math.abs(sum - 1) > tol) {
      problems.push({
        source,
        field: 'shares',
        message: `${y}: the shares sum to ${+sum.toFixed(6)} (${table.names.map((g, gi) => `${g} ${table.values[gi][t]}`).join(', ')}), not 1`,
        fix: `check for a missing or double-counted group; sums within ${tol} of 1 are rescaled`,
      });
    } else if (Math.abs(sum - 1) > 1e-12) rescaled.push(y);
    table.names.forEach((_, gi) => (table.values[gi][t] = ((table.values[gi][t] as number) / sum) * denominator));
  });
  if (problems.length > 0) fail(problems);
  if (rescaled.length > 0) caveats.push(`Shares rescaled to sum to one in ${yearsList(rescaled)} (published percentages are rounded).`);
  return fitTable(table, { method: options.method, reference: options.reference, zeroReplacement: 0.5, source, zeroUnit: `in ${denominator} (as if the shares were of ${denominator} children)` }, caveats);
}

// ---------------------------------------------------------------------------
// bands and projection

/**
 * Group counts from total paths and share paths: in every path and step,
 * count_g = share_g x total, so the groups add to the total exactly (to
 * rounding) in every path, and bands read off the count paths are coherent
 * draws from one joint distribution rather than bounds added up. Total
 * draws below zero are set to zero (as {@link forecast} clips at zero), so
 * counts are never negative.
 *
 * @param total - sample paths of the total
 * @param mix - share paths with the same number of paths and steps (from {@link FittedMix.simulate})
 * @param options - interval levels (default `[80, 95]`)
 * @returns count paths and bands per group, the total's bands and coherence checks
 * @throws CarecastInputError when the paths or horizons differ, or a level is bad
 * @example
 * ```ts
 * const mp = projectMix(totalModel.simulate(4, { seed: streamSeed(1, 0) }), mix.simulate(4, { seed: streamSeed(1, 1) }));
 * mp.bands.fostering.intervals[0]; // 80% band of fostering counts
 * ```
 */
export function projectMix(total: SamplePaths, mix: MixPaths, options: ProjectMixOptions = {}): MixProjection {
  if (total.paths !== mix.paths || total.horizon !== mix.horizon) {
    fail([
      {
        source: 'projectMix',
        field: 'paths',
        message: `the total has ${total.paths} paths x ${total.horizon} steps, the mix ${mix.paths} x ${mix.horizon}`,
        fix: 'simulate the total and the mix with the same paths and horizon',
      },
    ]);
  }
  const levels = levelsOf(options.levels, 'projectMix');
  const len = total.paths * total.horizon;
  const tot = new Float64Array(len);
  let clippedDraws = 0;
  for (let i = 0; i < len; i++) {
    const v = total.values[i];
    if (v < 0) clippedDraws++;
    tot[i] = v > 0 ? v : 0;
  }
  const k = mix.groups.length;
  const cols = mix.groups.map(() => new Float64Array(len));
  const src = mix.groups.map((g) => mix.shares[g].values);
  let maxIncoherence = 0;
  let maxRelativeIncoherence = 0;
  for (let i = 0; i < len; i++) {
    let sum = 0;
    for (let g = 0; g < k; g++) {
      const c = src[g][i] * tot[i];
      cols[g][i] = c;
      sum += c;
    }
    const d = Math.abs(sum - tot[i]);
    if (d > maxIncoherence) maxIncoherence = d;
    const r = d / (tot[i] > 1 ? tot[i] : 1);
    if (r > maxRelativeIncoherence) maxRelativeIncoherence = r;
  }
  const totalPaths: SamplePaths = { paths: total.paths, horizon: total.horizon, values: tot };
  const counts: Record<string, SamplePaths> = {};
  const bands: Record<string, PathBands> = {};
  mix.groups.forEach((g, gi) => {
    counts[g] = { paths: total.paths, horizon: total.horizon, values: cols[gi] };
    bands[g] = pathBands(counts[g], levels);
  });
  let totalBands: PathBands | undefined;
  return {
    groups: [...mix.groups],
    paths: total.paths,
    horizon: total.horizon,
    total: totalPaths,
    counts,
    // computed on first use: callers that already have the total's bands (projectSystem) skip the work
    get totalBands(): PathBands {
      totalBands ??= pathBands(totalPaths, levels);
      return totalBands;
    },
    bands,
    maxIncoherence,
    maxRelativeIncoherence,
    clippedDraws,
  };
}

/**
 * Project a total and its groups coherently: the total with
 * {@link forecast}'s rules (gaps interpolated, `auto` method choice) and
 * its fitted model's simulated paths, the mix with {@link fitMix} and its
 * joint simulation (independent streams `streamSeed(seed, 0)` and
 * `streamSeed(seed, 1)`), combined by {@link projectMix}.
 *
 * Years: from the year after the groups' last known year to `to`. Where the
 * total is known beyond the groups (e.g. groups from the SFR tables to 2017
 * and the total from the EES files to 2021), those years use the known
 * total (2018, absent from both, interpolated) and projected shares, and
 * the total's forecast starts after its own last year.
 *
 * Points are coherent by construction: group point = point share x point
 * total. Bands (and the medians, reported apart) come from the count paths,
 * in which the groups add to the total exactly.
 *
 * @param total - the total's annual series (an `AnnualSeries` or `{ year, value }` pairs)
 * @param groups - counts per group, keyed by group name; the same years as each other, within the total's
 * @param options - target year or horizon, levels, paths, seed, methods and the mix options
 * @returns the projection
 * @throws CarecastInputError for any bad input of {@link forecast} or {@link fitMix}, groups known after the total's last year, or a total missing for a year the groups need
 * @example
 * ```ts
 * const ds = sfrDataset(loadSfrFolder('data/dfe/sfr_la_cla_2011_2017'), 'E10000007');
 * const groups = Object.fromEntries(['fostering', 'adoption', 'parents', 'residential', 'other']
 *   .map((g) => [g, findSeries(ds, 'children_in_care', { placement: g })]));
 * const gp = forecastGroups(findSeries(ds, 'children_in_care'), groups, { to: 2021, seed: 42 });
 * gp.byGroup.fostering.intervals[0]; // 80% band of children in foster care, 2018-2021
 * ```
 */
export function forecastGroups(total: SeriesInput, groups: Readonly<Record<string, SeriesInput>>, options: ForecastGroupsOptions = {}): GroupProjection {
  const source = 'forecastGroups';
  const levels = levelsOf(options.levels, source);
  const paths = options.paths ?? 1000;
  if (!Number.isInteger(paths) || paths < 1) fail([{ source, field: 'paths', message: `paths must be a positive whole number, got ${paths}`, fix: 'e.g. 1000' }]);
  const seed = options.seed ?? 1;
  if (!Number.isFinite(seed)) fail([{ source, field: 'seed', message: `seed must be a finite number, got ${seed}`, fix: 'e.g. 1' }]);
  const totalKnown = (Array.isArray(total) ? (total as readonly YearValue[]) : (total as AnnualSeries).points).filter(
    (p) => p.value !== null && (options.from === undefined || p.year >= options.from),
  ).length;
  if (totalKnown < 2) {
    fail([{ source, field: 'total', message: `the total has ${totalKnown} known value${totalKnown === 1 ? '' : 's'}`, fix: 'give at least two years of the total' }]);
  }
  const proj = forecast(total, {
    ...(options.to !== undefined ? { to: options.to } : {}),
    ...(options.horizon !== undefined ? { horizon: options.horizon } : {}),
    method: options.totalMethod ?? 'auto',
    levels,
    // the total's bands come from the simulated paths below, not from forecast()'s
    intervals: 'analytic',
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.methodOptions ? { methodOptions: options.methodOptions } : {}),
  });
  const mix = fitMix(groups, {
    total,
    method: options.mixMethod ?? 'naive',
    ...(options.from !== undefined ? { from: options.from } : {}),
    ...(options.remainder ? { remainder: options.remainder } : {}),
    ...(options.remainderName ? { remainderName: options.remainderName } : {}),
    ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
    ...(options.reference ? { reference: options.reference } : {}),
    ...(options.zeroReplacement !== undefined ? { zeroReplacement: options.zeroReplacement } : {}),
  });
  const totalLast = proj.years[0] - 1;
  const to = proj.years[proj.years.length - 1];
  const mixLast = mix.lastYear;
  if (mixLast > totalLast) {
    fail([
      {
        source,
        field: 'total',
        message: `the groups are known to ${mixLast} but the total only to ${totalLast}`,
        fix: `give the total for ${yearsList(Array.from({ length: mixLast - totalLast }, (_, i) => totalLast + 1 + i))} (the sum of the groups where they cover it)`,
      },
    ]);
  }
  const known = new Map(proj.history.map((h) => [h.year, h]));
  const bridge: number[] = [];
  for (let y = mixLast + 1; y <= totalLast; y++) {
    if (!known.has(y)) fail([{ source, field: 'total', message: `no total for ${y}, a year after the groups' last year ${mixLast}`, fix: `give the total from ${mixLast + 1} on` }]);
    bridge.push(y);
  }
  const H = to - mixLast;
  const Ht = to - totalLast;
  const years = Array.from({ length: H }, (_, i) => mixLast + 1 + i);
  const totalMethod = proj.method;
  if (!isMethodName(totalMethod)) throw new RangeError(`the total was projected by ${totalMethod}, a global method, which has no paths to simulate`);
  const totalModel = fitMethod(totalMethod, proj.history.map((h) => h.used), options.methodOptions);
  const simTotal = totalModel.simulate(Ht, { paths, seed: streamSeed(seed, 0) });
  const off = H - Ht;
  const totalValues = new Float64Array(paths * H);
  for (let p = 0; p < paths; p++) {
    for (let h = 0; h < off; h++) totalValues[p * H + h] = known.get(years[h])!.used;
    for (let h = 0; h < Ht; h++) totalValues[p * H + off + h] = simTotal.values[p * Ht + h];
  }
  const mixPaths = mix.simulate(H, { paths, seed: streamSeed(seed, 1) });
  const mp = projectMix({ paths, horizon: H, values: totalValues }, mixPaths, { levels });
  const pointShare = mix.pointShares(H);
  const totalPoint = years.map((y, i) => (i < off ? known.get(y)!.used : proj.point[i - off]));
  const observed = years.map((_, i) => i < off);
  const byGroup: Record<string, GroupProjectionGroup> = {};
  let maxPointError = 0;
  const pointSums = new Array<number>(H).fill(0);
  for (const g of mix.groups) {
    const point = totalPoint.map((t, i) => t * pointShare[g][i]);
    point.forEach((v, i) => (pointSums[i] += v));
    byGroup[g] = { point, share: pointShare[g], ...mp.bands[g], ...(options.shareBands ? { shareBands: pathBands(mixPaths.shares[g], levels) } : {}) };
  }
  pointSums.forEach((s, i) => (maxPointError = Math.max(maxPointError, Math.abs(s - totalPoint[i]))));
  let maxRelPoint = 0;
  pointSums.forEach((s, i) => (maxRelPoint = Math.max(maxRelPoint, Math.abs(s - totalPoint[i]) / Math.max(1, totalPoint[i]))));
  const caveats: string[] = [...proj.caveats.map((c) => `Total: ${c}`), ...mix.caveats.map((c) => `Mix: ${c}`)];
  if (bridge.length > 0) {
    const interp = bridge.filter((y) => known.get(y)!.imputed);
    caveats.push(
      `The groups are known to ${mixLast}; for ${yearsList(bridge)} the total is ${interp.length ? `known (${yearsList(interp)} interpolated)` : 'known'} and only the mix is projected, so those years' bands show the uncertainty of the mix alone.`,
    );
  }
  if (mp.clippedDraws > 0) caveats.push(`${mp.clippedDraws} of ${paths * Ht} simulated totals fell below zero and were set to zero.`);
  caveats.push(`Bands come from ${paths} simulated paths of the total and the mix; the groups add to the total in every path. Medians of groups do not add to the median of the total, and need not.`);
  return {
    area: proj.area,
    measure: proj.measure,
    years,
    groups: [...mix.groups],
    total: { point: totalPoint, observed, method: totalMethod, ...mp.totalBands },
    byGroup,
    coherence: { coherent: mp.maxRelativeIncoherence <= 1e-9 && maxRelPoint <= 1e-9, maxPathError: mp.maxIncoherence, maxPointError },
    caveats,
    diagnostics: {
      total: proj.diagnostics,
      ...(proj.selection ? { totalSelection: proj.selection } : {}),
      mixMethod: mix.method,
      ...(mix.selection ? { mixSelection: mix.selection } : {}),
      reference: mix.reference,
      mix: mix.diagnostics,
      mixHistory: mix.history,
      paths,
      seed,
      clippedDraws: mp.clippedDraws,
    },
  };
}

/**
 * Tidy rows of a group projection: one row per year for the total (`group:
 * 'total'`) and for each group, with the point, the path median, the point
 * share and `lo_<level>`/`hi_<level>` for every interval level.
 *
 * @param gp - from {@link forecastGroups}
 * @returns the rows, year by year, the total first
 * @example
 * ```ts
 * toCsv(groupProjectionRecords(gp)); // area,measure,year,group,type,point,median,share,lo_80,hi_80,lo_95,hi_95
 * ```
 */
export function groupProjectionRecords(gp: GroupProjection): GroupProjectionRecord[] {
  const rows: GroupProjectionRecord[] = [];
  gp.years.forEach((year, i) => {
    const type = gp.total.observed[i] ? 'observed' : 'forecast';
    const add = (group: string, b: PathBands, point: number, share: number) => {
      const row: GroupProjectionRecord = { area: gp.area, measure: gp.measure, year, group, type, point, median: b.median[i], share };
      for (const iv of b.intervals) {
        row[`lo_${iv.level}`] = iv.lower[i];
        row[`hi_${iv.level}`] = iv.upper[i];
      }
      rows.push(row);
    };
    add('total', gp.total, gp.total.point[i], 1);
    for (const g of gp.groups) add(g, gp.byGroup[g], gp.byGroup[g].point[i], gp.byGroup[g].share[i]);
  });
  return rows;
}
