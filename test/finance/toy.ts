/** A 2-path, 2-year toy projection for hand calculations (not a test file). */
import type { PlacementPaths } from '../../src/finance/placements.js';

const sp = (rows: number[][]) => ({ paths: rows.length, horizon: rows[0].length, values: Float64Array.from(rows.flat()) });

/**
 * Start 2025 with 10 children (a = 6, b = 4). Projected 2026, 2027:
 * path 0: a 8, 10; b 4, 6; stock 12, 16; started 5, 8; ceased 3, 4.
 * path 1: a 6, 4;  b 6, 8; stock 12, 12; started 4, 3; ceased 2, 3.
 */
export function toyPaths(): PlacementPaths {
  return {
    area: 'Toy',
    years: [2026, 2027],
    dimension: 'finance',
    startYear: 2025,
    openingStock: 10,
    stock: sp([[12, 16], [12, 12]]),
    started: sp([[5, 8], [4, 3]]),
    ceased: sp([[3, 4], [2, 3]]),
    groups: ['a', 'b'],
    byGroup: { a: sp([[8, 10], [6, 4]]), b: sp([[4, 6], [6, 8]]) },
    opening: { a: 6, b: 4 },
  };
}

/** Value at path p, step h. */
export const at = (s: { horizon: number; values: ArrayLike<number> } | undefined, p: number, h: number): number => {
  if (!s) throw new Error('no such paths');
  return s.values[p * s.horizon + h];
};
