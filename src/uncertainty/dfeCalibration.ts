/**
 * The bundled pooled conformal calibrations from the DfE panel
 * (`seeds/dfe-conformal.json`, made by `benchmarks/make-dfe-calibration.ts`):
 * per measure (children in care, children starting and ceasing to be looked
 * after) and per method, the quantiles of every LA's scale-free rolling-origin
 * errors, steps 1-10 where there are enough errors, with the power law that
 * extends them, and how often the methods' own analytic bands held.
 *
 * The file is checked against its SHA-256 in `seeds/MANIFEST.json` and read
 * once per process.
 *
 * @module
 */
import { z } from 'zod';
import { readCheckedSeed } from '../data/dfe/bundled.js';
import { CarecastInputError } from '../data/errors.js';
import { GLOBAL_METHOD_NAMES, METHOD_NAMES } from '../models/types.js';
import type { ConformalCalibration } from './conformal.js';

/** The measure the bundled calibrations and evidence describe when none is named. */
const DEFAULT_MEASURE = 'children_in_care';
const SOURCE = 'seeds/dfe-conformal.json';

const LevelSchema = z.strictObject({
  level: z.number().gt(0).lt(100),
  lower: z.number().finite(),
  upper: z.number().finite(),
  finite: z.boolean(),
  guaranteed: z.number(),
  needs: z.number().int(),
  rank: z.number().int(),
});
const ExponentSchema = z.strictObject({
  level: z.number().gt(0).lt(100),
  lower: z.number().min(0.5),
  upper: z.number().min(0.5),
  // NaN is written as null by JSON.stringify: a slope that could not be fitted
  fittedLower: z.number().nullable().transform((v) => v ?? NaN),
  fittedUpper: z.number().nullable().transform((v) => v ?? NaN),
});
const CalibrationSchema = z.strictObject({
  kind: z.literal('conformal'),
  source: z.enum(['pooled', 'series']),
  method: z.enum(['auto', ...METHOD_NAMES, ...GLOBAL_METHOD_NAMES]),
  shape: z.enum(['symmetric', 'asymmetric']),
  levels: z.array(z.number()),
  steps: z.array(
    z.strictObject({ h: z.number().int().positive(), n: z.number().int().nonnegative(), levels: z.array(LevelSchema), offsetQuantiles: z.array(z.number().finite()) }),
  ),
  areas: z.number().int(),
  errors: z.number().int(),
  extrapolation: z.strictObject({
    calibratedSteps: z.number().int().nonnegative(),
    minErrors: z.number().int().positive(),
    fallback: z.boolean(),
    floor: z.number(),
    exponents: z.array(ExponentSchema),
  }),
  caveats: z.array(z.string()),
});
const CoverageSchema = z.array(z.strictObject({ level: z.number().gt(0).lt(100), coverage: z.number().min(0).max(1), n: z.number().int().positive() }));
const MeasureSchema = z.strictObject({
  data: z.string(),
  origins: z.string(),
  calibrations: z.record(z.string(), CalibrationSchema),
  analyticCoverage: z.record(z.string(), CoverageSchema),
  skipped: z.array(z.string()),
});
const FileSchema = z
  .strictObject({ description: z.string(), command: z.string(), measures: z.record(z.string(), MeasureSchema) })
  .refine((f) => Object.values(f.measures).every((m) => Object.entries(m.calibrations).every(([k, c]) => c.method === k)), {
    message: 'a calibration is filed under another method than its own',
  });

type DfeCalibrationFile = z.infer<typeof FileSchema>;
let cache: DfeCalibrationFile | undefined;

function readFile(): DfeCalibrationFile {
  if (cache) return cache;
  const parsed = FileSchema.safeParse(JSON.parse(readCheckedSeed('dfe-conformal.json')));
  if (!parsed.success) {
    throw new CarecastInputError(
      parsed.error.issues.map((i) => ({ source: SOURCE, field: i.path.join('.'), message: i.message, fix: 'regenerate it with npx tsx benchmarks/make-dfe-calibration.ts' })),
    );
  }
  cache = parsed.data;
  return cache;
}

/** Options naming the measure of a bundled DfE calibration. */
export interface DfeCalibrationOptions {
  /** The measure: `children_in_care` (default), `started` or `ceased`. */
  readonly measure?: string;
}

/** How often a method's own (analytic) bands held the outcome in the DfE panel backtest. */
export interface BandCoverage {
  /** Nominal level in percent. */
  readonly level: number;
  /** Share of outcomes inside the band (0-1). */
  readonly coverage: number;
  /** Number of scored forecasts. */
  readonly n: number;
}

/**
 * How often a method's own analytic bands held the outcome when every LA of
 * the DfE panel was backtested (the forecasts the bundled conformal
 * calibration rests on, steps 1-3). Model bands from 3-10 yearly points are
 * too narrow; this says by how much, for the method used, so a projection can
 * say so where it is shown.
 *
 * @param method - auto, naive, drift, linear, loglinear, dampedTrend, repeatGrowth, theta or a global method (panelGrowth, panelAR, panelGrowthRate, panelARRate)
 * @param options - the measure (default `children_in_care`; also `started`, `ceased`)
 * @returns coverage at 80% and 95%, or `undefined` for a method or measure without one
 * @throws CarecastInputError when the bundled file is invalid or changed
 * @example
 * ```ts
 * dfeAnalyticCoverage('naive'); // [{ level: 80, coverage: 0.667, n: 4048 }, { level: 95, coverage: 0.818, n: 4048 }]
 * ```
 */
export function dfeAnalyticCoverage(method: string, options: DfeCalibrationOptions = {}): readonly BandCoverage[] | undefined {
  return readFile().measures[options.measure ?? DEFAULT_MEASURE]?.analyticCoverage[method];
}

/**
 * The methods with a bundled DfE calibration for a measure (none for a
 * measure the bundled panel does not calibrate).
 *
 * @param options - the measure (default `children_in_care`)
 * @returns the method names (`'auto'` among them), in the file's order
 * @throws CarecastInputError when the bundled file is invalid or changed
 * @example
 * ```ts
 * dfeCalibrationMethods();                        // ['auto', 'naive', 'drift', ...]
 * dfeCalibrationMethods({ measure: 'started' });  // fewer: the flows cover 2019-2024 only
 * ```
 */
export function dfeCalibrationMethods(options: DfeCalibrationOptions = {}): readonly string[] {
  return Object.keys(readFile().measures[options.measure ?? DEFAULT_MEASURE]?.calibrations ?? {});
}

/**
 * Load the pooled conformal calibration of one method for one measure, built
 * from the rolling-origin errors of every LA in the bundled DfE panel (every
 * origin the method's minimum training length allows, to 2023; steps 1-10
 * where each has at least 39 errors, the later ones extrapolated by a power
 * law; levels 50/80/90/95). Children in care cover 2011-2024; the flows
 * (`started`, `ceased`) 2019-2024, so they have fewer steps. This is what
 * `forecast()` uses for its bands by default, for the method in use; give it
 * yourself with `forecast(series, { method, conformal })`.
 *
 * @param method - the method whose errors to use: auto (default), naive,
 *   drift, linear, loglinear, dampedTrend, repeatGrowth, theta or a global
 *   method (panelGrowth, panelAR, panelGrowthRate, panelARRate; their errors
 *   from the panel backtest with each fitted as known at its origin), where
 *   the panel is long enough for it ({@link dfeCalibrationMethods})
 * @param options - the measure (default `children_in_care`; also `started`, `ceased`)
 * @returns the calibration
 * @throws CarecastInputError when the measure or method has no bundled calibration, or the file is invalid or changed
 * @example
 * ```ts
 * const conformal = loadDfeCalibration('naive');
 * conformal.extrapolation.calibratedSteps;        // steps calibrated on their own errors
 * forecast(series, { to: 2030, method: 'naive', conformal });
 * loadDfeCalibration('naive', { measure: 'started' }).steps.length;
 * ```
 */
export function loadDfeCalibration(method = 'auto', options: DfeCalibrationOptions = {}): ConformalCalibration {
  const measure = options.measure ?? DEFAULT_MEASURE;
  const data = readFile();
  const m = data.measures[measure];
  if (!m) {
    throw new CarecastInputError([
      { source: SOURCE, field: 'measure', message: `no bundled calibration for the measure "${measure}"`, fix: `use one of ${Object.keys(data.measures).join(', ')}, or calibrate with calibrateConformal on your own backtest` },
    ]);
  }
  const cal = m.calibrations[method];
  if (!cal) {
    throw new CarecastInputError([
      {
        source: SOURCE,
        field: 'method',
        message: `no bundled calibration of "${method}" for ${measure}${m.skipped.length > 0 ? ` (${m.skipped.join('; ')})` : ''}`,
        fix: `use one of ${Object.keys(m.calibrations).join(', ')}, or calibrate with calibrateConformal on your own backtest`,
      },
    ]);
  }
  return cal;
}
