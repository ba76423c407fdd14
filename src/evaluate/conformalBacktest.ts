/**
 * Conformal bands meet backtests: calibrate them on the scale-free
 * rolling-origin errors of a {@link "carecast"!backtest} or {@link "carecast"!backtestPanel}
 * (pooled over every area of a panel), and score a calibration on backtest
 * forecasts it was not calibrated on. The quantile kernel itself is in
 * `uncertainty/conformal.ts` (`calibrateConformalErrors`, `conformalBands`).
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import { calibrateConformalErrors, conformalOffsets, type ConformalCalibration, type ConformalShape } from '../uncertainty/conformal.js';
import type { BacktestForecast, BacktestMethod, BacktestResult, PanelBacktestResult } from './backtestTypes.js';
import { crpsSample } from './crps.js';

/** Options for {@link calibrateConformal}. */
export interface CalibrateConformalOptions {
  /** The method whose backtest errors to use (one of the backtest's methods). */
  readonly method: BacktestMethod;
  /** Levels in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
  /** Symmetric (default) or asymmetric bands. */
  readonly shape?: ConformalShape;
  /**
   * Keep only the forecasts for which this returns `true`. It is given the
   * forecast row and the key of its area in the panel (the series' area for
   * a one-series backtest): e.g. `(f) => f.target <= 2017` to calibrate only
   * on what was known by 2017, or `(f, area) => area !== 'Derby'` to leave
   * an area out.
   */
  readonly include?: (forecast: BacktestForecast, area: string) => boolean;
  /** The fewest errors for a step to count as calibrated (default 39 for a panel, 1 for one series' backtest); later steps are extrapolated by the power law. */
  readonly minErrors?: number;
}

/** Interval measures of {@link scoreConformal} at one level. */
export interface ConformalScoreLevel {
  /** Nominal coverage in percent. */
  readonly level: number;
  /** Number of forecasts scored. */
  readonly n: number;
  /** Number whose actual value fell inside the band. */
  readonly covered: number;
  /** covered / n (`NaN` for none). */
  readonly coverage: number;
  /** Mean Winkler score divided by each forecast's MASE scale (forecasts with a scale above 0). */
  readonly scaledWinkler: number;
}

/** The result of {@link scoreConformal}. */
export interface ConformalScore {
  /** Forecasts scored (same method as the calibration, with an actual value). */
  readonly n: number;
  /** Over all steps. */
  readonly levels: readonly ConformalScoreLevel[];
  /**
   * Mean CRPS of the calibrated predictive distributions (point + scale ×
   * the step's `offsetQuantiles`, widened by the bands' power law beyond the
   * calibrated steps, clipped at zero), divided by each
   * forecast's MASE scale (forecasts with a scale above 0), over all steps.
   */
  readonly scaledCrps: number;
  /** Number of forecasts the scaled CRPS rests on. */
  readonly scaledCrpsN: number;
  /** Per step h = 1..max step scored. */
  readonly byStep: readonly { readonly h: number; readonly levels: readonly ConformalScoreLevel[]; readonly scaledCrps: number; readonly scaledCrpsN: number }[];
}

const SOURCE = 'conformal calibration';

function bad(field: string, message: string, fix: string): never {
  throw new CarecastInputError([{ source: SOURCE, field, message, fix }]);
}

/**
 * Calibrate conformal bands from a backtest: per step h, the empirical
 * quantile of one method's scale-free rolling-origin errors at each level,
 * with the finite-sample correction. Given a {@link "carecast"!backtestPanel} result
 * the errors of every area are pooled (`source: 'pooled'`), which is what
 * the evidence on DfE data supports; given a one-series {@link "carecast"!backtest}
 * result, the calibration rests on that series' own errors (`source:
 * 'series'`). Forecasts not scored (no actual value, or a training scale of
 * 0) are left out.
 *
 * @param result - a backtest of one series or of a panel
 * @param options - the method, levels (default 80, 95), shape (default symmetric), and a filter of the forecasts to use (given each row and its area's key)
 * @returns per step the offsets at each level, how many errors each rests on, and caveats
 * @throws CarecastInputError when the method was not backtested, or for bad levels or shape
 * @example
 * ```ts
 * const bt = backtestPanel(cic, { methods: ['naive', 'auto'], horizon: 3, origins: [2014, 2015, 2016, 2017, 2019, 2020] });
 * const cal = calibrateConformal(bt, { method: 'auto', levels: [80, 95] });
 * cal.steps.map((s) => s.n);      // errors per step, e.g. [755, 601, 453]
 * forecast(series, { to: 2024, method: 'auto', conformal: cal }).intervals;
 * ```
 */
export function calibrateConformal(result: BacktestResult | PanelBacktestResult, options: CalibrateConformalOptions): ConformalCalibration {
  const method = options?.method;
  if (!result.methods.includes(method)) {
    bad('method', `method "${String(method)}" is not in the backtest (it has ${result.methods.join(', ')})`, 'calibrate on one of the backtested methods');
  }
  const byStep: number[][] = Array.from({ length: result.horizon }, () => []);
  const areas = new Set<string>();
  const lists: [string, readonly BacktestForecast[]][] = result.kind === 'panel' ? [...result.byArea].map(([k, r]) => [k, r.forecasts]) : [[result.area, result.forecasts]];
  for (const [area, forecasts] of lists) {
    for (const f of forecasts) {
      if (f.method !== method || f.actual === null || f.scaledError === null || !Number.isFinite(f.scaledError)) continue;
      if (options.include && !options.include(f, area)) continue;
      byStep[f.h - 1].push(f.scaledError);
      areas.add(area);
    }
  }
  return calibrateConformalErrors(byStep, {
    source: result.kind === 'panel' ? 'pooled' : 'series',
    method,
    ...(options.levels !== undefined ? { levels: options.levels } : {}),
    ...(options.shape !== undefined ? { shape: options.shape } : {}),
    ...(options.minErrors !== undefined ? { minErrors: options.minErrors } : {}),
    areas: areas.size,
  });
}

/**
 * Score conformal bands on backtest forecasts: for every forecast of the
 * calibration's method with an actual value, the band `point + offset ×
 * scale` (clipped at zero, as `applyConformal` gives it) is checked
 * against the actual value, and the CRPS of the calibration's predictive
 * distribution (point + offset quantiles × scale, clipped at zero; the
 * same as `forecast` gives with the calibration) is scored, divided by the
 * scale. Use it on forecasts that were NOT used to
 * calibrate (e.g. later origins, or a left-out area), or it measures the
 * calibration on its own data.
 *
 * @param forecasts - backtest forecast rows (e.g. `backtest(...).forecasts`)
 * @param calibration - the calibration to score
 * @returns coverage and scaled Winkler score per level, and the scaled CRPS of the calibrated distributions, over all steps and per step
 * @throws CarecastInputError for a calibration without errors
 * @example
 * ```ts
 * const cal = calibrateConformal(bt, { method: 'auto', include: (f) => f.target <= 2017 });
 * const later = [...bt.byArea.values()].flatMap((r) => r.forecasts.filter((f) => f.origin >= 2017));
 * scoreConformal(later, cal).levels; // [{ level: 80, coverage: ... }, { level: 95, ... }]
 * ```
 */
export function scoreConformal(forecasts: readonly BacktestForecast[], calibration: ConformalCalibration): ConformalScore {
  if (calibration?.kind !== 'conformal') bad('calibration', 'not a conformal calibration', 'use calibrateConformal() or calibrateConformalSeries()');
  if (calibration.errors === 0) bad('calibration', `the calibration of ${calibration.method} rests on no errors`, 'calibrate on more forecasts');
  const levels = calibration.levels;
  type Acc = { n: number; covered: number; sw: number; sn: number };
  type Crps = { sum: number; n: number };
  const fresh = (): Acc[] => levels.map(() => ({ n: 0, covered: 0, sw: 0, sn: 0 }));
  const all = fresh();
  const byStep = new Map<number, Acc[]>();
  const crpsAll: Crps = { sum: 0, n: 0 };
  const crpsByStep = new Map<number, Crps>();
  let n = 0;
  for (const f of forecasts) {
    if (f.method !== calibration.method || f.actual === null) continue;
    const o = conformalOffsets(calibration, f.h);
    if (o === null) continue;
    const scale = f.scale > 0 ? f.scale : 0;
    n++;
    if (!byStep.has(f.h)) byStep.set(f.h, fresh());
    const accs = [all, byStep.get(f.h) as Acc[]];
    if (scale > 0 && o.offsetQuantiles.length > 0) {
      const c = crpsSample(
        f.actual,
        o.offsetQuantiles.map((q) => Math.max(0, f.point + q * scale)),
      );
      if (!crpsByStep.has(f.h)) crpsByStep.set(f.h, { sum: 0, n: 0 });
      for (const acc of [crpsAll, crpsByStep.get(f.h) as Crps]) {
        acc.sum += c / scale;
        acc.n++;
      }
    }
    levels.forEach((l, j) => {
      const c = o.levels[j];
      const lo = Math.max(0, f.point + c.lower * scale);
      const hi = Math.max(0, f.point + c.upper * scale);
      const y = f.actual as number;
      const inside = y >= lo && y <= hi;
      const a = (100 - l) / 100;
      let w = hi - lo;
      if (y < lo) w += (2 / a) * (lo - y);
      else if (y > hi) w += (2 / a) * (y - hi);
      for (const acc of accs) {
        acc[j].n++;
        if (inside) acc[j].covered++;
        if (scale > 0) {
          acc[j].sw += w / scale;
          acc[j].sn++;
        }
      }
    });
  }
  const out = (acc: Acc[]): ConformalScoreLevel[] =>
    levels.map((level, j) => ({
      level,
      n: acc[j].n,
      covered: acc[j].covered,
      coverage: acc[j].n > 0 ? acc[j].covered / acc[j].n : NaN,
      scaledWinkler: acc[j].sn > 0 ? acc[j].sw / acc[j].sn : NaN,
    }));
  const mean = (c: Crps | undefined): number => (c !== undefined && c.n > 0 ? c.sum / c.n : NaN);
  return {
    n,
    levels: out(all),
    scaledCrps: mean(crpsAll),
    scaledCrpsN: crpsAll.n,
    byStep: [...byStep.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([h, acc]) => ({ h, levels: out(acc), scaledCrps: mean(crpsByStep.get(h)), scaledCrpsN: crpsByStep.get(h)?.n ?? 0 })),
  };
}
