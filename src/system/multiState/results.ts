/**
 * What a projection of the multi-state model asks for and gives: options,
 * expected counts, simulated bands and paths.
 *
 * @module
 */
import type { SeriesInput } from '../../data/yearValue.js';
import type { SamplePaths } from '../../models/types.js';
import type { PathBands } from '../../uncertainty/pathBands.js';
import type { InitialChild } from './model.js';

/** Options for {@link projectMultiState}. */
export interface MultiStateProjectionOptions {
  /** Last year to project (the projection ends on its 31 March). Give this or `days`. */
  readonly to?: number;
  /** Days to project. Give this or `to`. */
  readonly days?: number;
  /** Days after the start to report (default: every 31 March to the end, and the last day). */
  readonly reportDays?: readonly number[];
  /** Starting stock (default the model's: children in care at the end of the fit window). */
  readonly initial?: readonly InitialChild[];
  /** Start day (default the model's start). */
  readonly start?: number | string;
  /** Starters per day (default the model's). */
  readonly entriesPerDay?: number;
  /** Yearly proportional trend in starters, e.g. 0.03 for +3% a year (default 0). */
  readonly entryTrend?: number;
  /** Children aged 0-17 by year (31 March) for the projected years: starters = the model's rate per 10,000 × population (needs a model fitted with `population`). */
  readonly population?: SeriesInput;
  /** Simulated paths (default 0: expected values only). */
  readonly paths?: number;
  /** Random seed (default 1). */
  readonly seed?: number;
  /** Interval levels in percent (default 80 and 95). */
  readonly levels?: readonly number[];
  /** Draw each path's rates from their Gamma posteriors (default true when the model has counts). */
  readonly parameterUncertainty?: boolean;
  /** Called after each simulated path with the paths done and their number (e.g. a progress bar); not called for the expected projection. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Counts per report day. */
export interface MultiStateCounts {
  /** Children in care. */
  readonly total: readonly number[];
  /** Not in care: everyone who left since the start (exits + aged out). */
  readonly notInCare: readonly number[];
  /** In care by group. */
  readonly byGroup: Readonly<Record<string, readonly number[]>>;
  /** In care by age band. */
  readonly byBand: Readonly<Record<string, readonly number[]>>;
  /** In care by state `band|group`, `[report][state]`. */
  readonly byState: readonly (readonly number[])[];
  /** Starters since the previous report day. */
  readonly entries: readonly number[];
  /** Exits (not at 18) since the previous report day. */
  readonly exits: readonly number[];
  /** Children reaching 18 in care since the previous report day. */
  readonly agedOut: readonly number[];
}

/** Simulated bands per report day. */
export interface MultiStateSimulation {
  /** Number of paths. */
  readonly paths: number;
  /** Children in care. */
  readonly total: PathBands;
  /** In care by group. */
  readonly byGroup: Readonly<Record<string, PathBands>>;
  /** In care by age band. */
  readonly byBand: Readonly<Record<string, PathBands>>;
  /** Starters, exits and aged out per report interval. */
  readonly flows: { readonly entries: PathBands; readonly exits: PathBands; readonly agedOut: PathBands };
  /** The simulated totals, path after path (for costs and scenarios). */
  readonly totalPaths: SamplePaths;
  /** The simulated children in care by group, path after path; on every path and report day the groups add up to the total. */
  readonly groupPaths: Readonly<Record<string, SamplePaths>>;
  /** The simulated children in care by age band, path after path; they add up to the total likewise. */
  readonly bandPaths: Readonly<Record<string, SamplePaths>>;
  /** The simulated starters, exits (not at 18) and children reaching 18 in care in each report interval, path after path. */
  readonly flowPaths: { readonly entries: SamplePaths; readonly exits: SamplePaths; readonly agedOut: SamplePaths };
  /** Children in care on the start day (the starting stock under 18 then): on every path, children in care on a report day = this + starters - exits - reaching 18 to that day. */
  readonly startStock: number;
}

/** The result of {@link projectMultiState}. */
export interface MultiStateProjection {
  /** Start day (day number). */
  readonly start: number;
  /** Report days as offsets from the start. */
  readonly reportDays: readonly number[];
  /** Report days as ISO dates. */
  readonly dates: readonly string[];
  /** States `band|group`. */
  readonly states: readonly string[];
  /** Expected values (the daily chain, every date-of-birth cohort followed). */
  readonly expected: MultiStateCounts;
  /** Seeded simulation, when `paths` > 0. */
  readonly simulation?: MultiStateSimulation;
  /** Plain-language notes. */
  readonly notes: readonly string[];
}
