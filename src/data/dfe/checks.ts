/**
 * Checks of the DfE cells against each other, as documented for the raw
 * files: run by the build script before the panel is bundled (the bundle
 * records the results), and by the tests on the fixtures' cells.
 *
 * - The Placement Total of the characteristics file equals "children looked
 *   after at 31 March" in the number-and-rate file, for every area and year
 *   in both, suppression markers included.
 * - Every other group Total of the characteristics file (provider, age,
 *   UASC) equals the Placement Total, except City of London's 2024 provider
 *   Total, published as `c`.
 * - The starters file's age and UASC Totals equal the starters of the
 *   number-and-rate file; the leavers file's reason and age Totals equal its
 *   leavers.
 * - The England time series equals the England rows of the number-and-rate
 *   files in the years both have.
 *
 * @module
 */
import { areaId } from './areas.js';
import type { DfeCell, DfeCellSet } from './cells.js';

/** The outcome of one check. */
export interface DfeCheck {
  /** What was checked. */
  readonly name: string;
  /** How many pairs of cells were compared. */
  readonly compared: number;
  /** The pairs that differ and are not documented exceptions (empty when the check passes). */
  readonly mismatches: readonly string[];
  /** Documented exceptions found, as expected. */
  readonly exceptions: readonly string[];
}

/** Differences documented in the data README, which the checks expect. */
const DOCUMENTED: readonly { readonly id: string; readonly year: number; readonly key: string }[] = [{ id: 'la:201', year: 2024, key: 'children_in_care|dfeProvider=total' }];

function shown(c: DfeCell): string {
  return c.value.value !== null ? String(c.value.value) : `"${c.value.suppressed?.marker ?? ''}"`;
}

function same(a: DfeCell, b: DfeCell): boolean {
  return a.value.value === b.value.value && (a.value.suppressed?.marker ?? '') === (b.value.suppressed?.marker ?? '');
}

/**
 * Run the documented cross-file checks on a set of cells.
 *
 * @param set - the cells, from `dfeCellsFrom`
 * @returns one result per check
 * @example
 * ```ts
 * dfeCellChecks(dfeCellsFrom(readDfePanelFolder('data/dfe').sources)).every((c) => c.mismatches.length === 0); // true
 * ```
 */
export function dfeCellChecks(set: DfeCellSet): DfeCheck[] {
  const kind = new Map(set.sources.map((s) => [s.name, s.kind]));
  const index = new Map<string, DfeCell>();
  for (const c of set.cells) index.set(`${kind.get(c.source)}|${areaId(c.area)}|${c.year}|${c.key}`, c);
  const get = (k: string, id: string, year: number, key: string) => index.get(`${k}|${id}|${year}|${key}`);
  const out: DfeCheck[] = [];
  const compare = (name: string, pairs: [DfeCell, DfeCell | undefined, string][]) => {
    const mismatches: string[] = [];
    const exceptions: string[] = [];
    let compared = 0;
    for (const [a, b, bKey] of pairs) {
      if (!b) continue;
      compared++;
      if (same(a, b)) continue;
      const text = `${a.area.name} ${a.year} ${a.key} ${shown(a)} (${a.source} line ${a.line}) against ${bKey} ${shown(b)} (${b.source} line ${b.line})`;
      if (DOCUMENTED.some((d) => d.id === areaId(a.area) && d.year === a.year && d.key === a.key)) exceptions.push(text);
      else mismatches.push(text);
    }
    out.push({ name, compared, mismatches, exceptions });
  };
  const cells = (k: string, key: string) => set.cells.filter((c) => kind.get(c.source) === k && c.key === key);
  compare(
    'Placement Total = children looked after at 31 March (number-and-rate file)',
    cells('characteristics', 'children_in_care|dfePlacement=total').map((c) => [c, get('numberAndRate', areaId(c.area), c.year, 'children_in_care'), 'children_in_care']),
  );
  for (const dim of ['dfeProvider', 'age', 'uasc']) {
    compare(
      `${dim} Total = Placement Total (characteristics file)`,
      cells('characteristics', `children_in_care|${dim}=total`).map((c) => [c, get('characteristics', areaId(c.area), c.year, 'children_in_care|dfePlacement=total'), 'Placement Total']),
    );
  }
  for (const [k, measure, dims] of [
    ['started', 'started', ['age', 'uasc']],
    ['ceased', 'ceased', ['reason', 'ceasedAge']],
  ] as const) {
    for (const dim of dims) {
      compare(
        `${measure} ${dim} Total = ${measure} (number-and-rate file)`,
        cells(k, `${measure}|${dim}=total`).map((c) => [c, get('numberAndRate', areaId(c.area), c.year, measure), measure]),
      );
    }
  }
  for (const key of ['children_in_care', 'started', 'ceased']) {
    compare(
      `England time series ${key} = number-and-rate England`,
      cells('timeSeries', key).map((c) => [c, get('numberAndRate', 'national', c.year, key), key]),
    );
  }
  return out;
}
