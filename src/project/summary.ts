/**
 * The one line a person can read about a projection: which method, why (the
 * panel evidence, the series' own errors, or asked for by name), and what the
 * bands rest on. Built only from the projection's own fields, so it never
 * says anything the projection does not hold.
 *
 * @module
 */
import type { MethodSelection } from '../models/selectMethod.js';
import type { ConformalExponent } from '../uncertainty/conformal.js';

/** The fields of a projection the summary is built from (a `Projection` has them all). */
export interface SummaryInput {
  /** The measure projected. */
  readonly measure: string;
  /** The method used. */
  readonly method: string;
  /** How the method was to be decided: `'evidence'`, `'auto'` or a method name. */
  readonly requestedMethod: string;
  /** How the method was chosen, when it was not asked for by name. */
  readonly selection?: MethodSelection;
  /** The bands, one per level. */
  readonly intervals: readonly { readonly level: number }[];
  /** How the bands were made. */
  readonly intervalMethod: 'analytic' | 'bootstrap' | 'conformal';
  /** For a global method: the panel fit it used (its origin and the panel's size). */
  readonly globalFit?: { readonly origin: number; readonly panel: { readonly series: number } };
  /** What bootstrap or conformal bands, or a global method's own pooled bands, rest on. */
  readonly intervalBasis?: {
    readonly calibration?: 'pooled' | 'series';
    readonly errors?: readonly number[];
    readonly extrapolated?: readonly boolean[];
    readonly calibratedSteps?: number;
    readonly calibrationMethod?: string;
    readonly areas?: number;
    readonly exponents?: readonly ConformalExponent[];
    readonly residuals?: number;
    readonly paths?: number;
  };
  /** When the point was reconciled with a total: with which, and how. */
  readonly reconciliation?: { readonly with: string; readonly method: string };
}

/** Each method in words, for the summary (a method not listed is shown by its name). */
const METHOD_WORDS: Readonly<Record<string, string>> = {
  naive: 'Naive (last value)',
  drift: 'Drift (last value plus the mean yearly change)',
  linear: 'Linear trend',
  loglinear: 'Log-linear trend (constant growth)',
  theta: 'Theta (exponential smoothing plus half the trend)',
  dampedTrend: 'Damped trend (ETS)',
  repeatGrowth: 'Repeat growth (the last years\u2019 % change applied again)',
  panelGrowth: 'Panel-shrunk growth (own growth shrunk toward the panel\u2019s, damped)',
  panelAR: 'Pooled regression on log growth (panel AR)',
  panelGrowthRate: 'Panel-shrunk growth of the rate per 10,000 children',
  panelARRate: 'Pooled regression on the log growth of the rate per 10,000 children',
};

/** Each reconciliation in words. */
const RECONCILIATION_WORDS: Readonly<Record<string, string>> = {
  'mint-shrink': 'MinT, shrinkage covariance of one-step errors',
  'mint-sample': 'MinT, sample covariance of one-step errors',
  wls: 'weighted least squares, variances of one-step errors',
  ols: 'ordinary least squares',
};

const GLOBAL = new Set(['panelGrowth', 'panelAR', 'panelGrowthRate', 'panelARRate']);

/** For a global method: whose dynamics it applied. */
function fitted(p: SummaryInput): string {
  const f = p.globalFit;
  return f && GLOBAL.has(p.method) ? ` with the dynamics fitted on ${count(f.panel.series)} series at ${f.origin}` : '';
}

/** 2063 -> "2,063" (no locale data needed). */
function count(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 0.8 -> "0.8", 0.8149 -> "0.81". */
function short(x: number): string {
  return String(Number(x.toFixed(2)));
}

function list(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

function steps(h: number): string {
  return h === 1 ? 'step 1' : `steps 1-${h}`;
}

/** Why this method: panel evidence, the series' own errors, or asked for. */
function why(p: SummaryInput): string {
  const sel = p.selection;
  const ev = sel?.evidence;
  // a global method stood in for by naive (the series is not eligible for its rule)
  const stoodIn = GLOBAL.has(p.requestedMethod) ? p.requestedMethod : ev && GLOBAL.has(ev.method) && p.method === 'naive' && p.globalFit ? ev.method : undefined;
  if (stoodIn !== undefined && p.method !== stoodIn) {
    return `in place of ${stoodIn}${GLOBAL.has(p.requestedMethod) ? ' (asked for)' : ' (picked by panel evidence)'}, whose rule this series is not eligible for`;
  }
  if (!sel) return 'as asked';
  if (ev && ev.method !== 'auto' && ev.method === p.method) {
    const score = ev.scores.find((s) => s.strategy === ev.method);
    return (
      `chosen by panel evidence from ${count(ev.areas)} areas' backtests (${ev.source}; ` +
      `${score ? `MASE ${score.mase.toFixed(2)} over ` : ''}${count(ev.forecasts)} forecasts, ${ev.maxStep === 1 ? '1 year' : `1-${ev.maxStep} years`} ahead)`
    );
  }
  const own = sel.scores.find((s) => s.method === p.method);
  const base =
    sel.scores.length === 0 || !own
      ? 'used because the series is too short to compare methods on its own errors'
      : `chosen by this series' own rolling-origin errors (MASE ${own.mase.toFixed(2)} over ${count(own.forecasts)} forecasts)`;
  if (ev && ev.method === 'auto') return `${base}, as panel evidence from ${count(ev.areas)} areas favours (${ev.source})`;
  if (ev) return `${base}: panel evidence favours ${ev.method}, which this series cannot use`;
  if (p.requestedMethod === 'evidence') return `${base}: no panel evidence for ${p.measure === 'value' ? 'a series without a measure' : p.measure} is bundled`;
  return base;
}

function exponents(e: readonly ConformalExponent[]): string {
  const same = e.every((x) => short(x.lower) === short(x.upper));
  const all = e.map((x) => (same ? short(x.upper) : `${short(x.lower)}/${short(x.upper)}`));
  if (all.every((k) => k === all[0])) return `k = ${all[0]}${same ? '' : ' (lower/upper)'}`;
  return `k = ${e.map((x, i) => `${all[i]} at ${x.level}%`).join(', ')}${same ? '' : ' (lower/upper)'}`;
}

/** What the bands rest on. */
function bands(p: SummaryInput): string {
  const b = p.intervalBasis;
  const ext = b?.extrapolated ?? [];
  const later = ext.some((x) => x) && b?.exponents ? `, later years extrapolated (${exponents(b.exponents)})` : '';
  const ownErrors = (b?.errors ?? []).filter((_, i) => !ext[i]).reduce((a, n) => a + n, 0);
  const ownSteps = ext.filter((x) => !x).length;
  if (p.intervalMethod === 'analytic' && b?.calibration === 'pooled') {
    // a global method's own log-normal bands, their spread read off the rule's errors across its panel
    const f = p.globalFit;
    const panel = f ? ` across the ${count(f.panel.series)}-series panel it was fitted on at ${f.origin}` : ' across its panel';
    return `the method's own pooled bands (log-normal, the spread at ${steps(ownSteps)} read off ${count(ownErrors)} errors of the rule${panel}${later})`;
  }
  if (p.intervalMethod === 'analytic' || !b) return `analytic (the ${p.method} model's own)`;
  if (p.intervalMethod === 'bootstrap') return `bootstrap (${count(b.paths ?? 0)} paths resampling ${count(b.residuals ?? 0)} residuals)`;
  const whose = b.calibrationMethod !== undefined && b.calibrationMethod !== p.method ? `${b.calibrationMethod} ` : '';
  if (b.calibration === 'pooled') {
    return `pooled conformal, calibrated on ${count(ownErrors)} ${whose}errors of ${count(b.areas ?? 0)} areas at ${steps(ownSteps)}${later}`;
  }
  return `conformal from this series' own ${count(ownErrors)} ${whose}errors at ${steps(ownSteps)}${later}`;
}

/**
 * The one-line summary of a projection: the method and why it was used, and
 * what its bands rest on, from the projection's own fields (`forecast()` and
 * `applyConformal()` put it in `Projection.summary`).
 *
 * @param p - the projection (or any object with the fields of {@link SummaryInput})
 * @returns one sentence
 * @example
 * ```ts
 * projectionSummary(forecast(derbyshire, { to: 2035 }));
 * // "Panel-shrunk growth (...) with the dynamics fitted on 158 series at 2024, chosen by panel evidence from 151 areas' backtests
 * //  (...; MASE 1.72 over 2,063 forecasts, 1-3 years ahead); 80% and 95% bands: pooled conformal, calibrated on ... errors of
 * //  155 areas at steps 1-10, later years extrapolated (k = ...)."
 * ```
 */
export function projectionSummary(p: SummaryInput): string {
  const m = METHOD_WORDS[p.method] ?? p.method;
  const levels = list(p.intervals.map((iv) => `${iv.level}%`));
  const r = p.reconciliation;
  const b = p.intervals.length === 0 ? 'no bands' : `${levels} band${p.intervals.length === 1 ? '' : 's'}: ${bands(p)}${r ? ', moved with the reconciled point' : ''}`;
  const rec = r ? `, the point then reconciled with ${r.with} (${RECONCILIATION_WORDS[r.method] ?? r.method})` : '';
  return `${m}${fitted(p)}, ${why(p)}${rec}; ${b}.`;
}
