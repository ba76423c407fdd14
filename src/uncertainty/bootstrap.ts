/**
 * Residual bootstrap: future sample paths built from a fitted model's own
 * in-sample one-step residuals, resampled with replacement, instead of
 * normal draws. The bands take their shape (skew, heavy or light tails) from
 * the residuals actually seen rather than from a normal or t distribution.
 *
 * ## What is resampled, per method
 *
 * In every case the residuals are first **centred** (their mean removed, so
 * the paths centre on the model's point forecast) and then **rescaled** so
 * that their mean square equals the model's own residual variance
 * (`diagnostics.sigma2`, the unbiased estimate the analytic bands use). So in
 * the limit of many residuals the bootstrap band has the analytic band's
 * width, and only its shape comes from the data. Draws are indices into the
 * residuals from the seeded {@link createRng} (`floor(uniform() * m)`).
 *
 * | method | residuals (m of them) | a path |
 * |---|---|---|
 * | `naive` | the n - 1 yearly changes | last value + cumulative sum of resampled residuals (a random walk). `sigma2` is the mean squared change, so the mean change (the trend naive ignores) widens the band, as in R's `naive()`. |
 * | `drift` | the n - 1 yearly changes minus the drift | per path the drift is redrawn as drift + the mean of m resampled residuals (the bootstrap of a mean: parameter uncertainty), then last value + h x drift\* + cumulative sum of resampled residuals. |
 * | `linear` | the n regression residuals | per path a bootstrap series fitted + resampled residuals is refitted by least squares (a\*, b\*: parameter uncertainty); the value h years ahead is a\* + b\*(n + h) + a fresh resampled residual. |
 * | `loglinear` | the n residuals on the log scale | as `linear` on log y, then exp. |
 * | `dampedTrend` | the n one-step errors | the state-space model run forward from the final level and trend with resampled errors (`l + phi b + e`, then `l += alpha e`, `b = phi b + beta e`): each step's error enters later steps with the weights c_j = alpha + beta phi (1 - phi^j)/(1 - phi) of the analytic variance. No parameter uncertainty (nor has the analytic band). |
 * | `repeatGrowth` | the k yearly log changes in the window minus the applied growth | per path the yearly log growth is redrawn as growth + the mean of k resampled residuals, then a random walk on the log scale, exp. |
 * | `theta` | the n one-step errors of its exponential smoothing | simple exponential smoothing run forward from the final level with resampled errors (`l + e`, then `l += alpha e`: each error enters later steps with weight alpha, as in the analytic variance), plus the method's fixed drift term `b ((h - 1) + (1 - (1 - alpha)^n) / alpha)`. No parameter uncertainty (nor has the analytic band). |
 *
 * The result says how many residuals the band rests on. With few (5-10
 * annual points are normal for a local authority), a resampled one-step
 * error can never exceed the largest one seen, so the outer (95%) band is
 * usually too narrow; the caveats say so.
 *
 * @module
 */
import { createRng } from '../math/rng.js';
import { checkHorizon } from '../models/checks.js';
import { checkLevels } from '../models/distribution.js';
import { fitMethod, isMethodName, type MethodOptions } from '../models/registry.js';
import type { FittedModel, MethodName, SamplePaths } from '../models/types.js';
import { pathBands, type PathBands } from './pathBands.js';

/** A model to bootstrap given as data: the method and the series to fit it to. */
export interface BootstrapSpec {
  /** The method. */
  readonly method: MethodName;
  /** The observations, oldest first, regularly spaced, no gaps. */
  readonly series: readonly number[];
  /** Per-method options for {@link fitMethod}. */
  readonly methodOptions?: MethodOptions;
}

/** Options for {@link bootstrapPaths}. */
export interface BootstrapOptions {
  /** Number of sample paths (a positive whole number; default 2000). */
  readonly paths?: number;
  /** Seed of the random number generator (default 1); the same seed gives the same paths. */
  readonly seed?: number;
  /** Interval levels of the bands, in percent (default `[80, 95]`). */
  readonly levels?: readonly number[];
}

/** The result of {@link bootstrapPaths}. */
export interface BootstrapResult {
  /** The method bootstrapped. */
  readonly method: MethodName;
  /** The sample paths (`values[p * horizon + h]`), on the data scale. */
  readonly paths: SamplePaths;
  /** The seed used. */
  readonly seed: number;
  /** Number of residuals resampled: what the band rests on. */
  readonly residuals: number;
  /** Number of observations the model was fitted to. */
  readonly observations: number;
  /** The scale the residuals live on: `'log'` for `loglinear` and `repeatGrowth`. */
  readonly residualScale: 'data' | 'log';
  /** The centred, rescaled residuals that were resampled (on `residualScale`). */
  readonly resampled: readonly number[];
  /** Whether each path also redraws the model's parameters (drift, trend line, growth). */
  readonly parameterUncertainty: boolean;
  /** What was done, in words. */
  readonly scheme: string;
  /** Mean, median, quantiles and intervals per step, from the paths ({@link pathBands}). */
  readonly bands: PathBands;
  /** Plain-language warnings (few residuals, a residual scale of zero). */
  readonly caveats: readonly string[];
}

/** Bootstrap residuals need at least this many to vary at all. */
const MIN_RESIDUALS = 2;
/** Below this many residuals the caveats warn that the 95% band is likely too narrow. */
const FEW_RESIDUALS = 20;

function isModel(x: FittedModel | BootstrapSpec): x is FittedModel {
  return typeof (x as FittedModel).forecast === 'function' && (x as FittedModel).diagnostics !== undefined;
}

function param(model: FittedModel, name: string): number {
  const v = model.diagnostics.params[name];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new RangeError(`bootstrap: the ${model.method} model has no finite parameter "${name}" in its diagnostics`);
  }
  return v;
}

/** Centre the residuals, then rescale them so their mean square is sigma2. */
function centreAndScale(raw: readonly number[], sigma2: number, method: string): number[] {
  const m = raw.length;
  if (m < MIN_RESIDUALS) {
    throw new RangeError(`bootstrap: ${method} has ${m} usable residual${m === 1 ? '' : 's'}; at least ${MIN_RESIDUALS} are needed (supply a longer series, or a longer window)`);
  }
  const mean = raw.reduce((a, v) => a + v, 0) / m;
  const c = raw.map((v) => v - mean);
  const ms = c.reduce((a, v) => a + v * v, 0) / m;
  if (!(ms > 0) || !(sigma2 > 0) || !Number.isFinite(sigma2)) return c.map(() => 0);
  const f = Math.sqrt(sigma2 / ms);
  return c.map((v) => v * f);
}

/** The in-sample residuals of a fitted model on the scale its errors are modelled on. */
function residualsOf(model: FittedModel): { raw: number[]; scale: 'data' | 'log' } {
  const { residuals, fitted } = model.diagnostics;
  switch (model.method) {
    case 'naive':
    case 'drift':
    case 'linear':
    case 'dampedTrend':
    case 'theta':
      return { raw: residuals.filter((v) => Number.isFinite(v)), scale: 'data' };
    case 'loglinear':
    case 'repeatGrowth': {
      // y = fitted + residual on the data scale; the model's error is log(y / fitted)
      const raw: number[] = [];
      for (let i = 0; i < residuals.length; i++) {
        const f = fitted[i];
        const r = residuals[i];
        if (Number.isFinite(f) && Number.isFinite(r) && f > 0 && f + r > 0) raw.push(Math.log((f + r) / f));
      }
      return { raw, scale: 'log' };
    }
  }
}

/**
 * Simulate future sample paths by a residual bootstrap of a fitted model,
 * and read bands off them.
 *
 * The model's in-sample one-step residuals are centred, rescaled to the
 * model's residual variance, and resampled with replacement to build each
 * path; how the path is built depends on the method (see the module
 * documentation: cumulative sums around the point path for the random-walk
 * methods, a refitted trend line plus a resampled error for the regressions,
 * the state-space recursion for the damped trend and theta). The result says how many
 * residuals the band rests on.
 *
 * @param source - a fitted model, or `{ method, series, methodOptions }` to fit
 * @param horizon - steps ahead (a positive whole number)
 * @param options - number of paths (default 2000), seed (default 1), band levels (default 80, 95)
 * @returns the paths, the bands, the number of residuals and the scheme in words
 * @throws RangeError for a bad horizon, number of paths, seed or level, an
 *   unknown method, a series the method cannot fit, or fewer than 2 usable
 *   residuals
 * @example
 * ```ts
 * const b = bootstrapPaths({ method: 'drift', series: [719, 802, 861, 899, 909, 995, 1057] }, 5, { paths: 2000, seed: 42 });
 * b.residuals;                 // 6: the band rests on six yearly changes
 * b.bands.intervals[1].upper;  // 97.5% quantile per year
 * ```
 */
export function bootstrapPaths(source: FittedModel | BootstrapSpec, horizon: number, options: BootstrapOptions = {}): BootstrapResult {
  checkHorizon(horizon);
  const levels = checkLevels(options.levels ?? [80, 95]);
  const nPaths = options.paths ?? 2000;
  if (!Number.isInteger(nPaths) || nPaths < 1) throw new RangeError(`paths must be a positive whole number, got ${nPaths}`);
  const seed = options.seed ?? 1;
  const rng = createRng(seed);
  let model: FittedModel;
  if (isModel(source)) model = source;
  else {
    if (!isMethodName(source.method)) throw new RangeError(`unknown method "${String(source.method)}"`);
    model = fitMethod(source.method, source.series, source.methodOptions);
  }
  const { raw, scale } = residualsOf(model);
  const r = centreAndScale(raw, model.diagnostics.sigma2, model.method);
  const m = r.length;
  const n = model.diagnostics.n;
  const values = new Float64Array(nPaths * horizon);
  const draw = (): number => r[Math.floor(rng.uniform() * m)];
  const meanOfDraws = (): number => {
    let s = 0;
    for (let i = 0; i < m; i++) s += draw();
    return s / m;
  };
  let scheme: string;
  let parameterUncertainty = false;
  switch (model.method) {
    case 'naive': {
      const last = param(model, 'last');
      for (let p = 0; p < nPaths; p++) {
        let v = last;
        for (let h = 0; h < horizon; h++) {
          v += draw();
          values[p * horizon + h] = v;
        }
      }
      scheme = `random walk from the last value with the ${m} yearly changes resampled (centred, scaled to the model's variance)`;
      break;
    }
    case 'drift': {
      const last = param(model, 'last');
      const b = param(model, 'drift');
      parameterUncertainty = true;
      for (let p = 0; p < nPaths; p++) {
        const bp = b + meanOfDraws();
        let v = last;
        for (let h = 0; h < horizon; h++) {
          v += bp + draw();
          values[p * horizon + h] = v;
        }
      }
      scheme = `random walk with drift: the drift redrawn per path as the mean of ${m} resampled changes, then the ${m} centred yearly changes resampled year by year`;
      break;
    }
    case 'linear':
    case 'loglinear': {
      parameterUncertainty = true;
      const a = param(model, 'intercept');
      const b = param(model, 'slope');
      // fixed design t = 1..n: refit = (a, b) + least squares of the resampled residuals on t
      const tMean = (n + 1) / 2;
      let sxx = 0;
      for (let t = 1; t <= n; t++) sxx += (t - tMean) ** 2;
      const log = model.method === 'loglinear';
      for (let p = 0; p < nPaths; p++) {
        let se = 0;
        let ste = 0;
        for (let t = 1; t <= n; t++) {
          const e = draw();
          se += e;
          ste += (t - tMean) * e;
        }
        const bp = b + ste / sxx;
        const ap = a + se / n - (bp - b) * tMean;
        for (let h = 0; h < horizon; h++) {
          const v = ap + bp * (n + h + 1) + draw();
          values[p * horizon + h] = log ? Math.exp(v) : v;
        }
      }
      scheme =
        `residual bootstrap of the ${log ? 'log-scale ' : ''}regression: per path the line is refitted to fitted values + ${m} resampled residuals, ` +
        `then a fresh resampled residual is added${log ? ', and the result exponentiated' : ''}`;
      break;
    }
    case 'dampedTrend': {
      const alpha = param(model, 'alpha');
      const beta = param(model, 'beta');
      const phi = param(model, 'phi');
      const level = param(model, 'level');
      const trend = param(model, 'trend');
      for (let p = 0; p < nPaths; p++) {
        let l = level;
        let bt = trend;
        for (let h = 0; h < horizon; h++) {
          const e = draw();
          const yhat = l + phi * bt;
          values[p * horizon + h] = yhat + e;
          l = yhat + alpha * e;
          bt = phi * bt + beta * e;
        }
      }
      scheme = `the damped-trend state-space model run forward from its final level and trend with its ${m} one-step errors resampled (no parameter uncertainty)`;
      break;
    }
    case 'repeatGrowth': {
      parameterUncertainty = true;
      const last = param(model, 'last');
      const g = Math.log(1 + param(model, 'annualGrowth'));
      for (let p = 0; p < nPaths; p++) {
        const gp = g + meanOfDraws();
        let v = Math.log(last);
        for (let h = 0; h < horizon; h++) {
          v += gp + draw();
          values[p * horizon + h] = Math.exp(v);
        }
      }
      scheme = `random walk on the log scale: the yearly growth redrawn per path as the mean of ${m} resampled log changes, then the ${m} centred log changes of the window resampled year by year`;
      break;
    }
    case 'theta': {
      const alpha = Math.max(1e-10, param(model, 'alpha'));
      const level = param(model, 'level');
      const drift = param(model, 'drift');
      const start = (1 - (1 - alpha) ** n) / alpha;
      for (let p = 0; p < nPaths; p++) {
        let l = level;
        for (let h = 0; h < horizon; h++) {
          const e = draw();
          values[p * horizon + h] = l + e + drift * (h + start);
          l += alpha * e;
        }
      }
      scheme = `simple exponential smoothing run forward from its final level with its ${m} one-step errors resampled, plus the theta drift term (no parameter uncertainty)`;
      break;
    }
  }
  const paths: SamplePaths = { paths: nPaths, horizon, values };
  const caveats: string[] = [];
  if (r.every((v) => v === 0)) {
    caveats.push(`Every residual of the ${model.method} fit is the same after centring: the bootstrap band has no width.`);
  } else if (m < FEW_RESIDUALS) {
    caveats.push(
      `The bootstrap band rests on ${m} residuals from ${n} yearly observations: a resampled error can never exceed the largest one seen, so with fewer than ${FEW_RESIDUALS} residuals the outer (95%) band is likely too narrow.`,
    );
  }
  return {
    method: model.method,
    paths,
    seed,
    residuals: m,
    observations: n,
    residualScale: scale,
    resampled: r,
    parameterUncertainty,
    scheme,
    bands: pathBands(paths, levels),
    caveats,
  };
}
