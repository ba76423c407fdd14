/**
 * Bands read off simulated sample paths, step by step.
 *
 * @module
 */
import { checkLevels } from '../models/distribution.js';
import type { ForecastInterval, SamplePaths } from '../models/types.js';

/** The quantile probabilities reported for every simulated output. */
export const REPORTED_QUANTILES = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95] as const;

/**
 * Put the k-th smallest element of `a[lo..hi]` in place for every k in
 * `ks[kLo..kHi]` (sorted), partitioning recursively (multiple quickselect):
 * about n log(number of k) work instead of a full sort's n log n.
 */
function multiSelect(a: Float64Array, lo: number, hi: number, ks: Int32Array, kLo: number, kHi: number): void {
  while (lo < hi && kLo <= kHi) {
    if (hi - lo < 16) {
      // insertion sort for small ranges
      for (let i = lo + 1; i <= hi; i++) {
        const x = a[i];
        let j = i - 1;
        while (j >= lo && a[j] > x) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = x;
      }
      return;
    }
    // median of three pivot
    const mid = (lo + hi) >>> 1;
    let x = a[lo];
    const y = a[mid];
    const z = a[hi];
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    // Hoare partition
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        x = a[i];
        a[i] = a[j];
        a[j] = x;
        i++;
        j--;
      }
    }
    // now a[lo..j] <= pivot <= a[i..hi], and a[j+1..i-1] == pivot
    let split = kLo;
    while (split <= kHi && ks[split] <= j) split++;
    let right = split;
    while (right <= kHi && ks[right] < i) right++;
    if (split - 1 >= kLo) multiSelect(a, lo, j, ks, kLo, split - 1);
    lo = i;
    kLo = right;
  }
}

/** Scratch space of {@link selectRanks}. */
let bucketOf = new Int32Array(0);
let bucketBuf = new Float64Array(0);
const BUCKET_COUNT = new Int32Array(1025);

/**
 * Put the k-th smallest of `a` at position k for every k in `ks` (sorted
 * ascending): a counting sort of the values into about 2 sqrt(n) equal-width
 * buckets between the minimum and the maximum (bucket order is value order,
 * since the bucket index is a non-decreasing function of the value), then a
 * selection inside only the buckets holding a rank asked for. Three linear,
 * nearly branch-free passes instead of quickselect's data-dependent
 * branches; falls back to {@link multiSelect} for small or non-finite data.
 */
function selectRanks(a: Float64Array, ks: Int32Array): void {
  const n = a.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  if (n < 64 || !Number.isFinite(range)) {
    multiSelect(a, 0, n - 1, ks, 0, ks.length - 1);
    return;
  }
  if (range === 0) return; // every value equal
  const B = Math.min(1024, Math.max(16, 2 * Math.ceil(Math.sqrt(n))));
  const scale = B / range;
  if (bucketOf.length < n) {
    bucketOf = new Int32Array(n);
    bucketBuf = new Float64Array(n);
  }
  const count = BUCKET_COUNT;
  count.fill(0, 0, B + 1);
  for (let i = 0; i < n; i++) {
    let b = ((a[i] - min) * scale) | 0;
    if (b >= B) b = B - 1;
    bucketOf[i] = b;
    count[b + 1]++;
  }
  for (let b = 1; b <= B; b++) count[b] += count[b - 1];
  // count[b] is now the start of bucket b; scatter (stable)
  const buf = bucketBuf;
  for (let i = 0; i < n; i++) buf[count[bucketOf[i]]++] = a[i];
  // count[b] is now the end of bucket b (= the start of b + 1)
  for (let i = 0; i < n; i++) a[i] = buf[i];
  // each bucket holding ranks asked for: select those ranks inside it
  let q = 0;
  let b = 0;
  while (q < ks.length) {
    while (count[b] <= ks[q]) b++;
    let r = q;
    while (r + 1 < ks.length && ks[r + 1] < count[b]) r++;
    const lo = b === 0 ? 0 : count[b - 1];
    const hi = count[b] - 1;
    if (hi > lo) multiSelect(a, lo, hi, ks, q, r);
    q = r + 1;
  }
}

/** A step-major copy of path-major values, in a buffer reused between calls. */
let scratch = new Float64Array(0);
function transposed(values: ArrayLike<number>, n: number, horizon: number): Float64Array {
  const len = n * horizon;
  if (scratch.length < len) scratch = new Float64Array(len);
  const out = scratch;
  for (let p = 0; p < n; p++) {
    const base = p * horizon;
    for (let h = 0; h < horizon; h++) out[h * n + p] = values[base + h];
  }
  return out;
}

/** Bands of a simulated quantity per step. */
export interface PathBands {
  /** Median per step. */
  readonly median: readonly number[];
  /** Mean per step. */
  readonly mean: readonly number[];
  /** Central intervals at each level asked. */
  readonly intervals: readonly ForecastInterval[];
  /** Quantiles per step, keyed `p5`, `p10`, `p25`, `p50`, `p75`, `p90`, `p95`. */
  readonly quantiles: Readonly<Record<string, readonly number[]>>;
}

/**
 * Summarise sample paths per step: mean, median, the reported quantiles
 * (5/10/25/50/75/90/95) and central intervals at the levels asked, all from
 * the empirical distribution (R's type 7 quantiles). Derived quantities
 * (sums of groups, costs) get their bands this way from their own paths,
 * never by adding bounds.
 *
 * @param paths - the sample paths
 * @param levels - interval levels in percent (default 80 and 95)
 * @returns the bands
 * @throws RangeError for a level outside (0, 100)
 * @example
 * ```ts
 * const b = pathBands(model.simulate(10, { paths: 2000, seed: 1 }), [80, 95]);
 * b.intervals[0].lower; // 10% quantile per year
 * ```
 */
export function pathBands(paths: SamplePaths, levels: readonly number[] = [80, 95]): PathBands {
  const lv = checkLevels(levels);
  const { horizon, paths: n, values } = paths;
  // every probability needed: the reported quantiles and both ends of each interval
  const probs = [...new Set([...REPORTED_QUANTILES, 0.5, ...lv.flatMap((l) => [(1 - l / 100) / 2, 1 - (1 - l / 100) / 2])])];
  // type 7: order statistics floor((n-1)p) and the next one
  const kSet = new Set<number>();
  for (const p of probs) {
    const f = Math.floor((n - 1) * p);
    kSet.add(f);
    kSet.add(Math.min(f + 1, n - 1));
  }
  const ks = Int32Array.from([...kSet].sort((a, b) => a - b));
  const at = (col: Float64Array, p: number): number => {
    const hq = (n - 1) * p;
    const f = Math.floor(hq);
    const c = Math.min(f + 1, n - 1);
    return col[f] + (hq - f) * (col[c] - col[f]);
  };
  const median: number[] = [];
  const mean: number[] = [];
  const quantiles: Record<string, number[]> = {};
  for (const q of REPORTED_QUANTILES) quantiles[`p${Math.round(q * 100)}`] = [];
  const lower: number[][] = lv.map(() => []);
  const upper: number[][] = lv.map(() => []);
  // step-major copy in one sequential pass: each step's values are then contiguous
  // (selecting on a strided column of a large array is several times slower)
  const cols = transposed(values, n, horizon);
  for (let h = 0; h < horizon; h++) {
    const col = cols.subarray(h * n, (h + 1) * n);
    let s = 0;
    for (let p = 0; p < n; p++) s += col[p];
    mean.push(s / n);
    if (n > 1) selectRanks(col, ks);
    median.push(at(col, 0.5));
    for (const q of REPORTED_QUANTILES) quantiles[`p${Math.round(q * 100)}`].push(at(col, q));
    lv.forEach((l, i) => {
      const a = (1 - l / 100) / 2;
      lower[i].push(at(col, a));
      upper[i].push(at(col, 1 - a));
    });
  }
  return { median, mean, intervals: lv.map((level, i) => ({ level, lower: lower[i], upper: upper[i] })), quantiles };
}

/**
 * The median of simulated paths at each step (R's type 7), by selection
 * rather than a sort: what a point read off paths needs when the other
 * quantiles are not wanted.
 *
 * @param paths - the sample paths
 * @returns one median per step
 * @example
 * ```ts
 * pathMedians({ paths: 3, horizon: 1, values: Float64Array.from([3, 1, 2]) }); // [2]
 * ```
 */
export function pathMedians(paths: SamplePaths): number[] {
  const { horizon, paths: n, values } = paths;
  const f = Math.floor((n - 1) * 0.5);
  const c = Math.min(f + 1, n - 1);
  const ks = Int32Array.from(f === c ? [f] : [f, c]);
  const frac = (n - 1) * 0.5 - f;
  const cols = transposed(values, n, horizon);
  const out: number[] = [];
  for (let h = 0; h < horizon; h++) {
    const col = cols.subarray(h * n, (h + 1) * n);
    if (n > 1) selectRanks(col, ks);
    out.push(col[f] + frac * (col[c] - col[f]));
  }
  return out;
}
