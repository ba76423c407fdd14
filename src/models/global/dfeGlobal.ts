/**
 * The global methods fitted on the bundled DfE panel at its latest origin
 * (`seeds/dfe-global.json`, made by `benchmarks/make-dfe-global.ts`): what
 * a single series outside any panel borrows.
 *
 * @module
 */
import { z } from 'zod';
import { readCheckedSeed } from '../../data/dfe/bundled.js';
import { CarecastInputError } from '../../data/errors.js';
import { GLOBAL_METHOD_NAMES, type GlobalMethodName } from '../types.js';
import type { GlobalFit } from './shared.js';

/** The file name of the bundled global fits in `seeds/`. */
export const DFE_GLOBAL_FILE = 'dfe-global.json';

/** The measures with bundled global fits. */
export const DFE_GLOBAL_MEASURES = ['children_in_care', 'started', 'ceased'] as const;
/** A measure with bundled global fits. */
export type DfeGlobalMeasure = (typeof DFE_GLOBAL_MEASURES)[number];

const num = z.number().finite();
const nanOr = z.number().nullable();
const BandsSchema = z.strictObject({
  sd: z.array(num),
  errors: z.array(z.number().int().nonnegative()),
  exponent: num,
  panelLogScale: nanOr,
  basis: z.string(),
});
/** The zod schema of a {@link GlobalFit} read from JSON (NaN is written as `null` by JSON and read back as NaN). */
export const GlobalFitSchema = z.strictObject({
  kind: z.literal('globalFit'),
  method: z.enum(GLOBAL_METHOD_NAMES),
  origin: z.number().int(),
  scale: z.enum(['count', 'rate']),
  panel: z.strictObject({
    description: z.string(),
    measure: z.string(),
    series: z.number().int().nonnegative(),
    atOrigin: z.number().int().nonnegative(),
    eligible: z.number().int().nonnegative(),
    ineligible: z.array(z.string()),
    firstYear: z.number().int(),
  }),
  growth: z
    .strictObject({
      w: num.min(0).max(1),
      phi: num.gt(0).max(1),
      panelGrowth: num,
      fitted: z.strictObject({ w: z.boolean(), phi: z.boolean() }),
      origins: z.array(z.number().int()),
      forecasts: z.number().int().nonnegative(),
      loss: nanOr,
      rule: z.string(),
    })
    .optional(),
  ar: z
    .strictObject({
      fitted: z.boolean(),
      reason: z.string().optional(),
      intercept: num,
      b1: num,
      b2: num,
      c: nanOr,
      rows: z.number().int().nonnegative(),
      residualSd: nanOr,
    })
    .optional(),
  bands: BandsSchema,
  rate: z.strictObject({ withPopulation: z.number().int().nonnegative(), missing: z.array(z.string()) }).optional(),
});

const FileSchema = z.strictObject({
  description: z.string(),
  data: z.string(),
  command: z.string(),
  origin: z.number().int(),
  fits: z.record(z.enum(DFE_GLOBAL_MEASURES), z.record(z.enum(GLOBAL_METHOD_NAMES), GlobalFitSchema)),
});

/** The bundled global fits of one measure. */
export interface DfeGlobalFits {
  /** The measure. */
  readonly measure: DfeGlobalMeasure;
  /** The origin they were fitted at (the panel's latest year). */
  readonly origin: number;
  /** The fits by method (a method is absent where the panel could not fit it). */
  readonly fits: Readonly<Partial<Record<GlobalMethodName, GlobalFit>>>;
  /** Where they come from, in words. */
  readonly source: string;
}

/** JSON has no NaN: the file writes it as null; read it back as NaN where the type is a number. */
function restoreNaN(fit: z.infer<typeof GlobalFitSchema>): GlobalFit {
  const nan = (v: number | null): number => (v === null ? Number.NaN : v);
  return {
    ...fit,
    bands: { ...fit.bands, panelLogScale: nan(fit.bands.panelLogScale) },
    ...(fit.growth ? { growth: { ...fit.growth } } : {}),
    ...(fit.ar ? { ar: { ...fit.ar, residualSd: nan(fit.ar.residualSd) } } : {}),
  } as GlobalFit;
}

let cache: z.infer<typeof FileSchema> | undefined;

/**
 * Parse a global fit saved as JSON (e.g. `JSON.stringify(fitGlobal(...))`).
 *
 * @param json - the parsed JSON
 * @param source - the file name, for messages
 * @returns the fit
 * @throws CarecastInputError naming each bad field
 * @example
 * ```ts
 * const fit = parseGlobalFit(JSON.parse(readFileSync('fit.json', 'utf8')), 'fit.json');
 * forecast(series, { to: 2030, method: fit.method, panel: fit });
 * ```
 */
export function parseGlobalFit(json: unknown, source: string): GlobalFit {
  const parsed = GlobalFitSchema.safeParse(json);
  if (!parsed.success) {
    throw new CarecastInputError(parsed.error.issues.slice(0, 20).map((i) => ({ source, field: i.path.join('.') || 'fit', message: i.message, fix: 'save the result of fitGlobal(...) with JSON.stringify' })));
  }
  return restoreNaN(parsed.data);
}

/**
 * The global methods fitted on every local authority of the bundled DfE
 * panel at its latest origin (2024): children in care 2011-2024 (2018
 * filled), and starters and leavers 2019-2024; the rate methods on the rate
 * per 10,000 children (DfE's published populations and the ONS 2018-based
 * projection). `forecast(series, { method: 'panelGrowth' })` with no panel
 * uses these, applied to the series' own level and growth.
 *
 * @param measure - `children_in_care` (default), `started` or `ceased`
 * @returns the fits of every global method the panel could fit for that measure
 * @throws CarecastInputError for another measure, or when the bundled file is missing, changed or invalid
 * @example
 * ```ts
 * const { fits } = loadDfeGlobal('children_in_care');
 * fits.panelGrowth?.growth;   // { w, phi, panelGrowth, ... } at 2024
 * forecast(series, { to: 2030, method: 'panelGrowth', panel: fits.panelGrowth });
 * ```
 */
export function loadDfeGlobal(measure: string = 'children_in_care'): DfeGlobalFits {
  const source = `seeds/${DFE_GLOBAL_FILE}`;
  if (!(DFE_GLOBAL_MEASURES as readonly string[]).includes(measure)) {
    throw new CarecastInputError([{ source, field: 'measure', message: `no bundled global fit for "${measure}"`, fix: `use one of ${DFE_GLOBAL_MEASURES.join(', ')}, or fit your own panel with fitGlobal` }]);
  }
  if (!cache) {
    const parsed = FileSchema.safeParse(JSON.parse(readCheckedSeed(DFE_GLOBAL_FILE)));
    if (!parsed.success) {
      throw new CarecastInputError(parsed.error.issues.slice(0, 20).map((i) => ({ source, field: i.path.join('.'), message: i.message, fix: 'rebuild it with npx tsx benchmarks/make-dfe-global.ts' })));
    }
    cache = parsed.data;
  }
  const m = measure as DfeGlobalMeasure;
  const raw = cache.fits[m] ?? {};
  const fits: Partial<Record<GlobalMethodName, GlobalFit>> = {};
  for (const [k, v] of Object.entries(raw)) fits[k as GlobalMethodName] = restoreNaN(v);
  return { measure: m, origin: cache.origin, fits, source: `${cache.description} (${cache.data})` };
}
