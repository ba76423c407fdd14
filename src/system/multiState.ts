/**
 * A multi-state model of children in care, fitted to episodes.
 *
 * States are age band × group (placement group by default; provider,
 * placement type or none are options), plus "not in care". Time runs in
 * whole days.
 *
 * - **Estimation.** Each rate is the maximum-likelihood estimate for a
 *   constant daily hazard: transitions divided by the person-days at risk in
 *   the state (not the mean of daily ratios). A child is at risk on the steps
 *   from day `t` to `t + 1` between the start of an episode (or the fit
 *   window) and its end (or the window's end, or the eve of the 18th
 *   birthday). A transition on the step from day `e - 1` to `e` belongs to the
 *   age band of day `e - 1`. Moves between episodes of the same group are not
 *   transitions.
 * - **Ageing.** Exact, by date of birth: a child is in the band of their age
 *   in completed years on each day, and leaves care on their 18th birthday
 *   (the hard exit, reported as `agedOut`, never estimated as a rate).
 * - **Starters.** Periods of care starting in the window, per day, with
 *   their mix over single year of age × group; optionally as a rate per
 *   10,000 children aged 0-17 (from a population series) and with a trend.
 * - **Projection.** A discrete daily chain. By default (`discretisation:
 *   'probability'`) a fitted daily rate is used as the daily probability of
 *   that transition: for day-stamped data this is exactly the maximum
 *   likelihood estimate of the daily chain (transitions / steps at risk), and
 *   the two-state golden case with daily probability 0.1 is exact (90, 81,
 *   72.9, ...). `'exponential'` reads rates as continuous hazards: the daily
 *   probability of leaving state s is `1 - exp(-R_s)`, shared in proportion
 *   to the rates. Each day: children reaching 18 leave, the others move by
 *   the daily probabilities of their band, then the day's starters arrive.
 *   Expected values follow every date-of-birth cohort exactly, advancing it
 *   by whole runs of days between birthdays (matrix powers); the seeded
 *   simulation follows every child (geometric waiting times, the same chain),
 *   with parameter uncertainty from the Gamma posteriors of the rates.
 *
 * The model's parts, one concept per file in `multiState/`:
 * - `model.ts`: the states, age bands, groupings and the model as data;
 * - `groups.ts`: the groups of each grouping and an episode's group;
 * - `days.ts`: day numbers (band birthdays, years, dates of birth by age);
 * - `exposure.ts`: counting days at risk, transitions, starters and stock;
 * - `fit.ts`: {@link fitMultiState}, rates from the counts;
 * - `fromRates.ts`: {@link multiStateModelFromRates}, a model from given rates;
 * - `daily.ts`: daily probabilities from rates;
 * - `draws.ts`: Gamma and Poisson draws;
 * - `results.ts`: a projection's options and results;
 * - `expected.ts`: expected values, every date-of-birth cohort followed;
 * - `simulate.ts`: seeded paths, every child followed;
 * - `project.ts`: {@link projectMultiState}, which runs the last two.
 *
 * This module re-exports the public names.
 *
 * @module
 */
export { DFE_AGE_BAND_SPECS, type AgeBandSpec, type Discretisation, type InitialChild, type MultiStateGrouping, type MultiStateModel } from './multiState/model.js';
export { fitMultiState, type MultiStateFitOptions } from './multiState/fit.js';
export { multiStateModelFromRates, type MultiStateRates } from './multiState/fromRates.js';
export type { MultiStateCounts, MultiStateProjection, MultiStateProjectionOptions, MultiStateSimulation } from './multiState/results.js';
export { projectMultiState } from './multiState/project.js';
