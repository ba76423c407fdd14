/**
 * Conformal bands on a finished projection: keep its point forecast and
 * replace its intervals with a conformal calibration's (usually one pooled
 * over a panel by `calibrateConformal`).
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import { conformalBands, historyScale, type ConformalBandsOptions, type ConformalCalibration } from '../uncertainty/conformal.js';
import type { IntervalBasis, Projection } from './forecast.js';

function bad(field: string, message: string, fix: string): never {
  throw new CarecastInputError([{ source: 'conformal calibration', field, message, fix }]);
}

/** The caveat forecast() adds about analytic bands on short series, which does not apply to conformal ones. */
const ANALYTIC_ONLY = /analytic bands tend to be too narrow/;

/**
 * Replace a projection's intervals with conformal bands: the same point
 * forecast, `point ± quantile × scale` per year (clipped at zero), the scale
 * being the mean absolute yearly change of the projection's history. The
 * result has `intervalMethod: 'conformal'`, an `intervalBasis` saying what
 * the bands rest on, and caveats in plain words. Its `distributions` become
 * the calibration's predictive distributions around the point (as
 * `conformalBands` gives them), so that a CRPS scores what the bands show.
 *
 * The calibration's method must be the projection's requested method
 * (`'auto'` with `'auto'`), or the method it used.
 *
 * @param projection - a projection from {@link "carecast"!forecast}
 * @param calibration - from {@link "carecast/evaluate"!calibrateConformal} (pooled) or {@link calibrateConformalSeries}
 * @param options - the levels (default: the projection's levels, each of which must be calibrated)
 * @returns a new projection with conformal intervals
 * @throws CarecastInputError when the calibration is for another method, a
 *   level was not calibrated, or the calibration rests on no errors
 * @example
 * ```ts
 * const cal = calibrateConformal(backtestPanel(cic, { methods: ['auto'], horizon: 3 }), { method: 'auto' });
 * const p = applyConformal(forecast(derby, { horizon: 3 }), cal);
 * p.intervalMethod;          // 'conformal'
 * p.intervalBasis?.errors;   // errors per step the bands rest on
 * ```
 */
export function applyConformal(projection: Projection, calibration: ConformalCalibration, options: ConformalBandsOptions = {}): Projection {
  if (calibration?.kind !== 'conformal') bad('calibration', 'not a conformal calibration', 'use calibrateConformal() or calibrateConformalSeries()');
  const cm = calibration.method;
  if (cm !== projection.requestedMethod && cm !== projection.method) {
    bad(
      'method',
      `the calibration is for ${cm}'s errors but the projection uses ${projection.method}${projection.requestedMethod === 'auto' ? ' (chosen by auto)' : ''}`,
      `calibrate on ${projection.requestedMethod}'s backtest errors`,
    );
  }
  const levels = options.levels ?? projection.intervals.map((iv) => iv.level);
  const scale = historyScale(projection);
  const b = conformalBands(projection.point, Number.isFinite(scale) ? scale : 0, calibration, { levels });
  const clip = (v: number): number => Math.max(0, v);
  const caveats = projection.caveats.filter((c) => !ANALYTIC_ONLY.test(c));
  if (cm !== projection.requestedMethod) {
    caveats.push(`The bands are calibrated on the errors of ${cm} used on its own; here auto chose ${projection.method}, whose errors when chosen this way may differ.`);
  }
  caveats.push(...b.caveats);
  const basis: IntervalBasis = {
    method: 'conformal',
    points: projection.history.length,
    calibration: calibration.source,
    errors: b.steps.map((s) => s.n),
    calibratedSteps: calibration.steps.length,
    scale: b.scale,
    summary: b.caveats[0],
  };
  return {
    ...projection,
    intervals: b.intervals.map((iv) => ({ level: iv.level, lower: iv.lower.map(clip), upper: iv.upper.map(clip) })),
    distributions: b.distributions,
    intervalMethod: 'conformal',
    intervalBasis: basis,
    caveats,
  };
}

