/**
 * The bundled pooled conformal calibration from the DfE panel
 * (`seeds/dfe-conformal.json`, made by `benchmarks/make-dfe-calibration.ts`).
 *
 * @module
 */
import { z } from 'zod';
import { readCheckedSeed } from '../data/dfe/bundled.js';
import { CarecastInputError } from '../data/errors.js';
import { METHOD_NAMES } from '../models/types.js';
import type { ConformalCalibration } from './conformal.js';

const LevelSchema = z.object({
  level: z.number().gt(0).lt(100),
  lower: z.number().finite(),
  upper: z.number().finite(),
  finite: z.boolean(),
  guaranteed: z.number(),
  needs: z.number().int(),
  rank: z.number().int(),
});
const CalibrationSchema = z.object({
  kind: z.literal('conformal'),
  source: z.enum(['pooled', 'series']),
  method: z.enum(['auto', ...METHOD_NAMES]),
  shape: z.enum(['symmetric', 'asymmetric']),
  levels: z.array(z.number()),
  steps: z.array(z.object({ h: z.number().int().positive(), n: z.number().int().nonnegative(), levels: z.array(LevelSchema) })),
  areas: z.number().int(),
  errors: z.number().int(),
  caveats: z.array(z.string()),
});
const CoverageSchema = z.array(z.object({ level: z.number().gt(0).lt(100), coverage: z.number().min(0).max(1), n: z.number().int().positive() }));
const FileSchema = z.object({ calibrations: z.record(z.string(), CalibrationSchema), analyticCoverage: z.record(z.string(), CoverageSchema).optional() });

function readFile(): z.infer<typeof FileSchema> {
  const source = 'seeds/dfe-conformal.json';
  const parsed = FileSchema.safeParse(JSON.parse(readCheckedSeed('dfe-conformal.json')));
  if (!parsed.success) {
    throw new CarecastInputError(parsed.error.issues.map((i) => ({ source, field: i.path.join('.'), message: i.message, fix: 'regenerate it with npx tsx benchmarks/make-dfe-calibration.ts' })));
  }
  return parsed.data;
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
 * the DfE panel was backtested (children in care, steps 1-3, the same
 * forecasts the bundled conformal calibration rests on). Model bands from
 * 3-10 yearly points are too narrow; this says by how much, for the method
 * used, so a projection can say so where it is shown.
 *
 * @param method - auto, naive, drift, linear, loglinear, repeatGrowth or theta
 * @returns coverage at 80% and 95%, or `undefined` for a method without one (e.g. dampedTrend)
 * @throws CarecastInputError when the bundled file is invalid
 * @example
 * ```ts
 * dfeAnalyticCoverage('naive'); // [{ level: 80, coverage: 0.667, n: 4048 }, { level: 95, coverage: 0.818, n: 4048 }]
 * ```
 */
export function dfeAnalyticCoverage(method: string): readonly BandCoverage[] | undefined {
  return readFile().analyticCoverage?.[method];
}

/**
 * Load the pooled conformal calibration of one method, built from the
 * rolling-origin errors of every LA in the DfE panel (children in care
 * 2011-2024, every origin from 2012 to 2023 that the method's minimum training length
 * allows, steps 1-3, levels 50/80/90/95). Use it with
 * `forecast(series, { method, intervals: 'conformal', conformal })` for bands
 * that held their nominal coverage on that panel. It describes errors of
 * LA totals of children in care; for other measures, calibrate on their own
 * backtests.
 *
 * @param method - the method whose errors to use: auto (default), naive,
 *   drift, linear, loglinear, repeatGrowth or theta (theta: from origin 2017, 743 errors)
 * @returns the calibration
 * @throws CarecastInputError when the method has no bundled calibration or the file is invalid
 * @example
 * ```ts
 * const conformal = loadDfeCalibration('auto');
 * forecast(series, { to: 2030, intervals: 'conformal', conformal });
 * ```
 */
export function loadDfeCalibration(method = 'auto'): ConformalCalibration {
  const source = 'seeds/dfe-conformal.json';
  const data = readFile();
  const cal = data.calibrations[method];
  if (!cal) {
    throw new CarecastInputError([
      { source, field: 'method', message: `no bundled calibration for "${method}"`, fix: `use one of ${Object.keys(data.calibrations).join(', ')}, or calibrate with calibrateConformal on your own backtest` },
    ]);
  }
  return cal;
}
