/**
 * Age bands with ageing: an annual cohort-component model of children in
 * care over the five DfE age bands.
 *
 * ## The model
 *
 * Stocks are children in care at 31 March by age band (age at 31 March):
 * `under_1`, `1_4`, `5_9`, `10_15`, `16_plus`. The band widths in years are
 * 1, 4, 5, 6 and 2 (care ends at the 18th birthday, so `16_plus` is ages 16
 * and 17). For the year from 31 March `t-1` to 31 March `t`, with `S_b` the
 * stock at the start and `N` the year's starters:
 *
 * 1. **Starters** arrive by band: `N_b = π_b N`, with `π` the starters' age
 *    distribution (age at starting).
 * 2. **Exits other than at 18**: `X_b = e_b (S_b + N_b)`. The children at
 *    risk of leaving are those in care at the start plus those who started,
 *    as in the system model's exit rate (`projectSystem`): `e_b` is "ceased in
 *    the year / (stock at the start + starters)" in band `b`.
 * 3. **Ageing**: of those who stay, a fraction `a_b` of the children in care
 *    at the start, and `c_b` of the starters, move up to band `b+1` by the
 *    next 31 March: `O_b = (1 - e_b)(a_b S_b + c_b N_b)`. From `16_plus`,
 *    moving up means reaching 18: `O_16plus` children **leave care at their
 *    18th birthday** (a hard exit, reported separately as `leaversAt18`).
 * 4. `S_b(t) = S_b + N_b - X_b - O_b + O_{b-1}`.
 *
 * So `total(t) = total(t-1) + N - ΣX_b - leaversAt18` exactly, every stock
 * stays non-negative (`S_b + N_b - X_b - O_b = (1-e_b)((1-a_b)S_b + (1-c_b)N_b)`),
 * and the bands sum to the total.
 *
 * **Ageing assumption** (default): ages are spread evenly within a band, so
 * a child in band `b` at 31 March crosses its upper boundary within a year
 * with probability `a_b = 1 / width_b` (1, 1/4, 1/5, 1/6, 1/2); a starter is
 * in care for half the year on average, so `c_b = a_b / 2`
 * (`starterAgeingWeight`). Both can be overridden (`ageingFractions`,
 * `starterAgeingWeight`), or scaled to the data (`ageing: 'estimated'`) when
 * stock, starters and leavers are all known by band: the accounting identity
 * then gives the number who actually moved up each year. On Derby's
 * dashboard (2022/23 and 2023/24) the even-spread assumption gives 63 and 72
 * leavers at 18 against 77 and 69 published; it is poorest for `under_1`
 * (16 and 18 under-1s at 31 March against 29 and 32 published), because
 * many babies start care at birth and are still under 1 at 31 March.
 *
 * ## Estimation, and what is done when data are missing
 *
 * - **Starters' age shares** `π`: given (`starterShares`), else pooled from
 *   starters by band, else (warned) the average age distribution of the
 *   stock.
 * - **Exit rates** `e`: given (`exitRates`), else pooled from leavers by band
 *   (`ΣX_b / Σ(S_b + N_b)`), else the total of leavers (including those at 18)
 *   apportioned with the same rate in every band (or in proportion to
 *   `exitRateProfile`) after the modelled leavers at 18, else (warned) the
 *   leavers implied by the stock change and starters.
 * - **Starters per year** (for fitting): observed, else implied by the stock
 *   change and the total of leavers, else (warned) implied by the model's own
 *   total equation with the exit rates.
 *
 * In this folder: `types.ts` the model's types and constants, `step.ts`
 * the yearly step, `fit.ts` the estimation, `projection.ts` the projection
 * and simulation, `fromDataset.ts` its input from a dataset, `helpers.ts`
 * the checks and band arithmetic they share.
 *
 * @module
 */
import type { AgeBand } from '../../data/codes.js';
import type { SeriesInput } from '../../data/yearValue.js';
import type { SamplePaths } from '../../models/types.js';
import type { PathBands } from '../../uncertainty/pathBands.js';

/** Width of each DfE age band in years (`16_plus` is 2: care ends at 18). */
export const AGE_BAND_WIDTHS: Readonly<Record<AgeBand, number>> = { under_1: 1, '1_4': 4, '5_9': 5, '10_15': 6, '16_plus': 2 };

/** A value per age band. */
export type BandValues<T> = Readonly<Record<AgeBand, T>>;

/** An annual series (or year/value pairs) per age band. */
export type BandSeriesInput = Readonly<Record<AgeBand, SeriesInput>>;

/**
 * The history {@link fitAgeing} learns from. Annual periods: the stock at 31
 * March of `year`; flows in the year ending 31 March of `year`.
 */
export interface AgeingInput {
  /** A label for error messages and warnings (default `'ageing input'`). */
  readonly source?: string;
  /** Children in care at 31 March by age band (age at 31 March). Every band must have the same years; `null` marks a suppressed value. */
  readonly stockByBand: BandSeriesInput;
  /** Published total children in care, to check the bands against (see `totalTolerance`). */
  readonly stockTotal?: SeriesInput;
  /** Children starting care in the year, by age band at starting. */
  readonly startersByBand?: BandSeriesInput;
  /** Total children starting care in the year. */
  readonly startersTotal?: SeriesInput;
  /** Children ceasing care in the year other than at their 18th birthday, by age band at ceasing (`16_plus` = ceased aged 16 or 17). */
  readonly ceasedByBand?: BandSeriesInput;
  /** Children ceasing care at 18 in the year (compared with the modelled leavers at 18). */
  readonly ceasedAt18?: SeriesInput;
  /** Total children ceasing care in the year, including those leaving at 18. */
  readonly ceasedTotal?: SeriesInput;
}

/** Options for {@link fitAgeing}: assumptions that replace or shape estimates. */
export interface AgeingFitOptions {
  /** Exit rates other than at 18, per band, each in [0, 1]; replaces the estimates. */
  readonly exitRates?: BandValues<number>;
  /** Starters' age distribution: five shares, each ≥ 0, summing to 1 (within 1e-6); replaces the estimate. */
  readonly starterShares?: BandValues<number>;
  /** Relative exit rates used when only a total of leavers is known (default: the same rate in every band). */
  readonly exitRateProfile?: BandValues<number>;
  /** Fraction of the children in a band at 31 March who move up a band within a year, per band, each in [0, 1] (default `1 / width`). */
  readonly ageingFractions?: Partial<BandValues<number>>;
  /** Starters move up at this multiple of the stock's ageing fraction, in [0, 1] (default 0.5: in care half the year on average). */
  readonly starterAgeingWeight?: number;
  /**
   * `'uniform'` (default): the ageing fractions above. `'estimated'`: scale
   * each band's fractions so the model reproduces the number who moved up
   * according to the accounting identity, pooled over the years where stock,
   * starters and leavers are all known by band.
   */
  readonly ageing?: 'uniform' | 'estimated';
  /** Largest allowed gap between the sum of the bands and `stockTotal` (and between flows by band and their totals), in children (default 1). */
  readonly totalTolerance?: number;
}

/** The parameters of the annual ageing step. */
export interface AgeingParams {
  /** Exit rate other than at 18, per band, of the children at risk (stock at the start + starters). */
  readonly exitRates: BandValues<number>;
  /** Starters' age distribution (sums to 1). */
  readonly starterShares: BandValues<number>;
  /** Fraction of the stayers in care at the start who move up a band in the year (from `16_plus`: who reach 18 and leave). */
  readonly ageingFractions: BandValues<number>;
  /** Fraction of the staying starters who move up a band by the next 31 March. */
  readonly starterAgeingFractions: BandValues<number>;
}

/** One year of the ageing step. */
export interface AgeingStepResult {
  /** Stock at the end of the year (31 March) by band. */
  readonly stock: BandValues<number>;
  /** Total stock at the end of the year. */
  readonly total: number;
  /** Starters by band. */
  readonly starters: BandValues<number>;
  /** Exits other than at 18 by band. */
  readonly exits: BandValues<number>;
  /** Children moving up out of each band (from `16_plus`: the leavers at 18). */
  readonly movedUp: BandValues<number>;
  /** Children leaving care at their 18th birthday. */
  readonly leaversAt18: number;
}

/** How each part of an {@link AgeingFit} was obtained. */
export interface AgeingEstimation {
  /** `given` (option), `ceasedByBand`, `ceasedTotal` (apportioned) or `impliedCeased` (from the stock change and starters). */
  readonly exitRates: 'given' | 'ceasedByBand' | 'ceasedTotal' | 'impliedCeased';
  /** `given` (option), `startersByBand`, or `stock` (the stock's average age distribution). */
  readonly starterShares: 'given' | 'startersByBand' | 'stock';
  /** `uniform` (1 / width), `given` (`ageingFractions` option) or `estimated` (scaled to the accounting identity). */
  readonly ageing: 'uniform' | 'given' | 'estimated';
}

/** One historical year checked one year ahead. */
export interface AgeingTransition {
  /** The year ending 31 March (stock at `year - 1` → stock at `year`). */
  readonly year: number;
  /** The starters used: observed, or implied (see `startersSource`). */
  readonly starters: number;
  /** `observed`; `impliedFromCeased` (stock change + total leavers); `impliedFromModel` (the model's total equation). */
  readonly startersSource: 'observed' | 'impliedFromCeased' | 'impliedFromModel';
  /** Observed stock at 31 March `year`. */
  readonly observed: BandValues<number>;
  /** The model's stock one year ahead from the observed stock at `year - 1` and the year's starters split by the fitted shares. */
  readonly predicted: BandValues<number>;
  /** Observed minus predicted. */
  readonly residuals: BandValues<number>;
  /** Leavers at 18: the model's, and the observed count when given. */
  readonly leaversAt18: { readonly predicted: number; readonly observed?: number };
  /**
   * Children who moved up out of each band according to the accounting
   * identity (`S_b(t-1) + N_b - X_b + moved into b - S_b(t)`), when stock,
   * starters and leavers by band are all known for the year.
   */
  readonly impliedMovedUp?: BandValues<number>;
}

/** A fitted ageing model: parameters, how they were found, and the one-year-ahead check. */
export interface AgeingFit {
  /** The input's label. */
  readonly source: string;
  /** The fitted parameters. */
  readonly params: AgeingParams;
  /** How each parameter was obtained. */
  readonly estimation: AgeingEstimation;
  /** Years with a complete stock by band (no suppressed band). */
  readonly years: readonly number[];
  /** The year projections start from: the last complete year. */
  readonly baseYear: number;
  /** The stock by band at 31 March of `baseYear`. */
  readonly baseStock: BandValues<number>;
  /** Every year with a complete stock at its start and end, checked one year ahead. */
  readonly transitions: readonly AgeingTransition[];
  /** Root mean square one-year-ahead residual per band (`NaN` with no transitions). */
  readonly rmse: BandValues<number>;
  /** Plain-language warnings about assumptions and data. */
  readonly warnings: readonly string[];
}

/** Options for {@link projectAgeing}. */
export interface AgeingProjectionOptions {
  /** Years beyond the base year. Give this or `to`. */
  readonly horizon?: number;
  /** Last year to project. Give this or `horizon`. */
  readonly to?: number;
  /**
   * Total starters per projected year (entry 0 = the year to 31 March
   * `baseYear + 1`), at least `horizon` entries; or simulated paths of
   * starters (e.g. `projectStockFlow(...).paths.started` or a model's
   * `simulate()`), with at least `horizon` steps: then the point projection
   * uses their mean per year and the simulation runs one path per starters
   * path.
   */
  readonly starters: readonly number[] | SamplePaths;
  /** Simulate this many paths (default: none for a starters array; the number of starters paths for paths). */
  readonly paths?: number;
  /** Seed of the simulation (default 1); the same seed gives the same paths. */
  readonly seed?: number;
  /** Interval levels in percent for the simulated bands (default 80 and 95). */
  readonly levels?: readonly number[];
}

/** Simulated paths of an ageing projection and their bands. */
export interface AgeingSimulation {
  /** Number of paths. */
  readonly paths: number;
  /** The seed used. */
  readonly seed: number;
  /** Stock paths by band (whole children). */
  readonly stock: BandValues<SamplePaths>;
  /** Total stock paths: in every path and year, the sum of the bands. */
  readonly total: SamplePaths;
  /** Leavers at 18 per path and year. */
  readonly leaversAt18: SamplePaths;
  /** Exits other than at 18 (all bands) per path and year. */
  readonly exits: SamplePaths;
  /** Starters (all bands) per path and year. */
  readonly starters: SamplePaths;
  /** Bands of the total stock. */
  readonly totalBands: PathBands;
  /** Bands of each band's stock. */
  readonly stockBands: BandValues<PathBands>;
}

/** The result of {@link projectAgeing}. */
export interface AgeingProjection {
  /** The year the projection starts from. */
  readonly baseYear: number;
  /** The stock by band at 31 March of `baseYear`. */
  readonly baseStock: BandValues<number>;
  /** Projected years (31 March). */
  readonly years: readonly number[];
  /** Point projection of the stock by band, per year. */
  readonly stock: BandValues<readonly number[]>;
  /** Point projection of the total (the sum of the bands), per year. */
  readonly total: readonly number[];
  /** Starters by band, per year. */
  readonly starters: BandValues<readonly number[]>;
  /** Exits other than at 18 by band, per year. */
  readonly exits: BandValues<readonly number[]>;
  /** Children moving up out of each band, per year (from `16_plus`: the leavers at 18). */
  readonly movedUp: BandValues<readonly number[]>;
  /** Children leaving care at their 18th birthday, per year. */
  readonly leaversAt18: readonly number[];
  /** Simulated paths, when asked for. */
  readonly simulation?: AgeingSimulation;
  /** The fit's warnings, and any about the projection. */
  readonly warnings: readonly string[];
}

/** An {@link AgeingInput} built from a dataset, with notes on what was used or left out. */
export interface AgeingInputConversion {
  /** The input for {@link fitAgeing}. */
  readonly input: AgeingInput;
  /** What the conversion did: snapshots taken, quarters summed, years left out. */
  readonly notes: readonly string[];
}
