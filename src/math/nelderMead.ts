/**
 * Derivative-free minimisation by the Nelder-Mead simplex method, following
 * the algorithm of R's `optim(method = "Nelder-Mead")` (Nash's `nmmin`):
 * reflection 1, contraction 0.5, expansion 2, initial step 10% of the largest
 * absolute start value, relative convergence tolerance `reltol`. Following
 * R step for step lets carecast's maximum-likelihood fits land where R's do
 * on the flat likelihood surfaces of short series.
 *
 * @module
 */

/** Options for {@link nelderMead}. */
export interface NelderMeadOptions {
  /** Relative convergence tolerance (R: `reltol`, default sqrt(machine epsilon)). */
  readonly reltol?: number;
  /** Absolute tolerance on the function value (R: `abstol`, default -Infinity). */
  readonly abstol?: number;
  /** Maximum number of function evaluations (R: `maxit`, default 500). */
  readonly maxit?: number;
}

/** The result of {@link nelderMead}. */
export interface NelderMeadResult {
  /** The best point found. */
  readonly par: number[];
  /** The function value there. */
  readonly value: number;
  /** Function evaluations used. */
  readonly evaluations: number;
  /** `true` when the simplex converged before `maxit`. */
  readonly converged: boolean;
}

const BIG = 1.0e35;

/**
 * Minimise `fn` from `start` by Nelder-Mead. Non-finite function values are
 * treated as a very large value, so an objective can return `Infinity`
 * outside its feasible region.
 *
 * @param fn - the objective
 * @param start - starting point (length >= 1)
 * @param options - tolerances and evaluation budget
 * @returns the best point, its value, and convergence information
 * @throws RangeError when `start` is empty
 * @example
 * ```ts
 * const r = nelderMead(([x, y]) => (x - 1) ** 2 + (y + 2) ** 2, [0, 0], { maxit: 1000 });
 * // r.par ≈ [1, -2]
 * ```
 */
export function nelderMead(
  fn: (x: readonly number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const n = start.length;
  if (n < 1) throw new RangeError('nelderMead needs at least one parameter');
  const reltol = options.reltol ?? 1.490116119384765625e-8;
  const abstol = options.abstol ?? -Infinity;
  const maxit = options.maxit ?? 500;
  const alpha = 1;
  const bet = 0.5;
  const gamm = 2;
  const f = (x: readonly number[]): number => {
    const v = fn(x);
    return Number.isFinite(v) ? v : BIG;
  };
  const n1 = n + 1;
  const C = n + 2;
  // P[i][j]: i in 0..n (row n holds function values), j in 0..C-1 (vertices; column C-1 is the centroid)
  const P: number[][] = Array.from({ length: n1 }, () => new Array<number>(C).fill(0));
  const bvec = start.slice();
  let fv = f(bvec);
  let funcount = 1;
  const convtol = reltol * (Math.abs(fv) + reltol);
  P[n1 - 1][0] = fv;
  for (let i = 0; i < n; i++) P[i][0] = bvec[i];
  let L = 1;
  let size = 0;
  let step = 0;
  for (let i = 0; i < n; i++) if (0.1 * Math.abs(bvec[i]) > step) step = 0.1 * Math.abs(bvec[i]);
  if (step === 0) step = 0.1;
  for (let j = 2; j <= n1; j++) {
    for (let i = 0; i < n; i++) P[i][j - 1] = bvec[i];
    let trystep = step;
    while (P[j - 2][j - 1] === bvec[j - 2]) {
      P[j - 2][j - 1] = bvec[j - 2] + trystep;
      trystep *= 10;
    }
    size += trystep;
  }
  let oldsize = size;
  let calcvert = true;
  let converged = false;
  for (;;) {
    if (calcvert) {
      for (let j = 0; j < n1; j++) {
        if (j + 1 !== L) {
          for (let i = 0; i < n; i++) bvec[i] = P[i][j];
          fv = f(bvec);
          funcount++;
          P[n1 - 1][j] = fv;
        }
      }
      calcvert = false;
    }
    let VL = P[n1 - 1][L - 1];
    let VH = VL;
    let H = L;
    for (let j = 1; j <= n1; j++) {
      if (j !== L) {
        const fj = P[n1 - 1][j - 1];
        if (fj < VL) {
          L = j;
          VL = fj;
        }
        if (fj > VH) {
          H = j;
          VH = fj;
        }
      }
    }
    if (VH <= VL + convtol || VL <= abstol) {
      converged = true;
      break;
    }
    for (let i = 0; i < n; i++) {
      let temp = -P[i][H - 1];
      for (let j = 0; j < n1; j++) temp += P[i][j];
      P[i][C - 1] = temp / n;
    }
    for (let i = 0; i < n; i++) bvec[i] = (1 + alpha) * P[i][C - 1] - alpha * P[i][H - 1];
    fv = f(bvec);
    funcount++;
    const VR = fv;
    if (VR < VL) {
      P[n1 - 1][C - 1] = fv;
      for (let i = 0; i < n; i++) {
        const e = gamm * bvec[i] + (1 - gamm) * P[i][C - 1];
        P[i][C - 1] = bvec[i];
        bvec[i] = e;
      }
      fv = f(bvec);
      funcount++;
      if (fv < VR) {
        for (let i = 0; i < n; i++) P[i][H - 1] = bvec[i];
        P[n1 - 1][H - 1] = fv;
      } else {
        for (let i = 0; i < n; i++) P[i][H - 1] = P[i][C - 1];
        P[n1 - 1][H - 1] = VR;
      }
    } else {
      if (VR < VH) {
        for (let i = 0; i < n; i++) P[i][H - 1] = bvec[i];
        P[n1 - 1][H - 1] = VR;
      }
      for (let i = 0; i < n; i++) bvec[i] = (1 - bet) * P[i][H - 1] + bet * P[i][C - 1];
      fv = f(bvec);
      funcount++;
      if (fv < P[n1 - 1][H - 1]) {
        for (let i = 0; i < n; i++) P[i][H - 1] = bvec[i];
        P[n1 - 1][H - 1] = fv;
      } else if (VR >= VH) {
        calcvert = true;
        size = 0;
        for (let j = 0; j < n1; j++) {
          if (j + 1 !== L) {
            for (let i = 0; i < n; i++) {
              P[i][j] = bet * (P[i][j] - P[i][L - 1]) + P[i][L - 1];
              size += Math.abs(P[i][j] - P[i][L - 1]);
            }
          }
        }
        if (size < oldsize) oldsize = size;
        else break; // simplex cannot shrink further
      }
    }
    if (funcount > maxit) break;
  }
  const par: number[] = [];
  for (let i = 0; i < n; i++) par.push(P[i][L - 1]);
  return { par, value: P[n1 - 1][L - 1], evaluations: funcount, converged };
}
