/**
 * The ONS child population bundled with carecast
 * (`seeds/ons-population.json`, built by `npm run build:seeds`): the
 * 2018-based subnational projection of persons aged 0-17 (principal, low
 * and high population variants) for every English upper-tier local
 * authority and England, mid-2018 to mid-2043, and the mid-2024 estimate.
 *
 * ## Which year is which
 *
 * Every ONS figure is a mid-year (30 June) population, and the series here
 * are keyed by that mid-year: `year: 2030` is the population at 30 June
 * 2030. DfE's rate for the year ending 31 March t uses the ONS estimate for
 * mid-(t-1): the 0-17 population DfE published for 31 March 2019 is the
 * mid-2018 estimate. So the denominator for 31 March 2026 is the mid-2025
 * population.
 *
 * ## Which series is which
 *
 * The 2018-based projection starts from the mid-2018 estimate of the
 * pre-Census-2021 series. The populations DfE publishes (in the DfE panel's
 * `population` series) are the Census-2021-rebased estimates, so their
 * mid-2018 differs from this projection's 2018 (England 11,755,593
 * against 11,954,618; Derby 59,234 against 59,899), and the mid-2024
 * estimate here is not consistent with the 2018-based projection either.
 * Do not splice the levels: use the projection's growth from one year to
 * another (a ratio) applied to the latest published population.
 *
 * The low and high population variants are not ONS subnational variants:
 * they apply the ratio of the ONS 2018-based national low (high) population
 * variant to the national principal projection, by age, sex and year, to
 * the subnational principal projection.
 *
 * Source: Office for National Statistics, licensed under the Open
 * Government Licence v3.0.
 *
 * @module
 */
import { CarecastInputError } from '../errors.js';
import { findArea } from '../loaders/findArea.js';
import type { AnnualPoint, AnnualSeries, Area } from '../schemas.js';
import { readCheckedSeed } from '../dfe/bundled.js';
import { OnsPopulationFileSchema, POPULATION_VARIANTS, type OnsPopulationFile, type PopulationVariant } from './populationFile.js';

export { OnsPopulationFileSchema, POPULATION_VARIANTS, type PopulationVariant, type OnsPopulationFile } from './populationFile.js';

/** The file name of the bundled population in `seeds/`. */
export const ONS_POPULATION_FILE = 'ons-population.json';

/** Options of {@link loadPopulationProjection}. */
export interface PopulationProjectionOptions {
  /** `principal` (default), `low_population` or `high_population`. */
  readonly variant?: PopulationVariant;
}

/** One area's projected population aged 0-17. */
export interface PopulationProjection {
  /** The area: name (ONS), ONS code, DfE code where there is one, level. */
  readonly area: Area & { readonly formerCodes?: readonly string[] };
  /** The variant. */
  readonly variant: PopulationVariant;
  /** Persons aged 0-17 at 30 June of each `year` (mid-year), 2018-2043; measure `population_0_17`. */
  readonly series: AnnualSeries;
  /** The ONS mid-2024 estimate of persons aged 0-17 (at 30 June 2024). */
  readonly estimate: AnnualPoint;
  /** What the figures are and how to use them. */
  readonly notes: readonly string[];
}

let cache: OnsPopulationFile | undefined;

/**
 * The bundled ONS population file, parsed and checked against its
 * recorded SHA-256 (once per process).
 *
 * @returns the file: sources, and per area the three projection variants and the mid-2024 estimate
 * @throws `CarecastInputError` when the file is missing, changed or invalid
 * @example
 * ```ts
 * loadOnsPopulation().areas.length; // 154: England and the 153 upper-tier authorities
 * ```
 */
export function loadOnsPopulation(): OnsPopulationFile {
  if (!cache) {
    const source = `seeds/${ONS_POPULATION_FILE}`;
    const parsed = OnsPopulationFileSchema.safeParse(JSON.parse(readCheckedSeed(ONS_POPULATION_FILE)));
    if (!parsed.success) {
      throw new CarecastInputError(parsed.error.issues.slice(0, 20).map((i) => ({ source, field: i.path.join('.'), message: i.message, fix: 'rebuild the file with npm run build:seeds' })));
    }
    cache = parsed.data;
  }
  return cache;
}

/**
 * One area's projected population aged 0-17 (ONS 2018-based subnational
 * projection), mid-2018 to mid-2043, with the mid-2024 estimate. Read the
 * module notes before mixing it with DfE's published populations: the
 * years are mid-years (DfE's 31 March t uses mid-(t-1)), and the 2018-based
 * series is on another basis than the rebased estimates, so use its growth
 * ratios rather than its levels.
 *
 * @param la - a name (case and punctuation ignored), ONS code (April 2023, or a former code such as North Yorkshire's E10000023), DfE code (`831`), or `England`
 * @param options - the variant (`principal`, `low_population`, `high_population`)
 * @returns the projection: area, variant, series (year = mid-year), the mid-2024 estimate and notes; each point names its file and lines
 * @throws `CarecastInputError` for an unknown area (suggesting close names), an ambiguous one, or an unknown variant
 * @example
 * ```ts
 * const derby = loadPopulationProjection('Derby');
 * derby.series.points.find((p) => p.year === 2030)?.value; // 56864
 * loadPopulationProjection('E10000007', { variant: 'high_population' }).series.points.at(-1)?.year; // 2043
 * ```
 */
export function loadPopulationProjection(la: string, options: PopulationProjectionOptions = {}): PopulationProjection {
  const variant = options.variant ?? 'principal';
  if (!(POPULATION_VARIANTS as readonly string[]).includes(variant)) {
    throw new CarecastInputError([{ source: 'argument', field: 'variant', message: `unknown variant ${JSON.stringify(variant)}`, fix: `use one of ${POPULATION_VARIANTS.join(', ')}` }]);
  }
  const file = loadOnsPopulation();
  const areas = file.areas.map((a) => ({
    name: a.name,
    code: a.code,
    level: a.level,
    ...(a.oldCode !== null ? { oldCode: a.oldCode } : {}),
    ...(a.formerCodes.length > 0 ? { aliases: a.formerCodes } : {}),
  }));
  const a = file.areas[findArea(areas, la, `seeds/${ONS_POPULATION_FILE}`)];
  const src = (role: string) => file.sources.find((s) => s.role === role)!;
  const principal = src('principal');
  const variants = src('variants');
  const points: AnnualPoint[] = a[variant].map((value, i) => {
    const year = file.projection.firstYear + i;
    const provenance =
      variant === 'principal'
        ? { source: principal.path, line: a.lines.principal + i * 18, note: `sum of ages 0-17, lines ${a.lines.principal + i * 18}-${a.lines.principal + i * 18 + 17}` }
        : { source: variants.path, line: a.lines.variants + i, cell: variant };
    return { year, value, provenance };
  });
  const area = { name: a.name, code: a.code, level: a.level, ...(a.oldCode !== null ? { oldCode: a.oldCode } : {}), ...(a.formerCodes.length > 0 ? { formerCodes: a.formerCodes } : {}) };
  return {
    area,
    variant,
    series: { frequency: 'annual', measure: 'population_0_17', kind: 'snapshot', unit: 'children', breakdown: {}, area: a.name, points },
    estimate: { year: file.estimate.year, value: a.estimate, provenance: { source: src('estimate').path, line: a.lines.estimate, note: 'sum of ages 0-17' } },
    notes: [
      `${file.projection.basis}; variant ${variant}.`,
      'Years are mid-years (30 June). DfE\u2019s rate for the year ending 31 March t uses the population at mid-(t-1).',
      'The 2018-based projection starts from the pre-Census-2021 mid-2018 estimate; DfE\u2019s published populations are the rebased estimates. Use the projection\u2019s growth ratios, not its levels, alongside them.',
      ...(variant === 'principal' ? [] : [`${variant} applies the ONS 2018-based national ${variant.replace('_', ' ')} variant\u2019s ratio to the national principal, by age, sex and year, to the subnational principal; it is not an ONS subnational variant.`]),
      'Source: Office for National Statistics licensed under the Open Government Licence v3.0.',
    ],
  };
}
