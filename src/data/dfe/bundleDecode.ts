/**
 * Decoding the bundled DfE panel file (format in `bundle.ts`) into the
 * panel's objects, one area at a time, with no derivation: every value,
 * marker, bound and provenance note is read as the build wrote it.
 *
 * @module
 */
import { CarecastInputError } from '../errors.js';
import type { AnnualPoint, AnnualSeries, Provenance, Suppression } from '../schemas.js';
import { NOTE_NUMBER_MARK, NOTE_SEPARATOR, POINT_FLAGS, type DfePanelBundleHeader, type DfePanelBundleParts } from './bundle.js';
import { splitCellKey } from './cells.js';
import { DFE_PANEL_BREAKDOWNS, DFE_PANEL_TOTALS, type DfePanel, type DfePanelArea, type DfePanelSeries } from './panelTypes.js';

/** Decodes a bundle's areas on demand, each once. */
export interface DfePanelReader {
  /** The bundle's header (sources, checks, tables). */
  readonly header: DfePanelBundleHeader;
  /** The panel's areas, in panel order (the same objects as in the decoded series). */
  readonly areas: readonly DfePanelArea[];
  /**
   * One area's series, decoded on first use and kept.
   *
   * @param index - the area's index in {@link DfePanelReader.areas}
   */
  area(index: number): DfePanelSeries;
  /** The whole panel: every area decoded (those already decoded are reused), built once and kept. */
  panel(): DfePanel;
}

/** Where a series key goes in a {@link DfePanelSeries}. */
interface KeyTarget {
  readonly measure: string;
  readonly kind: AnnualSeries['kind'];
  readonly unit: AnnualSeries['unit'];
  /** The dimension, or undefined for a total. */
  readonly dimension: string | undefined;
  readonly category: string;
  /** The field of the entry: a total's field, or the breakdowns' field. */
  readonly field: string;
}

const ALL_FLAGS = Object.values(POINT_FLAGS).reduce((s, f) => s | f, 0);
const { nullValue: NULL_VALUE, suppressed: SUPPRESSED, upper: UPPER, suppressedFirst: SUPPRESSED_FIRST, noLine: NO_LINE, noCell: NO_CELL, note: NOTE } = POINT_FLAGS;

/**
 * Reads an area's numbers in order. Every number is checked once to be
 * finite and at least 0 when the cursor is made; each read then checks
 * what the number must be (a whole number in a range, an index into a
 * table).
 */
class Cursor {
  /** The numbers. */
  readonly d: readonly number[];
  /** The position of the next number. */
  pos = 0;

  constructor(
    d: readonly unknown[],
    private readonly problem: (pos: number, message: string) => CarecastInputError,
  ) {
    for (let i = 0; i < d.length; i++) {
      const v = d[i];
      if (typeof v !== 'number' || !(v >= 0 && v < Infinity)) throw problem(i, `every number must be finite and at least 0, found ${JSON.stringify(v)}`);
    }
    this.d = d as readonly number[];
  }

  /** The error for the number at `pos`. */
  fail(pos: number, message: string): CarecastInputError {
    return this.problem(pos, message);
  }

  /** The next number, which must be a whole number from `min` to `max`. */
  int(min: number, max: number, what: string): number {
    const v = this.d[this.pos];
    if (!(v >= min && v <= max && v % 1 === 0)) throw this.problem(this.pos, `${what} must be a whole number from ${min} to ${max}, found ${this.pos < this.d.length ? v : 'the end of the data'}`);
    this.pos++;
    return v;
  }
}

/** An area's rows: each point's source, year and first line. */
interface Rows {
  readonly source: string[];
  readonly year: number[];
  readonly line: number[];
}

/** The area's distinct notes: each segments joined by `; `, a segment a template filled with its numbers. */
function readNotes(c: Cursor, templates: readonly (readonly string[])[]): string[] {
  const n = c.int(0, 1e7, 'the number of notes');
  const out: string[] = new Array(n);
  const pieces: (string | number)[] = [];
  for (let k = 0; k < n; k++) {
    const segments = c.int(1, 1e4, 'the number of segments of a note');
    pieces.length = 0;
    for (let g = 0; g < segments; g++) {
      if (g > 0) pieces.push(NOTE_SEPARATOR);
      const t = templates[c.int(0, templates.length - 1, 'a note template')];
      pieces.push(t[0]);
      for (let q = 1; q < t.length; q++) pieces.push(c.int(0, Number.MAX_SAFE_INTEGER, 'a number of a note'), t[q]);
    }
    out[k] = pieces.join('');
  }
  return out;
}

/** What a point's numbers refer to: the area's rows and notes, the file's cells and markers. */
interface PointTables {
  readonly rows: Rows;
  readonly cells: readonly string[];
  readonly markers: readonly string[];
  readonly notes: readonly string[];
}

/** An area's series, placed in its entry in the order the panel builder writes the fields. */
function readEntry(c: Cursor, area: DfePanelArea, targets: readonly KeyTarget[], tables: PointTables): DfePanelSeries {
  const totals: Record<string, AnnualSeries> = {};
  // Each breakdown field's dimensions, each with its categories' series in the file's order.
  const groups = new Map<string, Map<string, [string, AnnualSeries][]>>(DFE_PANEL_BREAKDOWNS.map(([f, , dims]) => [f, new Map(dims.map((dim) => [dim, []]))]));
  // A key is one series (a total, or one category of one breakdown): each may come once.
  const seen = new Uint8Array(targets.length);
  const nSeries = c.int(0, 1e6, 'the number of series');
  for (let s = 0; s < nSeries; s++) {
    const at = c.pos;
    const k = c.int(0, targets.length - 1, 'a series key');
    if (seen[k] === 1) throw c.fail(at, `the series ${k} (${targets[k].measure}) is given twice`);
    seen[k] = 1;
    const t = targets[k];
    const series = seriesOf(t, area.name, readPoints(c, c.int(0, 1e6, 'the number of points'), tables));
    if (t.dimension === undefined) totals[t.field] = series;
    else groups.get(t.field)!.get(t.dimension)!.push([t.category, series]);
  }
  if (!totals.childrenInCare) throw c.fail(c.pos, 'no children_in_care series');
  const entry: Record<string, unknown> = { area };
  for (const [f] of DFE_PANEL_TOTALS) if (totals[f]) entry[f] = totals[f];
  for (const [f, byDimension] of groups) entry[f] = Object.fromEntries([...byDimension].map(([dim, pairs]) => [dim, Object.fromEntries(pairs)]));
  return entry as unknown as DfePanelSeries;
}

/** A series of the area with its points. */
function seriesOf(t: KeyTarget, area: string, points: AnnualPoint[]): AnnualSeries {
  return { frequency: 'annual', measure: t.measure, kind: t.kind, unit: t.unit, breakdown: t.dimension === undefined ? {} : { [t.dimension]: t.category }, area, points };
}

/**
 * One series' points (see the format in `bundle.ts`). The hot loop of the
 * decoder: it reads the numbers directly and checks each as it goes.
 */
function readPoints(c: Cursor, n: number, tables: PointTables): AnnualPoint[] {
  const { rows, cells, markers, notes } = tables;
  const d = c.d;
  let pos = c.pos;
  const nRows = rows.year.length;
  const cellSlots = Math.max(1, cells.length);
  const maxHead = nRows * cellSlots * 128 - 1;
  const points: AnnualPoint[] = new Array(n);
  for (let j = 0; j < n; j++) {
    const head = d[pos++];
    if (!(head <= maxHead && head % 1 === 0)) throw c.fail(pos - 1, `a point\u2019s head must be a whole number up to ${maxHead}, found ${head ?? 'the end of the data'}`);
    const r = head % nRows;
    const rest = (head - r) / nRows;
    const ci = rest % cellSlots;
    const f = (rest - ci) / cellSlots;
    if ((f & ALL_FLAGS) !== f || (ci >= cells.length && !(f & NO_CELL)) || (!(f & SUPPRESSED) && f & (UPPER | SUPPRESSED_FIRST))) {
      throw c.fail(pos - 1, `a point\u2019s head ${head} gives the flags ${f} and the cell ${ci} (of ${cells.length}): not a valid combination`);
    }
    let line: number | undefined;
    if (!(f & NO_LINE)) {
      const offset = d[pos++];
      line = rows.line[r] + offset;
      if (!(offset % 1 === 0 && line >= 1 && line <= Number.MAX_SAFE_INTEGER)) throw c.fail(pos - 1, `a line offset must be a whole number giving a line from 1, found ${offset ?? 'the end of the data'}`);
    }
    const cell = f & NO_CELL ? undefined : cells[ci];
    const value = f & NULL_VALUE ? null : d[pos++];
    let suppressed: Suppression | undefined;
    if (f & SUPPRESSED) {
      const m = d[pos++];
      if (!(m < markers.length && m % 1 === 0)) throw c.fail(pos - 1, `a marker must be an index into the ${markers.length} markers, found ${m ?? 'the end of the data'}`);
      suppressed = f & UPPER ? { marker: markers[m], upper: d[pos++] } : { marker: markers[m] };
    }
    let note: string | undefined;
    if (f & NOTE) {
      const k = d[pos++];
      if (!(k < notes.length && k % 1 === 0)) throw c.fail(pos - 1, `a note must be an index into the area\u2019s ${notes.length} notes, found ${k ?? 'the end of the data'}`);
      note = notes[k];
    }
    const source = rows.source[r];
    let provenance: Provenance;
    if (line !== undefined && cell !== undefined) provenance = note === undefined ? { source, line, cell } : { source, line, cell, note };
    else provenance = partialProvenance(source, line, cell, note);
    const year = rows.year[r];
    points[j] = suppressed === undefined ? { year, value, provenance } : f & SUPPRESSED_FIRST ? { year, value, suppressed, provenance } : { year, value, provenance, suppressed };
  }
  // Every number read so far was checked to be finite and at least 0; one read past the end is caught here.
  if (pos > d.length) throw c.fail(d.length, 'the data ends in the middle of a series');
  c.pos = pos;
  return points;
}

/** A provenance without a line or a cell (the panel builder writes none, but the format allows it). */
function partialProvenance(source: string, line: number | undefined, cell: string | undefined, note: string | undefined): Provenance {
  const p: Provenance = { source };
  if (line !== undefined) p.line = line;
  if (cell !== undefined) p.cell = cell;
  if (note !== undefined) p.note = note;
  return p;
}

/**
 * A reader of a bundle: checks that its tables refer to what the panel has
 * (each key to a measure with a kind and unit, and to a total or a listed
 * breakdown; one array of data per area; area names told apart), then
 * decodes each area when it is first asked for.
 *
 * @param parts - the bundle, from `readDfePanelBundle` (the file's text) or `parseDfePanelBundle` (parsed JSON)
 * @param source - the file name, for messages
 * @returns the reader
 * @throws `CarecastInputError` when the tables do not fit the panel's shape; an area's numbers are checked when it is decoded, and a bad one throws then, naming the area and the position
 * @example
 * ```ts
 * const reader = dfePanelReader(readDfePanelBundle(text, 'seeds/dfe-panel.json'), 'seeds/dfe-panel.json');
 * reader.area(reader.areas.findIndex((a) => a.name === 'Derby')).childrenInCare.points.at(-1)?.value; // 598
 * reader.panel().series.size; // 170
 * ```
 */
export function dfePanelReader(parts: DfePanelBundleParts, source: string): DfePanelReader {
  const { header } = parts;
  const bad = (field: string, message: string) => new CarecastInputError([{ source, field, message, fix: 'rebuild the file with npm run build:seeds' }]);
  const areas: readonly DfePanelArea[] = header.panel.areas;
  if (parts.areaCount !== areas.length) throw bad('data', `${parts.areaCount} areas of data for ${areas.length} areas`);
  const names = new Set<string>();
  for (const [i, a] of areas.entries()) {
    if (names.has(a.name)) throw bad(`panel.areas.${i}.name`, `"${a.name}" is listed twice`);
    names.add(a.name);
  }
  const totals = new Map<string, string>(DFE_PANEL_TOTALS.map(([field, measure]) => [measure, field]));
  const groups = new Map<string, { field: string; dims: readonly string[] }>(DFE_PANEL_BREAKDOWNS.map(([field, measure, dims]) => [measure, { field, dims }]));
  const keys = header.tables.keys;
  const twice = keys.findIndex((key, k) => keys.indexOf(key) !== k);
  if (twice >= 0) throw bad(`tables.keys.${twice}`, `${keys[twice]} is listed twice`);
  const targets: KeyTarget[] = keys.map((key, k) => {
    const { measure, dimension, category } = splitCellKey(key);
    const ku = Object.hasOwn(header.tables.measures, measure) ? header.tables.measures[measure] : undefined;
    if (!ku) throw bad(`tables.keys.${k}`, `${key}: the measure has no kind and unit in tables.measures`);
    const [kind, unit] = ku;
    if (dimension === undefined || category === undefined) {
      const field = totals.get(measure);
      if (field === undefined) throw bad(`tables.keys.${k}`, `${key}: not a total of the panel (${[...totals.keys()].join(', ')})`);
      return { measure, kind, unit, dimension: undefined, category: '', field };
    }
    const g = groups.get(measure);
    if (!g || !g.dims.includes(dimension)) throw bad(`tables.keys.${k}`, `${key}: not a breakdown of the panel`);
    return { measure, kind, unit, dimension, category, field: g.field };
  });
  const sourceNames = header.sources.map((s) => s.name);
  const { cells, markers } = header.tables;
  const templates = header.tables.notes.map((t) => t.split(NOTE_NUMBER_MARK));
  const decoded: (DfePanelSeries | undefined)[] = new Array(areas.length);
  let whole: DfePanel | undefined;

  const decodeArea = (ai: number): DfePanelSeries => {
    const area = areas[ai];
    const parsed = parts.areaData(ai);
    if (!Array.isArray(parsed)) throw bad(`data.${ai}`, `${area.name}: not an array of numbers`);
    const c = new Cursor(parsed, (pos, message) => bad(`data.${ai}[${pos}]`, `${area.name}: ${message}`));
    const nRows = c.int(0, 1e6, 'the number of rows');
    const rows: Rows = { source: new Array<string>(nRows), year: new Array<number>(nRows), line: new Array<number>(nRows) };
    for (let r = 0; r < nRows; r++) {
      rows.source[r] = sourceNames[c.int(0, sourceNames.length - 1, 'a row\u2019s source')];
      rows.year[r] = c.int(1900, 2200, 'a row\u2019s year');
      rows.line[r] = c.int(0, Number.MAX_SAFE_INTEGER, 'a row\u2019s first line');
    }
    const areaNotes = readNotes(c, templates);
    const entry = readEntry(c, area, targets, { rows, cells, markers, notes: areaNotes });
    if (c.pos !== c.d.length) throw c.fail(c.pos, `${c.d.length - c.pos} numbers after the last series`);
    return entry;
  };

  const reader: DfePanelReader = {
    header,
    areas,
    area(index: number): DfePanelSeries {
      if (!Number.isInteger(index) || index < 0 || index >= areas.length) throw bad('panel.areas', `no area ${index} (${areas.length} areas)`);
      return (decoded[index] ??= decodeArea(index));
    },
    panel(): DfePanel {
      whole ??= {
        areas: [...areas],
        series: new Map(areas.map((a, i) => [a.name, reader.area(i)])),
        years: [...header.panel.years],
        missingYears: [...header.panel.missingYears],
        notes: [...header.panel.notes],
        sources: header.sources.map((s) => ({ name: s.name, kind: s.kind, years: [...s.years] })),
      };
      return whole;
    },
  };
  return reader;
}
