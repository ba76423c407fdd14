/**
 * The child population behind rates per 10,000 children: the 0-17
 * population as DfE publishes it, and a projection whose year-on-year
 * ratios carry it forward. For the bundled DfE panel, matched to the ONS
 * 2018-based projection by ONS code.
 *
 * @module
 */
import type { DfePanel, DfePanelArea, DfePanelSeries } from '../dfe/panelTypes.js';
import type { AnnualSeries, Area } from '../schemas.js';
import type { YearValue } from '../yearValue.js';
import { loadOnsPopulation, type OnsPopulationFile, type PopulationVariant } from './population.js';

/**
 * One series' child population, for the rate methods (`panelGrowthRate`,
 * `panelARRate`): rate_t = 10,000 × y_t / observed_t, and the population of
 * a later year t is observed_T × projection(t - 1) / projection(T - 1).
 */
export interface SeriesPopulation {
  /** The 0-17 population as DfE publishes it for the year ending 31 March t: the mid-(t-1) estimate. */
  readonly observed: readonly YearValue[];
  /** A projection keyed by mid-year (e.g. the ONS 2018-based SNPP); only its ratios between years are used, never its level. */
  readonly projection: readonly YearValue[];
  /** Where the two come from, in words. */
  readonly source: string;
}

/** An area of a panel without a population for the rate methods, and why. */
export interface MissingPopulation {
  /** The area's panel name. */
  readonly area: string;
  /** Why it has none. */
  readonly reason: string;
}

/** What {@link dfePanelPopulations} found. */
export interface PanelPopulations {
  /** Per area name: the population, for the areas that have both parts. */
  readonly populations: Map<string, SeriesPopulation>;
  /** The areas left out of the rate methods, and why (counted in every result that uses them). */
  readonly missing: readonly MissingPopulation[];
}

/**
 * The child population of every area of a DfE panel level: the panel's own
 * `population` series (DfE's published 0-17 estimates, 2019 on) and the
 * ONS 2018-based projection (principal by default) of the same area,
 * matched by ONS code: the area's current code or a former one (North
 * Yorkshire E10000023, Somerset E10000027 and the others the panel lists),
 * against the projection's current and former codes. Areas with no
 * published population or no projection under any of their codes (those
 * abolished before April 2023: Bournemouth, Poole, Dorset county,
 * Northamptonshire, Cumbria) are listed in `missing`.
 *
 * @param panel - the DfE panel (`loadDfePanel()`)
 * @param options - the areas' level (default local authorities) and the projection variant (default principal)
 * @returns the populations by area name, and the areas without one
 * @throws `CarecastInputError` when the bundled ONS file is missing, changed or invalid
 * @example
 * ```ts
 * const { populations, missing } = dfePanelPopulations(loadDfePanel());
 * populations.get('Derby')?.observed.at(-1);   // { year: 2024, value: 60058 } (mid-2023 estimate)
 * missing.map((m) => m.area);                  // ['Bournemouth', 'Cumbria', 'Dorset (835)', 'Northamptonshire', 'Poole']
 * ```
 */
export function dfePanelPopulations(
  panel: DfePanel,
  options: { readonly level?: Area['level']; readonly variant?: PopulationVariant } = {},
): PanelPopulations {
  const level = options.level ?? 'local_authority';
  const populations = new Map<string, SeriesPopulation>();
  const missing: MissingPopulation[] = [];
  for (const area of panel.areas) {
    if (area.level !== level) continue;
    const r = populationOf(area, panel.series.get(area.name)?.population, options.variant ?? 'principal');
    if ('reason' in r) missing.push({ area: area.name, reason: r.reason });
    else populations.set(area.name, r);
  }
  return { populations, missing };
}

/** The ONS projection's areas by every code they have had (read once). */
let onsByCode: Map<string, OnsPopulationFile['areas'][number]> | undefined;

function populationOf(area: DfePanelArea, published: AnnualSeries | undefined, variant: PopulationVariant): SeriesPopulation | { reason: string } {
  const ons = loadOnsPopulation();
  if (!onsByCode) {
    onsByCode = new Map();
    for (const a of ons.areas) for (const c of [a.code, ...a.formerCodes]) onsByCode.set(c, a);
  }
  const byCode = onsByCode;
  const codes = [area.code, ...(area.formerCodes ?? [])].filter((c): c is string => typeof c === 'string');
  const match = codes.map((c) => byCode.get(c)).find((a) => a !== undefined);
  const observed = (published?.points ?? []).filter((p) => p.value !== null).map((p) => ({ year: p.year, value: p.value }));
  if (observed.length === 0) return { reason: 'no published 0-17 population in the panel' };
  if (!match) return { reason: `not in the ONS 2018-based projection under ${codes.join(' or ') || 'any code'} (April 2023 boundaries)` };
  const projection = match[variant].map((value, i) => ({ year: ons.projection.firstYear + i, value }));
  return {
    observed,
    projection,
    source: `DfE published 0-17 population (mid-year estimate of the year before); ONS 2018-based projection, ${variant}, ${match.name} (${match.code})`,
  };
}

/**
 * The child population of one area of the DfE panel, as
 * {@link dfePanelPopulations} gives it for every area: DfE's published 0-17
 * population (the panel's `population` series) and the ONS 2018-based
 * projection of the same area, matched by its current or a former ONS code.
 *
 * @param series - the area's panel series (`loadDfePanelArea('Derby')`)
 * @param options - the projection variant (default principal)
 * @returns the population, or `undefined` when the area has no published population or no projection (with the reason in `dfePanelPopulations`' `missing`)
 * @throws `CarecastInputError` when the bundled ONS file is missing, changed or invalid
 * @example
 * ```ts
 * dfeAreaPopulation(loadDfePanelArea('Derby'))?.observed.at(-1); // { year: 2024, value: 60058 }
 * ```
 */
export function dfeAreaPopulation(series: DfePanelSeries, options: { readonly variant?: PopulationVariant } = {}): SeriesPopulation | undefined {
  const r = populationOf(series.area, series.population, options.variant ?? 'principal');
  return 'reason' in r ? undefined : r;
}
