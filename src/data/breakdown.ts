/**
 * Breakdown keys and series look-up.
 *
 * @module
 */
import { CarecastInputError } from './errors.js';
import type { AnnualSeries, Breakdown, Dataset, QuarterlySeries } from './schemas.js';

/**
 * A breakdown as a stable string: `key=value` pairs sorted by key, joined by
 * `;`; the empty string for the total.
 *
 * @param b - the breakdown
 * @returns the key, e.g. `placement=fostering;provider=private`
 * @example
 * ```ts
 * breakdownKey({ provider: 'private', placement: 'fostering' }); // 'placement=fostering;provider=private'
 * ```
 */
export function breakdownKey(b: Breakdown | Readonly<Record<string, string | undefined>>): string {
  return Object.entries(b)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .sort(([a], [c]) => (a < c ? -1 : a > c ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(';');
}

/**
 * Find one annual series in a dataset by measure and breakdown.
 *
 * @param dataset - the dataset
 * @param measure - e.g. `children_in_care`
 * @param breakdown - the exact breakdown (default: the total, `{}`)
 * @returns the series
 * @throws CarecastInputError listing the series available when none matches
 * @example
 * ```ts
 * findSeries(loadSeed('derbyshire').dataset, 'children_in_care', { placement: 'fostering' });
 * ```
 */
export function findSeries(dataset: Dataset, measure: string, breakdown: Breakdown = {}): AnnualSeries {
  const key = breakdownKey(breakdown);
  const hit = dataset.series.find((s): s is AnnualSeries => s.frequency === 'annual' && s.measure === measure && breakdownKey(s.breakdown) === key);
  if (hit) return hit;
  const available = dataset.series
    .filter((s) => s.frequency === 'annual')
    .map((s) => `${s.measure}${breakdownKey(s.breakdown) ? `[${breakdownKey(s.breakdown)}]` : ''}`);
  throw new CarecastInputError([
    {
      source: dataset.name,
      field: 'measure',
      message: `no annual series ${measure}${key ? `[${key}]` : ''} in ${dataset.area.name}`,
      fix: `choose one of: ${[...new Set(available)].slice(0, 30).join(', ')}`,
    },
  ]);
}

/**
 * Find one quarterly series in a dataset by measure and breakdown.
 *
 * @param dataset - the dataset
 * @param measure - e.g. `children_in_care`
 * @param breakdown - the exact breakdown (default: the total)
 * @returns the series
 * @throws CarecastInputError listing the quarterly series available when none matches
 * @example
 * ```ts
 * findQuarterlySeries(loadSeed('derby').dataset, 'children_in_care');
 * ```
 */
export function findQuarterlySeries(dataset: Dataset, measure: string, breakdown: Breakdown = {}): QuarterlySeries {
  const key = breakdownKey(breakdown);
  const hit = dataset.series.find((s): s is QuarterlySeries => s.frequency === 'quarterly' && s.measure === measure && breakdownKey(s.breakdown) === key);
  if (hit) return hit;
  const available = dataset.series.filter((s) => s.frequency === 'quarterly').map((s) => `${s.measure}${breakdownKey(s.breakdown) ? `[${breakdownKey(s.breakdown)}]` : ''}`);
  throw new CarecastInputError([
    { source: dataset.name, field: 'measure', message: `no quarterly series ${measure}${key ? `[${key}]` : ''} in ${dataset.area.name}`, fix: `choose one of: ${[...new Set(available)].slice(0, 30).join(', ')}` },
  ]);
}
