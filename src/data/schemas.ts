/**
 * The data contract: zod schemas and the types inferred from them.
 *
 * Periods: an annual period is the calendar year in which 31 March falls
 * (`2023` = the snapshot at 31 March 2023, or the flows and money of the
 * year ending 31 March 2023, i.e. financial year 2022/23). A quarterly period
 * is a financial-year quarter: `{ year: 2024, quarter: 4 }` is Q4 of 2023/24,
 * ending 31 March 2024 (Q1 ends 30 June, Q2 30 September, Q3 31 December).
 *
 * @module
 */
import { z } from 'zod';
import { AgeBandSchema, PlacementGroupSchema, PlacementTypeSchema, ProviderGroupSchema } from './codes.js';

/** Where a value came from: a file and line (or cell), with an optional note. */
export const ProvenanceSchema = z.object({
  source: z.string().min(1),
  line: z.number().int().positive().optional(),
  cell: z.string().optional(),
  note: z.string().optional(),
});
/** Where a value came from. */
export type Provenance = z.infer<typeof ProvenanceSchema>;

/**
 * A suppressed (censored) published value: the true value is unknown but lies
 * in `[0, upper]` when `upper` is known (DfE suppresses counts under 11 or 10;
 * `<11` gives `upper: 10`). Never read as zero.
 */
export const SuppressionSchema = z.object({
  marker: z.string().min(1),
  upper: z.number().nonnegative().optional(),
});
/** A suppressed value's marker and known upper bound. */
export type Suppression = z.infer<typeof SuppressionSchema>;

/** How a series is measured. */
export const SeriesKindSchema = z.enum(['snapshot', 'flow', 'amount', 'rate', 'share']);
/**
 * `snapshot`: a count at a date (31 March, or quarter end); `flow`: a count
 * during the period (starters, ceased); `amount`: money in the period
 * (financial year); `rate`: per 10,000 children aged 0-17, or a weekly cost;
 * `share`: a proportion in [0, 1].
 */
export type SeriesKind = z.infer<typeof SeriesKindSchema>;

/** The breakdown a series is about; empty for the all-children total. */
export const BreakdownSchema = z
  .object({
    placement: PlacementGroupSchema.optional(),
    placementType: PlacementTypeSchema.optional(),
    provider: ProviderGroupSchema.optional(),
    age: AgeBandSchema.optional(),
    uasc: z.enum(['uasc', 'not_uasc']).optional(),
  })
  .catchall(z.string().regex(/^[a-z0-9_]+$/, 'breakdown categories are lower_snake_case'));
/**
 * A breakdown: known dimensions (`placement`, `placementType`, `provider`,
 * `age`, `uasc`) are checked against the code tables; other dimensions (for
 * example `reason`, `legalStatus`, `location`) take any lower_snake_case
 * category.
 */
export type Breakdown = z.infer<typeof BreakdownSchema>;

const count = z.number().finite();

/** One annual value. `value` is `null` only when suppressed or missing. */
export const AnnualPointSchema = z.object({
  year: z.number().int().min(1900).max(2200),
  value: count.nullable(),
  suppressed: SuppressionSchema.optional(),
  provenance: ProvenanceSchema.optional(),
});
/**
 * One annual value with its provenance.
 *
 * @example
 * ```ts
 * const point: AnnualPoint = { year: 2024, value: 1057, provenance: { source: '001_d9ec82d55c6be5ca.txt', line: 37 } };
 * const hidden: AnnualPoint = { year: 2019, value: null, suppressed: { marker: 'c' } };  // suppressed: censored, never zero
 * ```
 */
export type AnnualPoint = z.infer<typeof AnnualPointSchema>;

/** One quarterly value (financial-year quarter). */
export const QuarterlyPointSchema = AnnualPointSchema.extend({
  quarter: z.number().int().min(1).max(4),
});
/** One quarterly value: `year` is the financial year's end (2024 = 2023/24). */
export type QuarterlyPoint = z.infer<typeof QuarterlyPointSchema>;

const seriesCommon = {
  /** Measure name, lower_snake_case, e.g. `children_in_care`, `started`, `ceased`. */
  measure: z.string().regex(/^[a-z][a-z0-9_]*$/, 'measure names are lower_snake_case'),
  kind: SeriesKindSchema,
  unit: z.enum(['children', 'placements', 'gbp', 'gbp_per_week', 'per_10k', 'share', 'carers', 'beds', 'homes', 'days']),
  breakdown: BreakdownSchema.default({}),
  /** The area the series describes, e.g. `Derbyshire`. */
  area: z.string().min(1),
};

/** An annual series (snapshot at 31 March, or flow/amount in the year to 31 March). */
export const AnnualSeriesSchema = z.object({
  frequency: z.literal('annual'),
  ...seriesCommon,
  points: z.array(AnnualPointSchema),
});
/**
 * An annual series.
 *
 * @example
 * ```ts
 * const cic: AnnualSeries = findSeries(loadSeed('derbyshire').dataset, 'children_in_care');
 * cic.points.map((p) => [p.year, p.value]); // [[2018, 719], [2019, 802], ...]
 * forecast(cic, { to: 2030 });
 * ```
 */
export type AnnualSeries = z.infer<typeof AnnualSeriesSchema>;

/** A quarterly series (financial-year quarters). */
export const QuarterlySeriesSchema = z.object({
  frequency: z.literal('quarterly'),
  ...seriesCommon,
  points: z.array(QuarterlyPointSchema),
});
/** A quarterly series. */
export type QuarterlySeries = z.infer<typeof QuarterlySeriesSchema>;

/** Any series. */
export const SeriesSchema = z.discriminatedUnion('frequency', [AnnualSeriesSchema, QuarterlySeriesSchema]);
/** Any series, annual or quarterly. */
export type Series = z.infer<typeof SeriesSchema>;

/** Measures with a fixed meaning across carecast. */
export const MEASURES = {
  /** Children looked after at 31 March (snapshot). */
  childrenInCare: 'children_in_care',
  /** Children starting to be looked after in the year (flow). */
  started: 'started',
  /** Children ceasing to be looked after in the year (flow). */
  ceased: 'ceased',
  /** Children aged 0-17 (ONS mid-year estimate). */
  population: 'population_0_17',
  /** Children looked after per 10,000 children aged 0-17. */
  ratePer10k: 'rate_per_10k',
} as const;

/** An area: local authority (or region, England) with its codes. */
export const AreaSchema = z.object({
  name: z.string().min(1),
  /** New-style ONS code, e.g. `E10000007`. */
  code: z.string().optional(),
  /** Old three-digit DfE LA code, e.g. `830`. */
  oldCode: z.string().optional(),
  level: z.enum(['local_authority', 'region', 'national']).default('local_authority'),
});
/** An area and its codes. */
export type Area = z.infer<typeof AreaSchema>;

/** A dataset: the series published for one area, with notes. */
export const DatasetSchema = z.object({
  name: z.string().min(1),
  area: AreaSchema,
  series: z.array(SeriesSchema),
  notes: z.array(z.string()).default([]),
});
/**
 * A dataset: series for one area.
 *
 * @example
 * ```ts
 * const ds: Dataset = loadSeed('derbyshire').dataset;
 * ds.area;                                  // { name: 'Derbyshire', code: 'E10000007', oldCode: '830', level: 'local_authority' }
 * findSeries(ds, 'children_in_care', { placement: 'fostering' });
 * ```
 */
export type Dataset = z.infer<typeof DatasetSchema>;
