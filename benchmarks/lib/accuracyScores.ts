/**
 * Per-forecast scores of the issue-12 accuracy benchmark (benchmarks/accuracy-dfe.ts): the scaled
 * error, and for a pair of 80% / 95% bands whether they covered, their scaled Winkler scores and the
 * scaled CRPS of the distribution behind them; pooled conformal bands from a calibration; and the
 * bootstrap over local authorities for standard errors.
 *
 * @module
 */
import type { BacktestForecast } from '../../src/evaluate/backtestTypes.js';
import { crpsOf, crpsSample } from '../../src/evaluate/crps.js';
import { createRng } from '../../src/math/rng.js';
import { conformalOffsets, type ConformalCalibration } from '../../src/uncertainty/conformal.js';

/** One pair of bands (80% and 95%) scored on one forecast. */
export interface BandScore {
  readonly in80: boolean;
  readonly in95: boolean;
  /** Winkler scores divided by the forecast's MASE scale. */
  readonly w80: number;
  readonly w95: number;
  /** CRPS of the distribution behind the bands divided by the scale (`NaN` when there is none). */
  readonly crps: number;
}

/** A conformal band pair, with whether its step was beyond the calibrated steps. */
export interface ConformalScore extends BandScore {
  /** `true` when h > H, the last calibrated step: the band came from the power law. */
  readonly extrapolated: boolean;
}

/** One scored forecast: the point error and the bands of each kind that were made for it. */
export interface Scored {
  readonly area: string;
  readonly origin: number;
  readonly h: number;
  readonly actual: number;
  readonly point: number;
  /** The training window's mean absolute yearly change (> 0). */
  readonly scale: number;
  /** |point - actual| / scale. */
  readonly ase: number;
  /** The method's own (analytic) bands, or R's. */
  readonly own?: BandScore;
  /** Pooled conformal bands calibrated as known at the origin. */
  conformal?: ConformalScore;
}

/** Key of one forecast. */
export const keyOf = (area: string, origin: number, h: number): string => `${area}|${origin}|${h}`;

/** The Winkler (interval) score of [lo, hi] at a level, for actual y. */
export function winkler(y: number, lo: number, hi: number, level: number): number {
  const alpha = (100 - level) / 100;
  let s = hi - lo;
  if (y < lo) s += (2 / alpha) * (lo - y);
  else if (y > hi) s += (2 / alpha) * (y - hi);
  return s;
}

/** Score a pair of bands (already clipped as shown) and a CRPS (unscaled) on one forecast. */
export function bandScore(y: number, scale: number, lo80: number, hi80: number, lo95: number, hi95: number, crps: number): BandScore {
  return {
    in80: y >= lo80 && y <= hi80,
    in95: y >= lo95 && y <= hi95,
    w80: winkler(y, lo80, hi80, 80) / scale,
    w95: winkler(y, lo95, hi95, 95) / scale,
    crps: crps / scale,
  };
}

/** A backtest row (analytic bands, its CRPS) as a scored forecast; `null` when not scored (no actual or scale 0). */
export function scoredOf(f: BacktestForecast): Scored | null {
  if (f.actual === null || !(f.scale > 0) || f.scaledError === null) return null;
  return {
    area: f.area,
    origin: f.origin,
    h: f.h,
    actual: f.actual,
    point: f.point,
    scale: f.scale,
    ase: Math.abs(f.scaledError),
    own: bandScore(f.actual, f.scale, f.lo_80, f.hi_80, f.lo_95, f.hi_95, f.crps ?? Number.NaN),
  };
}

/**
 * Pooled conformal bands (80% and 95%) of a calibration on one forecast, as `forecast()` would make
 * them: point + offset x scale clipped at 0, and the CRPS of point + offsetQuantiles x scale (clipped
 * at 0). `null` when the calibration has no error at all.
 */
export function conformalScore(s: Pick<Scored, 'actual' | 'point' | 'scale' | 'h'>, cal: ConformalCalibration): ConformalScore | null {
  const o = conformalOffsets(cal, s.h);
  if (o === null) return null;
  const i80 = cal.levels.indexOf(80);
  const i95 = cal.levels.indexOf(95);
  const clip = (v: number): number => Math.max(0, v);
  const lo = (j: number): number => clip(s.point + o.levels[j].lower * s.scale);
  const hi = (j: number): number => clip(s.point + o.levels[j].upper * s.scale);
  const crps = o.offsetQuantiles.length > 0 ? crpsSample(s.actual, o.offsetQuantiles.map((q) => clip(s.point + q * s.scale))) : Number.NaN;
  return { ...bandScore(s.actual, s.scale, lo(i80), hi(i80), lo(i95), hi(i95), crps), extrapolated: o.extrapolated };
}

/** R's 80% / 95% intervals on one forecast; the CRPS of the normal whose 95% interval they are (censored at 0, as carecast's). */
export function rBandScore(y: number, scale: number, mean: number, lo80: number, hi80: number, lo95: number, hi95: number): BandScore {
  const sd = (hi95 - lo95) / (2 * 1.959963984540054);
  const crps = sd > 0 ? crpsOf(y, { type: 'normal', mean, sd }, { lower: 0 }) : Math.abs(y - mean);
  return bandScore(y, scale, lo80, hi80, lo95, hi95, crps);
}

/** Sum and count of a measure per area. */
export type AreaSums = Map<string, { sum: number; n: number }>;

/** Per area, the sum and count of `value` over the forecasts (skipping non-finite values). */
export function areaSums(rows: Iterable<Scored>, value: (r: Scored) => number): AreaSums {
  const out: AreaSums = new Map();
  for (const r of rows) {
    const v = value(r);
    if (!Number.isFinite(v)) continue;
    const a = out.get(r.area) ?? { sum: 0, n: 0 };
    a.sum += v;
    a.n++;
    out.set(r.area, a);
  }
  return out;
}

/** Mean over all forecasts of area sums. */
export function meanOf(s: AreaSums): number {
  let sum = 0;
  let n = 0;
  for (const a of s.values()) {
    sum += a.sum;
    n += a.n;
  }
  return n > 0 ? sum / n : Number.NaN;
}

/**
 * Bootstrap over areas: `draws` resamples of the areas (with replacement), the same draws for every
 * measure given; per measure the mean of each draw. Seeded.
 */
export function bootstrapAreas(measures: readonly AreaSums[], draws: number, seed: number): number[][] {
  const areas = [...new Set(measures.flatMap((m) => [...m.keys()]))].sort();
  const rng = createRng(seed);
  const out = measures.map(() => new Array<number>(draws));
  for (let d = 0; d < draws; d++) {
    const sums = measures.map(() => 0);
    const ns = measures.map(() => 0);
    for (let i = 0; i < areas.length; i++) {
      const a = areas[Math.floor(rng.uniform() * areas.length)];
      measures.forEach((m, j) => {
        const x = m.get(a);
        if (x) {
          sums[j] += x.sum;
          ns[j] += x.n;
        }
      });
    }
    measures.forEach((_, j) => (out[j][d] = ns[j] > 0 ? sums[j] / ns[j] : Number.NaN));
  }
  return out;
}

/** Standard deviation (n - 1). */
export function sd(xs: readonly number[]): number {
  const v = xs.filter(Number.isFinite);
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

/** Median of a list. */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** A share as a percentage with one decimal. */
export const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');
/** Three decimals. */
export const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '—');
/** Two decimals. */
export const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '—');
/** Milliseconds, short. */
export const msf = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
/** 2063 -> "2,063". */
export const count = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
