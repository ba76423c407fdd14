/**
 * Small dense matrix helpers for the placement-mix and reconciliation code:
 * row-major `Float64Array` matrices, multiplication, transposition, Cholesky
 * factorisation and solves, and an LU solve with partial pivoting. Sizes
 * here are tiny (a handful of groups), so the algorithms are the textbook
 * ones, written to allocate little.
 *
 * @module
 */

/**
 * A dense matrix stored row by row: element (i, j) is `data[i * cols + j]`.
 */
export interface Matrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** The elements, row after row (length `rows * cols`). */
  readonly data: Float64Array;
}

/**
 * A matrix from nested arrays (one inner array per row).
 *
 * @param rows - the rows, all the same length
 * @returns the matrix
 * @throws RangeError when rows differ in length or a value is not finite
 * @example
 * ```ts
 * const a = matrix([[4, 2], [2, 3]]);
 * a.data; // Float64Array [4, 2, 2, 3]
 * ```
 */
export function matrix(rows: readonly (readonly number[])[]): Matrix {
  const r = rows.length;
  const c = r > 0 ? rows[0].length : 0;
  const data = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    if (rows[i].length !== c) throw new RangeError(`matrix row ${i + 1} has ${rows[i].length} values, row 1 has ${c}`);
    for (let j = 0; j < c; j++) {
      const v = rows[i][j];
      if (!Number.isFinite(v)) throw new RangeError(`matrix element (${i + 1}, ${j + 1}) is not a finite number (${v})`);
      data[i * c + j] = v;
    }
  }
  return { rows: r, cols: c, data };
}

/**
 * A matrix as nested arrays (one inner array per row), e.g. for printing or
 * comparing in tests.
 *
 * @param a - the matrix
 * @returns its rows
 * @example
 * ```ts
 * toRows(identity(2)); // [[1, 0], [0, 1]]
 * ```
 */
export function toRows(a: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.rows; i++) out.push(Array.from(a.data.subarray(i * a.cols, (i + 1) * a.cols)));
  return out;
}

/**
 * The n x n identity matrix.
 *
 * @param n - the size
 * @returns the identity
 * @example
 * ```ts
 * identity(3).data; // [1, 0, 0, 0, 1, 0, 0, 0, 1]
 * ```
 */
export function identity(n: number): Matrix {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return { rows: n, cols: n, data };
}

/**
 * The transpose.
 *
 * @param a - the matrix
 * @returns a' (a new matrix)
 * @example
 * ```ts
 * toRows(transpose(matrix([[1, 2, 3]]))); // [[1], [2], [3]]
 * ```
 */
export function transpose(a: Matrix): Matrix {
  const data = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) data[j * a.rows + i] = a.data[i * a.cols + j];
  return { rows: a.cols, cols: a.rows, data };
}

/**
 * The matrix product a b.
 *
 * @param a - left factor (m x k)
 * @param b - right factor (k x n)
 * @returns a b (m x n)
 * @throws RangeError when the inner dimensions differ
 * @example
 * ```ts
 * toRows(multiply(matrix([[1, 2]]), matrix([[3], [4]]))); // [[11]]
 * ```
 */
export function multiply(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new RangeError(`cannot multiply ${a.rows}x${a.cols} by ${b.rows}x${b.cols}`);
  const m = a.rows;
  const k = a.cols;
  const n = b.cols;
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < k; l++) {
      const x = a.data[i * k + l];
      if (x === 0) continue;
      for (let j = 0; j < n; j++) data[i * n + j] += x * b.data[l * n + j];
    }
  }
  return { rows: m, cols: n, data };
}

/**
 * The product of a matrix and a vector, a x.
 *
 * @param a - the matrix (m x n)
 * @param x - the vector (length n)
 * @param out - where to write the result (length m); allocated when omitted
 * @returns a x
 * @throws RangeError when the lengths do not match
 * @example
 * ```ts
 * multiplyVector(matrix([[1, 2], [3, 4]]), [1, 1]); // Float64Array [3, 7]
 * ```
 */
export function multiplyVector(a: Matrix, x: ArrayLike<number>, out: Float64Array = new Float64Array(a.rows)): Float64Array {
  if (x.length !== a.cols) throw new RangeError(`cannot multiply ${a.rows}x${a.cols} by a vector of length ${x.length}`);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += a.data[i * a.cols + j] * x[j];
    out[i] = s;
  }
  return out;
}

/**
 * The Cholesky factor of a symmetric positive definite matrix: the lower
 * triangular L with L L' = a.
 *
 * @param a - a symmetric positive definite matrix (only its lower triangle is read)
 * @returns L (upper triangle zero)
 * @throws RangeError when a is not square or not positive definite (a pivot is not above `1e-12` times the largest diagonal element)
 * @example
 * ```ts
 * toRows(cholesky(matrix([[4, 2], [2, 3]]))); // [[2, 0], [1, 1.4142]]
 * ```
 */
export function cholesky(a: Matrix): Matrix {
  if (a.rows !== a.cols) throw new RangeError(`Cholesky needs a square matrix, got ${a.rows}x${a.cols}`);
  const n = a.rows;
  const l = new Float64Array(n * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a.data[i * n + i]));
  const tol = 1e-12 * maxDiag;
  for (let j = 0; j < n; j++) {
    let d = a.data[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (!(d > tol)) throw new RangeError(`matrix is not positive definite (pivot ${j + 1} is ${d})`);
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a.data[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return { rows: n, cols: n, data: l };
}

/**
 * Solve a x = b for every column of b, given the Cholesky factor L of a
 * (forward then back substitution).
 *
 * @param l - the Cholesky factor of a, from {@link cholesky}
 * @param b - right-hand sides (n x m)
 * @returns x (n x m)
 * @throws RangeError when the sizes do not match
 * @example
 * ```ts
 * toRows(choleskySolve(cholesky(matrix([[4, 2], [2, 3]])), matrix([[6], [5]]))); // [[1], [1]]
 * ```
 */
export function choleskySolve(l: Matrix, b: Matrix): Matrix {
  const n = l.rows;
  if (b.rows !== n) throw new RangeError(`cannot solve a ${n}x${n} system with ${b.rows} rows on the right`);
  const m = b.cols;
  const x = new Float64Array(b.data);
  for (let c = 0; c < m; c++) {
    for (let i = 0; i < n; i++) {
      let s = x[i * m + c];
      for (let k = 0; k < i; k++) s -= l.data[i * n + k] * x[k * m + c];
      x[i * m + c] = s / l.data[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i * m + c];
      for (let k = i + 1; k < n; k++) s -= l.data[k * n + i] * x[k * m + c];
      x[i * m + c] = s / l.data[i * n + i];
    }
  }
  return { rows: n, cols: m, data: x };
}

/**
 * Solve a x = b for every column of b by LU decomposition with partial
 * (row) pivoting; works for any non-singular square a.
 *
 * @param a - a square matrix (n x n)
 * @param b - right-hand sides (n x m)
 * @returns x (n x m)
 * @throws RangeError when a is not square, the sizes do not match, or a is singular (a pivot below `1e-13` times the largest element)
 * @example
 * ```ts
 * toRows(luSolve(matrix([[0, 1], [1, 0]]), matrix([[2], [3]]))); // [[3], [2]]
 * ```
 */
export function luSolve(a: Matrix, b: Matrix): Matrix {
  if (a.rows !== a.cols) throw new RangeError(`LU needs a square matrix, got ${a.rows}x${a.cols}`);
  const n = a.rows;
  if (b.rows !== n) throw new RangeError(`cannot solve a ${n}x${n} system with ${b.rows} rows on the right`);
  const m = b.cols;
  const lu = new Float64Array(a.data);
  const x = new Float64Array(b.data);
  let scale = 0;
  for (let i = 0; i < lu.length; i++) scale = Math.max(scale, Math.abs(lu[i]));
  const tol = 1e-13 * scale;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]) > Math.abs(lu[p * n + k])) p = i;
    if (!(Math.abs(lu[p * n + k]) > tol)) throw new RangeError(`matrix is singular (no pivot in column ${k + 1})`);
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j];
        lu[k * n + j] = lu[p * n + j];
        lu[p * n + j] = t;
      }
      for (let j = 0; j < m; j++) {
        const t = x[k * m + j];
        x[k * m + j] = x[p * m + j];
        x[p * m + j] = t;
      }
    }
    const piv = lu[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const f = lu[i * n + k] / piv;
      if (f === 0) continue;
      lu[i * n + k] = f;
      for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
      for (let j = 0; j < m; j++) x[i * m + j] -= f * x[k * m + j];
    }
  }
  for (let c = 0; c < m; c++) {
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i * m + c];
      for (let k = i + 1; k < n; k++) s -= lu[i * n + k] * x[k * m + c];
      x[i * m + c] = s / lu[i * n + i];
    }
  }
  return { rows: n, cols: m, data: x };
}

/**
 * The inverse of a non-singular square matrix (LU with partial pivoting).
 *
 * @param a - the matrix
 * @returns a⁻¹
 * @throws RangeError when a is not square or is singular
 * @example
 * ```ts
 * toRows(inverse(matrix([[2, 0], [0, 4]]))); // [[0.5, 0], [0, 0.25]]
 * ```
 */
export function inverse(a: Matrix): Matrix {
  return luSolve(a, identity(a.rows));
}

/**
 * The lower Cholesky factor of a covariance matrix (row-major), with zero
 * rows and columns for variables without variance.
 *
 * @param cov - the covariance
 * @returns L with `L L' = cov` (up to rounding), or `null` when not positive semi-definite
 * @example
 * ```ts
 * choleskyLower([[4, 2], [2, 2]]); // [2, 0, 1, 1]
 * ```
 */
export function choleskyLower(cov: readonly (readonly number[])[]): Float64Array | null {
  const j = cov.length;
  const L = new Float64Array(j * j);
  for (let r = 0; r < j; r++) {
    for (let c = 0; c <= r; c++) {
      let s = cov[r][c];
      for (let k = 0; k < c; k++) s -= L[r * j + k] * L[c * j + k];
      if (r === c) {
        if (s < -1e-12 * Math.max(1, cov[r][r])) return null;
        L[r * j + r] = s > 0 ? Math.sqrt(s) : 0;
      } else L[r * j + c] = L[c * j + c] > 0 ? s / L[c * j + c] : 0;
    }
  }
  return L;
}

