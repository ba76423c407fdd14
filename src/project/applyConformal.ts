/**
 * Conformal bands on a finished projection: keep its point forecast and
 * replace its intervals with a conformal calibration's (usually one pooled
 * over a panel by `calibrateConformal`).
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import { conformalBands, historyScale, type ConformalBandsOptions, type ConformalCalibration } from '../uncertainty/conformal.js';
import { conformalBasis, type Projection } from './forecast.js';
import { projectionSummary } from './summary.js';

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
 * The calibration's method must be the method the projection used (for a
 * global method, also where naive stood in for it), or `'auto'` when the
 * projection chose its method (`requestedMethod` `'auto'` or `'evidence'`). The projection's `summary` is rewritten to match.
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
  const chose = projection.requestedMethod === 'auto' || projection.requestedMethod === 'evidence';
  // a global method's calibration also fits where naive stood in for it (its backtests count those forecasts as its own)
  if (cm !== projection.method && cm !== projection.globalFit?.method && !(chose && cm === 'auto')) {
    bad(
      'method',
      `the calibration is for ${cm}'s errors but the projection uses ${projection.method}${chose ? ` (chosen by ${projection.requestedMethod})` : ''}`,
      `calibrate on ${projection.method}'s backtest errors${chose ? " (or auto's)" : ''}`,
    );
  }
  const levels = options.levels ?? projection.intervals.map((iv) => iv.level);
  const scale = historyScale(projection);
  const b = conformalBands(projection.point, Number.isFinite(scale) ? scale : 0, calibration, { levels });
  const clip = (v: number): number => Math.max(0, v);
  const caveats = projection.caveats.filter((c) => !ANALYTIC_ONLY.test(c));
  if (cm === 'auto' && projection.selection?.evidence && projection.selection.evidence.method === projection.method) {
    caveats.push(`The bands are calibrated on the errors of auto (each series choosing its own method); here panel evidence fixed ${projection.method}, whose errors may differ.`);
  } else if (cm !== 'auto' && chose && !(projection.selection?.evidence?.method === projection.method)) {
    caveats.push(`The bands are calibrated on the errors of ${cm} used on its own; here the series chose ${projection.method}, whose errors when chosen this way may differ.`);
  }
  caveats.push(...b.caveats);
  const out: Omit<Projection, 'summary'> = {
    ...projection,
    intervals: b.intervals.map((iv) => ({ level: iv.level, lower: iv.lower.map(clip), upper: iv.upper.map(clip) })),
    distributions: b.distributions,
    intervalMethod: 'conformal',
    intervalBasis: conformalBasis(calibration, b, projection.history.length, b.scale),
    caveats,
  };
  return { ...out, summary: projectionSummary(out) };
}

