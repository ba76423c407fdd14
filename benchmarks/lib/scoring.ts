/**
 * Small scoring and formatting helpers shared by the accuracy benchmarks.
 *
 * @module
 */
import type { BacktestForecast } from '../../src/evaluate/backtestTypes.js';

/** Median of a list. */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Key of one forecast. */
export const keyOf = (area: string, origin: number, h: number): string => `${area}|${origin}|${h}`;
/** A share as a percentage with one decimal. */
export const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—');
/** Three decimals. */
export const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '—');
/** Milliseconds, short. */
export const msf = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : x < 100 ? x.toFixed(1) : x.toFixed(0));

/** One scored forecast with every kind of band computed for it. */
export interface Scored {
  readonly area: string;
  readonly origin: number;
  readonly h: number;
  readonly actual: number;
  readonly point: number;
  readonly scale: number;
  /** |scaled error| (NaN when the scale is 0). */
  readonly ase: number;
  /** analytic (carecast) or R's own bands: inside at 80 / 95. */
  readonly own: readonly [boolean, boolean];
  /** bootstrap bands (carecast only). */
  boot?: readonly [boolean, boolean];
  /** per-series conformal bands (carecast only). */
  series?: readonly [boolean, boolean];
}

/** Coverage at 80 and 95% over n forecasts. */
export interface Cover {
  n: number;
  c80: number;
  c95: number;
}
/** Coverage of the bands `pick` chooses (forecasts without them are skipped). */
export const cover = (rows: readonly Scored[], pick: (r: Scored) => readonly [boolean, boolean] | undefined): Cover => {
  let n = 0;
  let a = 0;
  let b = 0;
  for (const r of rows) {
    const v = pick(r);
    if (!v) continue;
    n++;
    if (v[0]) a++;
    if (v[1]) b++;
  }
  return { n, c80: n ? a / n : NaN, c95: n ? b / n : NaN };
};
/** Mean absolute scaled error over the forecasts with a scale. */
export const maseOf = (rows: readonly Scored[]): number => {
  let s = 0;
  let n = 0;
  for (const r of rows) {
    if (!Number.isFinite(r.ase)) continue;
    s += r.ase;
    n++;
  }
  return n ? s / n : NaN;
};
/** Whether y lies in [lo, hi]. */
export const inside = (y: number, lo: number, hi: number): boolean => y >= lo && y <= hi;

/** A backtest forecast as a scored row with its analytic 80/95% bands (`null` when it has no actual value). */
export function scoredOf(f: BacktestForecast): Scored | null {
  if (f.actual === null) return null;
  return {
    area: f.area,
    origin: f.origin,
    h: f.h,
    actual: f.actual,
    point: f.point,
    scale: f.scale,
    ase: f.scaledError === null ? NaN : Math.abs(f.scaledError),
    own: [inside(f.actual, f.lo_80, f.hi_80), inside(f.actual, f.lo_95, f.hi_95)],
  };
}
