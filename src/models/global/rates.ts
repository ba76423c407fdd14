/**
 * Rates per 10,000 children for the rate methods (`panelGrowthRate`,
 * `panelARRate`): the series divided by its child population, and the
 * population carried forward by a projection's ratios.
 *
 * @module
 */
import { CarecastInputError } from '../../data/errors.js';
import type { SeriesPopulation } from '../../data/ons/panelPopulation.js';
import { yearValuesOf, type YearValue } from '../../data/yearValue.js';
import { windowOf, type SeriesWindow } from './shared.js';

/** Rates are per this many children. */
export const RATE_PER = 10000;

/**
 * A series as a rate per 10,000 children, cut at `origin`: `10000 y_t /
 * pop_t` for every year with both, interior gaps filled.
 *
 * @param key - the series' key
 * @param points - the series' points
 * @param population - its population
 * @param origin - the last year kept
 * @returns the rate window, or `null` when no year has both
 */
export function rateWindow(key: string, points: readonly YearValue[], population: SeriesPopulation, origin: number): SeriesWindow | null {
  const pop = new Map(yearValuesOf(population.observed, `${key} population`).points.map((p) => [p.year, p.value]));
  const rates: YearValue[] = [];
  for (const p of points) {
    const q = pop.get(p.year);
    if (p.value === null || q === undefined || q === null || !(q > 0)) continue;
    rates.push({ year: p.year, value: (RATE_PER * p.value) / q });
  }
  return windowOf(key, rates, origin);
}

/**
 * The population of each year after the origin as known at the origin: the
 * published population of the origin year times `projection(t - 1) /
 * projection(T - 1)` (DfE's year t uses the mid-(t-1) population). Years
 * past the projection's last year keep its last ratio.
 *
 * @param population - the series' population
 * @param origin - the origin T
 * @param horizon - years ahead
 * @param label - the series, for messages
 * @returns the populations of T+1..T+horizon, and a note when the projection was held flat
 * @throws CarecastInputError when the population of T or the projection of mid-(T-1) is missing
 */
export function projectedPopulation(population: SeriesPopulation, origin: number, horizon: number, label: string): { values: number[]; note?: string } {
  const observed = new Map(yearValuesOf(population.observed, `${label} population`).points.map((p) => [p.year, p.value]));
  const proj = new Map(yearValuesOf(population.projection, `${label} population projection`).points.map((p) => [p.year, p.value]));
  const base = observed.get(origin);
  if (base === undefined || base === null || !(base > 0)) {
    throw new CarecastInputError([{ source: `${label} population`, field: 'observed', message: `no published population for ${origin}, the last year of the series`, fix: 'give the population of every year of the series, or use a method on counts' }]);
  }
  const from = proj.get(origin - 1);
  if (from === undefined || from === null || !(from > 0)) {
    throw new CarecastInputError([{ source: `${label} population projection`, field: 'projection', message: `no projected population for mid-${origin - 1}`, fix: 'give a projection covering the year before the last year of the series' }]);
  }
  const years = [...proj.entries()].filter(([, v]) => v !== null && v > 0).map(([y]) => y);
  const lastProj = Math.max(...years);
  const values: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    const mid = Math.min(origin + h - 1, lastProj);
    const v = proj.get(mid);
    if (v === undefined || v === null || !(v > 0)) {
      throw new CarecastInputError([{ source: `${label} population projection`, field: 'projection', message: `no projected population for mid-${mid}`, fix: 'give a projection with every year from the year before the series ends' }]);
    }
    values.push(base * (v / from));
  }
  const held = origin + horizon - 1 > lastProj;
  return held ? { values, note: `The population projection ends at mid-${lastProj}; later years keep its ${lastProj} level.` } : { values };
}
