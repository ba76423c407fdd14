/**
 * A panel of every English local authority's annual series, put together
 * from the DfE sources carecast reads: the older SFR local authority tables
 * (`la_cla_31_march_YYYY.csv`, 2011-2017) and the Explore Education
 * Statistics file (`cla_number_and_rate_per_10k_children_*.csv`, 2019 on).
 *
 * ## Joining the sources
 *
 * Each SFR authority is matched to an EES authority on the ONS code first
 * (`E10000007`), then on the three-digit DfE code (`830`), then on the
 * name (case and punctuation ignored). The DfE code catches authorities
 * whose ONS code changed without a change of boundary (Gateshead,
 * Northumberland and Buckinghamshire have new ONS codes in the EES file).
 * Names and codes in the panel are the EES file's (the later source).
 *
 * Authorities created or abolished by reorganisations do not line up and
 * are kept with the years they have, each listed in {@link DfePanel.notes}:
 *
 * - 1 April 2019: Bournemouth (837), Poole (836) and Christchurch (part of
 *   the Dorset county, 835) became Bournemouth, Christchurch and Poole
 *   (839); the rest of the county became the Dorset unitary authority
 *   (838). The old authorities have 2011-2019, the new ones 2020-2021.
 *   Two authorities are then called Dorset; the panel names them
 *   `Dorset (835)` and `Dorset (838)`.
 * - 1 April 2021: Northamptonshire (928) was split into North (940) and
 *   West (941) Northamptonshire. 31 March 2021 is still Northamptonshire, so
 *   the new authorities have no value in these sources and are left out.
 *
 * ## Gaps
 *
 * Years between the first and last source year that no source covers (2018
 * in the project's data) are reported in {@link DfePanel.missingYears} and
 * left out of the series: nothing is interpolated here. {@link forecast}
 * fills interior gaps by straight-line interpolation, and says so.
 *
 * @module
 */
import { basename } from 'node:path';
import { CarecastInputError, type InputProblem } from './errors.js';
import { readDfeEes, type DfeEesTable } from './loaders/dfeEes.js';
import { loadSfrFolder } from './loaders/dfeFiles.js';
import { type SfrPanel } from './loaders/sfr.js';
import { loadText, normaliseName } from './loaders/tidy.js';
import { MEASURES, type AnnualPoint, type AnnualSeries, type Area, type Provenance } from './schemas.js';

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

/** The series the panel holds for one local authority. */
export interface DfePanelSeries {
  /** Children looked after at 31 March (SFR and EES years). */
  readonly childrenInCare: AnnualSeries;
  /** Children starting to be looked after during the year (EES years only; the SFR tables do not have it). */
  readonly started?: AnnualSeries;
  /** Children ceasing to be looked after during the year (EES years only). */
  readonly ceased?: AnnualSeries;
  /** The 0-17 population estimate as published (EES years only). */
  readonly population?: AnnualSeries;
}

/** Every local authority's series from the DfE sources, joined. */
export interface DfePanel {
  /** The local authorities, sorted by name: panel name, latest ONS code, DfE code. */
  readonly areas: Area[];
  /** Each authority's series, keyed by its panel name (the `name` of its entry in {@link DfePanel.areas}). */
  readonly series: Map<string, DfePanelSeries>;
  /** The years the sources cover, ascending. */
  readonly years: number[];
  /** Years between the first and last source year that no source covers (e.g. 2018). */
  readonly missingYears: number[];
  /** How the sources were joined: code changes, authorities in one source only, left out or renamed, gaps. */
  readonly notes: string[];
}

/** Options for {@link dfePanelFrom}. */
export interface DfePanelOptions {
  /**
   * When the SFR tables and the EES file give different values for the same
   * authority and year: throw (default), or keep the SFR (`'first'`) or EES
   * (`'last'`) value. The project's sources do not overlap in years.
   */
  readonly prefer?: 'first' | 'last';
}

/** Where {@link loadDfePanel} finds the files. */
export interface DfePanelFiles extends DfePanelOptions {
  /** The folder holding `la_cla_31_march_YYYY.csv` (e.g. `data/dfe/sfr_la_cla_2011_2017`). */
  readonly sfrDir: string;
  /** The EES file `cla_number_and_rate_per_10k_children_*.csv`. */
  readonly eesFile: string;
}

/** Known reorganisations: the DfE codes involved and what happened. */
const REORGANISATIONS: readonly { readonly codes: readonly string[]; readonly text: string }[] = [
  {
    codes: ['835', '836', '837', '838', '839'],
    text:
      '1 April 2019: Bournemouth (837), Poole (836) and Christchurch (part of the Dorset county, 835) became Bournemouth, Christchurch and Poole (839); ' +
      'the rest of the county became the Dorset unitary authority (838). Figures at 31 March 2019 are for the old authorities and from 2020 for the new ones, ' +
      'so neither has a continuous series across the change.',
  },
  {
    codes: ['928', '940', '941'],
    text:
      '1 April 2021: Northamptonshire (928) was split into North Northamptonshire (940) and West Northamptonshire (941). ' +
      '31 March 2021 is still Northamptonshire, so the new authorities have no figures in these sources.',
  },
];

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

/** One authority as found in the sources, before merging. */
interface Candidate {
  name: string;
  code?: string;
  oldCode?: string;
  sfr?: number;
  ees?: number;
  match?: 'ONS code' | 'DfE code' | 'name';
  sfrCode?: string;
  sfrName?: string;
}

function label(c: { name: string; code?: string; oldCode?: string }): string {
  const codes = [c.oldCode, c.code].filter((x) => x !== undefined && x !== '').join(', ');
  return codes ? `${c.name} (${codes})` : c.name;
}

function yearRanges(years: readonly number[]): string {
  const ys = [...years].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < ys.length; i++) {
    let j = i;
    while (j + 1 < ys.length && ys[j + 1] === ys[j] + 1) j++;
    out.push(i === j ? String(ys[i]) : `${ys[i]}-${ys[j]}`);
    i = j;
  }
  return out.join(', ');
}

function series(measure: string, kind: AnnualSeries['kind'], area: string, points: AnnualPoint[]): AnnualSeries {
  return { frequency: 'annual', measure, kind, unit: 'children', breakdown: {}, area, points };
}

/**
 * Join an SFR panel and an EES table into one panel of local authorities
 * (England and the regions are left out). Pure: no file access; see
 * {@link loadDfePanel} to read the files.
 *
 * Authorities are matched on ONS code, then DfE code, then name; those in
 * one source only (created or abolished by a reorganisation) keep the years
 * they have, and those with no published value at all are left out; every
 * such case is listed in the notes. Children in care comes from both
 * sources, merged by {@link mergeAnnualSeries}; starters, leavers and the
 * 0-17 population come from the EES file only. Every point keeps its file,
 * line and column. Suppressed values (`c`, `x`, `z`) stay `null` with their
 * marker.
 *
 * @param sfrPanel - the SFR tables, from {@link readSfrFiles} or {@link loadSfrFolder}
 * @param eesTable - the EES file, from {@link readDfeEes}
 * @param options - which source wins where both give a year (by default, disagreement throws)
 * @returns the panel: authorities, their series, the years covered, the missing years and notes
 * @throws `CarecastInputError` when the two sources give different children-in-care values for the same authority and year and `options.prefer` is not set
 * @example
 * ```ts
 * const panel = dfePanelFrom(readSfrFiles(files), readDfeEes(text, 'cla_number_and_rate_per_10k_children_2019_2021.csv'));
 * panel.series.get('Derby')?.childrenInCare.points.at(-1)?.value; // 642 (2021)
 * panel.missingYears; // [2018]
 * ```
 */
export function dfePanelFrom(sfrPanel: SfrPanel, eesTable: DfeEesTable, options: DfePanelOptions = {}): DfePanel {
  // Rows by area, once.
  const sfrRows = new Map<number, SfrPanel['rows'][number][]>();
  for (const r of sfrPanel.rows) {
    const list = sfrRows.get(r.areaIndex);
    if (list) list.push(r);
    else sfrRows.set(r.areaIndex, [r]);
  }
  const eesRows = new Map<number, DfeEesTable['rows'][number][]>();
  for (const r of eesTable.rows) {
    const list = eesRows.get(r.areaIndex);
    if (list) list.push(r);
    else eesRows.set(r.areaIndex, [r]);
  }

  // Match SFR authorities to EES authorities: ONS code, then DfE code, then name.
  const eesLas = eesTable.areas.map((a, i) => ({ a, i })).filter((x) => x.a.level === 'local_authority');
  const taken = new Set<number>();
  const pick = (test: (a: Area) => boolean): number | undefined => {
    const hits = eesLas.filter((x) => !taken.has(x.i) && test(x.a));
    return hits.length === 1 ? hits[0].i : undefined;
  };
  const candidates: Candidate[] = [];
  sfrPanel.areas.forEach((a, si) => {
    if (a.level !== 'local_authority') return;
    let ei: number | undefined;
    let match: Candidate['match'];
    if (a.code) {
      ei = pick((e) => e.code !== undefined && e.code.toUpperCase() === a.code!.toUpperCase());
      if (ei !== undefined) match = 'ONS code';
    }
    if (ei === undefined && a.oldCode) {
      ei = pick((e) => e.oldCode !== undefined && e.oldCode === a.oldCode);
      if (ei !== undefined) match = 'DfE code';
    }
    if (ei === undefined) {
      ei = pick((e) => normaliseName(e.name) === normaliseName(a.name));
      if (ei !== undefined) match = 'name';
    }
    if (ei !== undefined) taken.add(ei);
    const e = ei !== undefined ? eesTable.areas[ei] : undefined;
    const c: Candidate = { name: e?.name ?? a.name, sfr: si, sfrCode: a.code, sfrName: a.name };
    const code = e?.code ?? a.code;
    const oldCode = e?.oldCode ?? a.oldCode;
    if (code) c.code = code;
    if (oldCode) c.oldCode = oldCode;
    if (ei !== undefined) {
      c.ees = ei;
      c.match = match;
    }
    candidates.push(c);
  });
  for (const { a, i } of eesLas) {
    if (taken.has(i)) continue;
    const c: Candidate = { name: a.name, ees: i };
    if (a.code) c.code = a.code;
    if (a.oldCode) c.oldCode = a.oldCode;
    candidates.push(c);
  }

  // Build each authority's series (under its published name for now).
  const sfrSource = sfrPanel.files.length > 0 ? `SFR local authority tables (${sfrPanel.files.map((f) => f.source).join(', ')})` : 'SFR local authority tables';
  interface Built {
    c: Candidate;
    cicParts: AnnualSeries[];
    started: AnnualPoint[];
    ceased: AnnualPoint[];
    population: AnnualPoint[];
  }
  const built: Built[] = candidates.map((c) => {
    const cicParts: AnnualSeries[] = [];
    if (c.sfr !== undefined) {
      const rows = [...(sfrRows.get(c.sfr) ?? [])].sort((x, y) => x.year - y.year);
      const pts: AnnualPoint[] = [];
      for (const r of rows) {
        const cell = r.cells.CLA_Mar;
        if (!cell) continue;
        const p: AnnualPoint = { year: r.year, value: cell.value, provenance: { source: r.source, line: r.line, cell: `CLA_Mar${r.year}` } };
        if (cell.suppressed) p.suppressed = { ...cell.suppressed };
        pts.push(p);
      }
      cicParts.push(series(MEASURES.childrenInCare, 'snapshot', c.name, pts));
    }
    const started: AnnualPoint[] = [];
    const ceased: AnnualPoint[] = [];
    const population: AnnualPoint[] = [];
    if (c.ees !== undefined) {
      const rows = [...(eesRows.get(c.ees) ?? [])].filter((r) => Object.keys(r.measure.breakdown).length === 0).sort((x, y) => x.year - y.year || x.line - y.line);
      const cic: AnnualPoint[] = [];
      const toPoint = (year: number, parsed: { value: number | null; suppressed?: { marker: string; upper?: number } }, line: number, cell: string): AnnualPoint => {
        const p: AnnualPoint = { year, value: parsed.value, provenance: { source: eesTable.source, line, cell } };
        if (parsed.suppressed) p.suppressed = { ...parsed.suppressed };
        return p;
      };
      for (const r of rows) {
        if (r.measure.measure === MEASURES.childrenInCare) cic.push(toPoint(r.year, r.number, r.line, 'number'));
        else if (r.measure.measure === MEASURES.started) started.push(toPoint(r.year, r.number, r.line, 'number'));
        else if (r.measure.measure === MEASURES.ceased) ceased.push(toPoint(r.year, r.number, r.line, 'number'));
      }
      // Population: from the children-in-care row of each year, else any row of the year.
      for (const year of [...new Set(rows.map((r) => r.year))]) {
        const ofYear = rows.filter((r) => r.year === year);
        const row = ofYear.find((r) => r.measure.measure === MEASURES.childrenInCare && r.population) ?? ofYear.find((r) => r.population);
        if (row?.population) population.push(toPoint(year, row.population, row.line, 'population_estimate'));
      }
      cicParts.push(series(MEASURES.childrenInCare, 'snapshot', c.name, cic));
    }
    return { c, cicParts, started, ceased, population };
  });

  const notes: string[] = [];
  const sfrLaCount = sfrPanel.areas.filter((a) => a.level === 'local_authority').length;
  notes.push(
    `Sources: ${sfrSource}, ${sfrPanel.years.length > 0 ? yearRanges(sfrPanel.years) : 'no years'}, ${sfrLaCount} local authorities; ` +
      `DfE Explore Education Statistics file ${eesTable.source}, ${eesTable.years.length > 0 ? yearRanges(eesTable.years) : 'no years'}, ${eesLas.length} local authorities. ` +
      'Names and codes are the EES file\u2019s where an authority is in both. England and the regions are left out.',
  );
  notes.push('children_in_care comes from both sources (at 31 March); started, ceased (during the year to 31 March) and population_0_17 (as published) come from the EES file only.');

  // Years covered and gaps.
  const years = [...new Set([...sfrPanel.years, ...eesTable.years])].sort((a, b) => a - b);
  const missingYears: number[] = [];
  for (let y = years[0]; years.length > 0 && y <= years[years.length - 1]; y++) if (!years.includes(y)) missingYears.push(y);
  if (missingYears.length > 0) {
    notes.push(
      `No source covers ${yearRanges(missingYears)}: ${missingYears.length === 1 ? 'that year is' : 'those years are'} missing from every series, not interpolated ` +
        '(forecast() fills interior gaps by straight-line interpolation and reports it).',
    );
  }

  // Matches other than on the ONS code.
  const byMatch = (m: Candidate['match']) => candidates.filter((c) => c.match === m);
  const both = candidates.filter((c) => c.sfr !== undefined && c.ees !== undefined);
  notes.push(`${both.length} authorities are in both sources: ${byMatch('ONS code').length} matched on the ONS code, ${byMatch('DfE code').length} on the DfE code, ${byMatch('name').length} on the name.`);
  for (const c of byMatch('DfE code')) {
    notes.push(`${label(c)}: ONS code ${c.sfrCode ?? 'none'} in the SFR tables, ${c.code ?? 'none'} in the EES file; matched on the DfE code ${c.oldCode}.`);
  }
  for (const c of byMatch('name')) {
    const sfrArea = sfrPanel.areas[c.sfr!];
    notes.push(`${label(c)}: matched on the name (${label({ name: sfrArea.name, code: sfrArea.code, oldCode: sfrArea.oldCode })} in the SFR tables).`);
  }

  // Keep authorities with at least one published children-in-care value.
  const kept: Built[] = [];
  const dropped: Built[] = [];
  for (const b of built) {
    const hasValue = b.cicParts.some((s) => s.points.some((p) => p.value !== null));
    (hasValue ? kept : dropped).push(b);
  }
  const involved = new Set<string>();
  const valueYears = (b: Built) => [...new Set(b.cicParts.flatMap((s) => s.points.filter((p) => p.value !== null).map((p) => p.year)))];
  for (const b of kept) {
    const c = b.c;
    if (c.sfr !== undefined && c.ees !== undefined) continue;
    notes.push(`${label(c)}: in the ${c.sfr !== undefined ? 'SFR tables' : 'EES file'} only; children in care for ${yearRanges(valueYears(b))}.`);
    if (c.oldCode) involved.add(c.oldCode);
  }
  for (const b of dropped) {
    const markers = [...new Set(b.cicParts.flatMap((s) => s.points.map((p) => p.suppressed?.marker ?? 'missing')))];
    notes.push(
      `${label(b.c)}: no published children-in-care value in either source${markers.length > 0 ? ` (${markers.map((m) => (m === 'missing' ? m : `"${m}"`)).join(', ')} every year)` : ''}; left out.`,
    );
    if (b.c.oldCode) involved.add(b.c.oldCode);
  }
  // Authorities in both sources whose later (or earlier) years are "not applicable".
  for (const b of kept) {
    const zYears = b.cicParts.flatMap((s) => s.points.filter((p) => p.value === null && p.suppressed?.marker === 'z').map((p) => p.year));
    if (zYears.length === 0 || b.c.sfr === undefined || b.c.ees === undefined) continue;
    notes.push(`${label(b.c)}: children in care "z" (not applicable: the authority did not exist) for ${yearRanges(zYears)}; values for ${yearRanges(valueYears(b))}.`);
    if (b.c.oldCode) involved.add(b.c.oldCode);
  }
  for (const r of REORGANISATIONS) if (r.codes.some((code) => involved.has(code))) notes.push(r.text);

  // Unique names: authorities sharing a name get their DfE code added.
  const counts = new Map<string, number>();
  for (const b of kept) counts.set(normaliseName(b.c.name), (counts.get(normaliseName(b.c.name)) ?? 0) + 1);
  const renamed: string[] = [];
  for (const b of kept) {
    if ((counts.get(normaliseName(b.c.name)) ?? 0) < 2) continue;
    const published = b.c.name;
    b.c.name = `${published} (${b.c.oldCode ?? b.c.code ?? '?'})`;
    renamed.push(`"${b.c.name}"`);
  }
  if (renamed.length > 0) notes.push(`Authorities sharing a name are told apart by their DfE code: ${renamed.join(', ')}.`);

  kept.sort((x, y) => x.c.name.localeCompare(y.c.name, 'en'));
  const areas: Area[] = [];
  const map = new Map<string, DfePanelSeries>();
  const problems: InputProblem[] = [];
  for (const b of kept) {
    const c = b.c;
    const area: Area = { name: c.name, level: 'local_authority' };
    if (c.code) area.code = c.code;
    if (c.oldCode) area.oldCode = c.oldCode;
    let childrenInCare: AnnualSeries;
    try {
      childrenInCare = mergeAnnualSeries(b.cicParts, { area: c.name, ...(options.prefer ? { prefer: options.prefer } : {}) });
    } catch (e) {
      if (!(e instanceof CarecastInputError)) throw e;
      problems.push(...e.problems);
      continue;
    }
    const entry: { -readonly [K in keyof DfePanelSeries]: DfePanelSeries[K] } = { childrenInCare };
    if (b.started.length > 0) entry.started = series(MEASURES.started, 'flow', c.name, b.started);
    if (b.ceased.length > 0) entry.ceased = series(MEASURES.ceased, 'flow', c.name, b.ceased);
    if (b.population.length > 0) entry.population = series(MEASURES.population, 'snapshot', c.name, b.population);
    areas.push(area);
    map.set(c.name, entry);
  }
  if (problems.length > 0) throw new CarecastInputError(problems);
  return { areas, series: map, years, missingYears, notes };
}

/**
 * Read the SFR folder and the EES file and join them into one panel of
 * local authorities; see {@link dfePanelFrom} for how (this is the version
 * that reads files).
 *
 * @param files - the SFR folder, the EES file, and which source wins where both give a year
 * @returns the panel: authorities, their series, years covered, missing years (2018 for the project's data) and notes
 * @throws `CarecastInputError` when a file or the folder cannot be read, a file is invalid, or the sources disagree (see {@link dfePanelFrom})
 * @example
 * ```ts
 * const panel = loadDfePanel({
 *   sfrDir: 'data/dfe/sfr_la_cla_2011_2017',
 *   eesFile: 'data/dfe/cla_number_and_rate_per_10k_children_2019_2021.csv',
 * });
 * panel.series.get('Derbyshire')?.childrenInCare.points.map((p) => p.value);
 * // [660, 700, 664, 628, 603, 585, 630, 801, 862, 899]: 2011-2017, 2019-2021
 * ```
 */
export function loadDfePanel(files: DfePanelFiles): DfePanel {
  const sfr = loadSfrFolder(files.sfrDir);
  const ees = readDfeEes(loadText(files.eesFile), basename(files.eesFile));
  return dfePanelFrom(sfr, ees, files.prefer ? { prefer: files.prefer } : {});
}
