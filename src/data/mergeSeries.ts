/**
 * Combining one measure of one area from several sources into one series,
 * each point keeping its own provenance, with conflicts reported.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from './errors.js';
import { normaliseName } from './loaders/csvText.js';
import type { AnnualPoint, AnnualSeries, Provenance } from './schemas.js';

/** Options for {@link mergeAnnualSeries}. */
export interface MergeAnnualSeriesOptions {
  /**
   * What to do when two parts give different values for the same year:
   * throw (the default), or keep the value of the `'first'` or `'last'` part
   * that gives one (in the order of `parts`). The point kept records the
   * value it overrode in its provenance note.
   */
  readonly prefer?: 'first' | 'last';
  /**
   * The area name of the merged series. Without it every part must name the
   * same area (case and punctuation ignored) and the first part's name is
   * used; with it, the parts' own names are not compared (for sources that
   * spell a name differently, such as "Kingston Upon Hull" and "Kingston
   * upon Hull, City of").
   */
  readonly area?: string;
}

function where(p: AnnualPoint, partIndex: number): string {
  const pr = p.provenance;
  if (!pr) return `part ${partIndex + 1}`;
  return `${pr.source}${pr.line !== undefined ? ` line ${pr.line}` : ''}${pr.cell ? ` [${pr.cell}]` : ''}`;
}

function shown(p: AnnualPoint): string {
  if (p.value !== null) return String(p.value);
  return p.suppressed ? `"${p.suppressed.marker}"` : 'missing';
}

function copyPoint(p: AnnualPoint): AnnualPoint {
  const q: AnnualPoint = { year: p.year, value: p.value };
  if (p.suppressed) q.suppressed = { ...p.suppressed };
  if (p.provenance) q.provenance = { ...p.provenance };
  return q;
}

function withNote(p: AnnualPoint, note: string): AnnualPoint {
  const prov: Provenance = p.provenance ? { ...p.provenance } : { source: 'merged' };
  prov.note = prov.note ? `${prov.note}; ${note}` : note;
  return { ...p, provenance: prov };
}

/**
 * Combine one measure for one area from several sources (for example the
 * SFR years and the EES years of an authority's children in care) into one
 * series sorted by year.
 *
 * Each point keeps its own provenance (file, line, cell). When two parts
 * give the same year:
 *
 * - the same value (or both suppressed with the same marker): the first is
 *   kept, its provenance note naming the other source as agreeing;
 * - a number and a missing or suppressed value: the number is kept (a
 *   published figure fills a gap in another source), unless it exceeds the
 *   suppressed value's known upper bound, which is a conflict;
 * - two different numbers: a conflict;
 * - two different markers: the first is kept (the last with
 *   `prefer: 'last'`), with a note.
 *
 * Conflicts throw, unless `prefer` says which part wins. Years no part gives
 * stay missing: nothing is interpolated.
 *
 * @param parts - the series to merge: the same frequency, measure, kind, unit and breakdown (and area, unless `options.area` is given)
 * @param options - how to settle conflicts, and the merged series' area name
 * @returns a new series holding every year any part gives, sorted by year (the inputs are not changed)
 * @throws `CarecastInputError` when `parts` is empty, the parts describe different measures, kinds, units, breakdowns or areas, or two parts give different values for a year and `prefer` is not set (one problem per conflicting year, naming both sources and lines)
 * @example
 * ```ts
 * const panelSeries = mergeAnnualSeries([sfrChildrenInCare, eesChildrenInCare], { area: 'Derbyshire' });
 * panelSeries.points.map((p) => p.year); // [2011, ..., 2017, 2019, 2020, 2021]: 2018 stays missing
 * ```
 */
export function mergeAnnualSeries(parts: readonly AnnualSeries[], options: MergeAnnualSeriesOptions = {}): AnnualSeries {
  if (parts.length === 0) {
    throw new CarecastInputError([{ source: 'argument', field: 'parts', message: 'no series to merge', fix: 'give at least one series' }]);
  }
  if (options.prefer !== undefined && options.prefer !== 'first' && options.prefer !== 'last') {
    throw new CarecastInputError([
      { source: 'argument', field: 'prefer', message: `unknown prefer ${JSON.stringify(options.prefer)}`, fix: "use 'first', 'last' or leave it out to be told about conflicts" },
    ]);
  }
  const head = parts[0];
  const problems: InputProblem[] = [];
  const describe = (s: AnnualSeries, i: number) => `part ${i + 1} (${s.area}, ${s.points[0]?.provenance?.source ?? 'no provenance'})`;
  parts.forEach((s, i) => {
    if (i === 0) return;
    const diffs: string[] = [];
    if (s.frequency !== head.frequency) diffs.push(`frequency ${s.frequency} vs ${head.frequency}`);
    if (s.measure !== head.measure) diffs.push(`measure ${s.measure} vs ${head.measure}`);
    if (s.kind !== head.kind) diffs.push(`kind ${s.kind} vs ${head.kind}`);
    if (s.unit !== head.unit) diffs.push(`unit ${s.unit} vs ${head.unit}`);
    const bk = (b: AnnualSeries['breakdown']) => JSON.stringify(Object.entries(b ?? {}).sort(([a], [c]) => a.localeCompare(c)));
    if (bk(s.breakdown) !== bk(head.breakdown)) diffs.push(`breakdown ${bk(s.breakdown)} vs ${bk(head.breakdown)}`);
    if (options.area === undefined && normaliseName(s.area) !== normaliseName(head.area)) diffs.push(`area ${JSON.stringify(s.area)} vs ${JSON.stringify(head.area)}`);
    if (diffs.length > 0) {
      problems.push({
        source: 'argument',
        field: 'parts',
        message: `${describe(s, i)} does not describe the same series as ${describe(head, 0)}: ${diffs.join('; ')}`,
        fix: diffs.some((d) => d.startsWith('area')) && diffs.length === 1 ? 'pass options.area to name the merged series when sources spell the area differently' : 'merge only one measure of one area at a time',
      });
    }
  });
  if (problems.length > 0) throw new CarecastInputError(problems);

  const kept = new Map<number, { point: AnnualPoint; part: number }>();
  parts.forEach((s, partIndex) => {
    for (const p of s.points) {
      const prev = kept.get(p.year);
      if (!prev) {
        kept.set(p.year, { point: copyPoint(p), part: partIndex });
        continue;
      }
      const a = prev.point;
      const here = where(p, partIndex);
      const there = where(a, prev.part);
      if (a.value !== null && p.value !== null) {
        if (a.value === p.value) kept.set(p.year, { point: withNote(a, `${here} agrees`), part: prev.part });
        else if (options.prefer === 'first') kept.set(p.year, { point: withNote(a, `kept over ${p.value} in ${here}`), part: prev.part });
        else if (options.prefer === 'last') kept.set(p.year, { point: withNote(copyPoint(p), `kept over ${a.value} in ${there}`), part: partIndex });
        else {
          problems.push({
            source: a.provenance?.source ?? `part ${prev.part + 1}`,
            ...(a.provenance?.line !== undefined ? { row: a.provenance.line } : {}),
            field: head.measure,
            message: `${options.area ?? head.area} ${head.measure} ${p.year}: ${a.value} in ${there} but ${p.value} in ${here}`,
            fix: "correct one of the sources, or pass prefer: 'first' or 'last' to keep one of them",
          });
        }
        continue;
      }
      if (a.value === null && p.value === null) {
        const same = (a.suppressed?.marker ?? '') === (p.suppressed?.marker ?? '');
        if (!same && options.prefer === 'last') kept.set(p.year, { point: withNote(copyPoint(p), `${there} gives ${shown(a)}`), part: partIndex });
        else kept.set(p.year, { point: withNote(a, same ? `${here} agrees` : `${here} gives ${shown(p)}`), part: prev.part });
        continue;
      }
      // One number, one missing or suppressed value: the number fills the gap
      // unless it breaks the suppressed value's bound.
      const [num, nul, numWhere, nulWhere, numPart] = a.value !== null ? [a, p, there, here, prev.part] : [p, a, here, there, partIndex];
      const upper = nul.suppressed?.upper;
      if (upper !== undefined && (num.value as number) > upper) {
        if (options.prefer === 'first') kept.set(p.year, { point: withNote(a, `kept over ${shown(p)} in ${here}`), part: prev.part });
        else if (options.prefer === 'last') kept.set(p.year, { point: withNote(copyPoint(p), `kept over ${shown(a)} in ${there}`), part: partIndex });
        else {
          problems.push({
            source: a.provenance?.source ?? `part ${prev.part + 1}`,
            ...(a.provenance?.line !== undefined ? { row: a.provenance.line } : {}),
            field: head.measure,
            message: `${options.area ?? head.area} ${head.measure} ${p.year}: ${num.value} in ${numWhere} but at most ${upper} (${shown(nul)}) in ${nulWhere}`,
            fix: "correct one of the sources, or pass prefer: 'first' or 'last' to keep one of them",
          });
        }
        continue;
      }
      kept.set(p.year, { point: withNote(copyPoint(num), `${nulWhere} gives ${shown(nul)}`), part: numPart });
    }
  });
  if (problems.length > 0) throw new CarecastInputError(problems);
  const points = [...kept.values()].map((k) => k.point).sort((x, y) => x.year - y.year);
  return {
    frequency: 'annual',
    measure: head.measure,
    kind: head.kind,
    unit: head.unit,
    breakdown: { ...(head.breakdown ?? {}) },
    area: options.area ?? head.area,
    points,
  };
}
