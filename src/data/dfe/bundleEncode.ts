/**
 * Writing the bundled DfE panel file (`seeds/dfe-panel.json`, format in
 * `bundle.ts`) from a derived panel: run by `scripts/build-seeds.ts`, never
 * at run time.
 *
 * @module
 */
import { CarecastInputError } from '../errors.js';
import type { AnnualPoint, AnnualSeries } from '../schemas.js';
import { DFE_PANEL_DATA_START, DFE_PANEL_FORMAT, DFE_PANEL_VERSION, NOTE_NUMBER_MARK, NOTE_SEPARATOR, POINT_FLAGS, type DfePanelBundle, type DfePanelBundleSource } from './bundle.js';
import { cellKey } from './cells.js';
import { DFE_PANEL_BREAKDOWNS, DFE_PANEL_TOTALS, type DfePanel, type DfePanelArea } from './panelTypes.js';

/** The numbers in a note that are stored apart from its text: whole numbers not touching a letter, digit or `_`, without leading zeros (so `String(Number(n))` gives them back). */
const NOTE_NUMBER = /(?<![\w])(?:0|[1-9]\d{0,14})(?!\w)/g;

/**
 * A note as a template (the text between its numbers) and its numbers.
 *
 * @param note - a provenance note
 * @returns the pieces of text (one more than the numbers) and the numbers
 * @example
 * ```ts
 * noteTemplate('sum of own_la (line 12) + other_la (line 13)'); // { parts: ['sum of own_la (line ', ') + other_la (line ', ')'], numbers: [12, 13] }
 * ```
 */
export function noteTemplate(note: string): { parts: string[]; numbers: number[] } {
  const parts: string[] = [];
  const numbers: number[] = [];
  let last = 0;
  for (const m of note.matchAll(NOTE_NUMBER)) {
    parts.push(note.slice(last, m.index));
    numbers.push(Number(m[0]));
    last = m.index + m[0].length;
  }
  parts.push(note.slice(last));
  return { parts, numbers };
}

function areaRecord(a: DfePanelArea): DfePanelBundle['panel']['areas'][number] {
  const { formerCodes, aliases, ...rest } = a;
  return { ...rest, ...(formerCodes ? { formerCodes: [...formerCodes] } : {}), ...(aliases ? { aliases: [...aliases] } : {}) };
}

/**
 * The bundle as the file's text, laid out as the format says: the header
 * as JSON, then `data` with each area's numbers on a line of its own, and
 * a final newline; every character beyond ASCII is written as a `\uXXXX`
 * escape (an ASCII file is read into a one-byte string, quicker to decode
 * and to parse). The text is valid JSON: `JSON.parse` gives the bundle.
 *
 * @param bundle - the bundle
 * @returns the file's text
 * @example
 * ```ts
 * writeFileSync('seeds/dfe-panel.json', dfePanelBundleText(bundle));
 * ```
 */
export function dfePanelBundleText(bundle: DfePanelBundle): string {
  const { data, ...header } = bundle;
  const head = JSON.stringify(header).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${head.slice(0, -1)}${DFE_PANEL_DATA_START}${data.map((d) => JSON.stringify(d)).join(',\n')}\n]}\n`;
}

const sameKeys = (o: object, keys: readonly string[]): boolean => {
  const k = Object.keys(o);
  return k.length === keys.length && k.every((x, i) => x === keys[i]);
};

/**
 * Encode a derived panel as the bundle file: the header, the string tables
 * and one string of numbers per area (see `bundle.ts` for the format).
 * Decoding the result with `dfePanelReader` gives a panel deep-equal to
 * this one, with the same key order in every object (the build checks it).
 *
 * @param panel - the panel, as `panelFromCells` derives it
 * @param sources - the bundle's record of each source file, in the order of `panel.sources` (same names, kinds and years)
 * @param header - the file's description, licence, attribution, command, and the checks the build ran
 * @returns the bundle, ready for `JSON.stringify`
 * @throws `CarecastInputError` when the sources do not match the panel's, or the panel has something the format cannot hold (a point without provenance, a provenance source not in `sources`, a series of another area, keys in an order the panel builder never writes)
 * @example
 * ```ts
 * const bundle = encodeDfePanel(panelFromCells(set), sources, { description, licence, attribution, command, checks: [] });
 * writeFileSync('seeds/dfe-panel.json', `${JSON.stringify(bundle)}\n`);
 * ```
 */
export function encodeDfePanel(
  panel: DfePanel,
  sources: readonly DfePanelBundleSource[],
  header: Pick<DfePanelBundle, 'description' | 'licence' | 'attribution' | 'command' | 'checks'>,
): DfePanelBundle {
  const fail = (where: string, message: string): never => {
    throw new CarecastInputError([{ source: 'encodeDfePanel', field: where, message, fix: 'encode a panel built by panelFromCells, with its sources' }]);
  };
  if (sources.length !== panel.sources.length) fail('sources', `${sources.length} sources given for the panel's ${panel.sources.length}`);
  panel.sources.forEach((s, i) => {
    const b = sources[i];
    if (b.name !== s.name || b.kind !== s.kind || b.years.join() !== s.years.join()) fail(`sources.${i}`, `${b.name} (${b.kind}, ${b.years.join(' ')}) given for ${s.name} (${s.kind}, ${s.years.join(' ')})`);
  });
  const sourceIndex = new Map(sources.map((s, i) => [s.name, i]));
  const tables: DfePanelBundle['tables'] = { measures: {}, keys: [], cells: [], markers: [], notes: [] };
  const indexer = <T>(list: T[], keyOf: (x: T) => string) => {
    const index = new Map<string, number>();
    return (x: T): number => {
      const k = keyOf(x);
      let i = index.get(k);
      if (i === undefined) {
        i = list.length;
        index.set(k, i);
        list.push(x);
      }
      return i;
    };
  };
  const keyOf = indexer(tables.keys, (k) => k);
  const cellOf = indexer(tables.cells, (c) => c);
  const markerOf = indexer(tables.markers, (m) => m);
  const noteOf = indexer(tables.notes, (t) => t);

  type Listed = { s: AnnualSeries; dimension: string | null; category: string | null };
  const lists = panel.areas.map((area, ai): Listed[] => {
    const where = `areas.${ai} (${area.name})`;
    const entry = panel.series.get(area.name);
    if (!entry) return fail(where, 'no series for this area');
    if (JSON.stringify(entry.area) !== JSON.stringify(area)) fail(where, 'the entry\u2019s area differs from the area listed');
    const known = new Set<string>(['area', ...DFE_PANEL_TOTALS.map(([f]) => f), ...DFE_PANEL_BREAKDOWNS.map(([f]) => f)]);
    for (const k of Object.keys(entry)) if (!known.has(k)) fail(where, `the field ${k} is not part of the format`);
    // Every series in the order the reader writes the fields back.
    const list: Listed[] = [];
    for (const [f, measure] of DFE_PANEL_TOTALS) {
      const s = entry[f];
      if (!s) continue;
      if (s.measure !== measure || Object.keys(s.breakdown).length > 0) fail(`${where}.${f}`, `holds ${s.measure} ${JSON.stringify(s.breakdown)}`);
      list.push({ s, dimension: null, category: null });
    }
    for (const [f, measure, dims] of DFE_PANEL_BREAKDOWNS) {
      const g = entry[f] as Readonly<Record<string, Readonly<Record<string, AnnualSeries | undefined>>>>;
      if (!sameKeys(g, dims)) fail(`${where}.${f}`, `dimensions ${Object.keys(g).join(', ')}, expected ${dims.join(', ')}`);
      for (const dim of dims) {
        for (const [category, s] of Object.entries(g[dim])) {
          if (!s) continue;
          if (s.measure !== measure || !sameKeys(s.breakdown, [dim]) || s.breakdown[dim] !== category) fail(`${where}.${f}.${dim}.${category}`, `holds ${s.measure} ${JSON.stringify(s.breakdown)}`);
          list.push({ s, dimension: dim, category });
        }
      }
    }
    return list;
  });
  // The cell table first: a point's head packs its cell with the table's length.
  for (const list of lists) for (const { s } of list) for (const p of s.points) if (p.provenance?.cell !== undefined) cellOf(p.provenance.cell);
  const cellSlots = Math.max(1, tables.cells.length);

  const data = panel.areas.map((area, ai) => {
    const where = `areas.${ai} (${area.name})`;
    const list = lists[ai];
    // Rows: the (source, year) pairs of the area's points, each with its first line.
    const rowIndex = new Map<string, number>();
    const rows: [number, number, number][] = [];
    const rowOf = (p: AnnualPoint, at: string): number => {
      const prov = p.provenance;
      if (!prov) return fail(at, `${p.year}: a point without provenance`);
      const si = sourceIndex.get(prov.source);
      if (si === undefined) return fail(at, `${p.year}: the provenance source ${prov.source} is not one of the sources`);
      const k = `${si}|${p.year}`;
      let r = rowIndex.get(k);
      if (r === undefined) {
        r = rows.length;
        rowIndex.set(k, r);
        rows.push([si, p.year, 0]);
      }
      return r;
    };
    for (const { s } of list) {
      for (const p of s.points) {
        const row = rows[rowOf(p, where)];
        const line = p.provenance?.line;
        if (line !== undefined && (row[2] === 0 || line < row[2])) row[2] = line;
      }
    }
    // The area's distinct notes, each a template and its numbers.
    const noteIndex = new Map<string, number>();
    const areaNotes: number[] = [];
    const localNote = (note: string): number => {
      let i = noteIndex.get(note);
      if (i === undefined) {
        i = noteIndex.size;
        noteIndex.set(note, i);
        const segments = note.split(NOTE_SEPARATOR);
        areaNotes.push(segments.length);
        for (const segment of segments) {
          const { parts, numbers } = noteTemplate(segment);
          if (parts.some((x) => x.includes(NOTE_NUMBER_MARK))) fail(where, `a note holds ${NOTE_NUMBER_MARK}, which stands for a number in the templates: ${note}`);
          areaNotes.push(noteOf(parts.join(NOTE_NUMBER_MARK)), ...numbers);
        }
      }
      return i;
    };
    const body: number[] = [];
    for (const { s, dimension, category } of list) {
      const at = `${where} ${s.measure}${dimension ? ` ${dimension}=${category}` : ''}`;
      if (s.frequency !== 'annual' || s.area !== area.name) fail(at, `a ${s.frequency} series of ${s.area}`);
      if (!sameKeys(s, ['frequency', 'measure', 'kind', 'unit', 'breakdown', 'area', 'points'])) fail(at, `keys ${Object.keys(s).join(', ')}`);
      const ku = Object.hasOwn(tables.measures, s.measure) ? tables.measures[s.measure] : undefined;
      if (!ku) tables.measures[s.measure] = [s.kind, s.unit];
      else if (ku[0] !== s.kind || ku[1] !== s.unit) fail(at, `${s.measure} is ${s.kind} in ${s.unit} here and ${ku[0]} in ${ku[1]} elsewhere`);
      body.push(keyOf(dimension === null ? s.measure : cellKey(s.measure, dimension, category!)), s.points.length);
      for (const p of s.points) {
        const r = rowOf(p, at);
        const prov = p.provenance!;
        const supp = p.suppressed;
        let flags = 0;
        if (p.value === null) flags |= POINT_FLAGS.nullValue;
        if (supp) {
          flags |= POINT_FLAGS.suppressed;
          if (supp.upper !== undefined) flags |= POINT_FLAGS.upper;
          if (!sameKeys(supp, supp.upper !== undefined ? ['marker', 'upper'] : ['marker'])) fail(at, `${p.year}: suppression keys ${Object.keys(supp).join(', ')}`);
        }
        if (sameKeys(p, ['year', 'value', 'suppressed', 'provenance'])) flags |= POINT_FLAGS.suppressedFirst;
        else if (!sameKeys(p, supp ? ['year', 'value', 'provenance', 'suppressed'] : ['year', 'value', 'provenance'])) fail(at, `${p.year}: point keys ${Object.keys(p).join(', ')}`);
        if (prov.line === undefined) flags |= POINT_FLAGS.noLine;
        if (prov.cell === undefined) flags |= POINT_FLAGS.noCell;
        if (prov.note !== undefined) flags |= POINT_FLAGS.note;
        const provKeys = ['source', ...(prov.line !== undefined ? ['line'] : []), ...(prov.cell !== undefined ? ['cell'] : []), ...(prov.note !== undefined ? ['note'] : [])];
        if (!sameKeys(prov, provKeys)) fail(at, `${p.year}: provenance keys ${Object.keys(prov).join(', ')}`);
        const ci = prov.cell !== undefined ? cellOf(prov.cell) : 0;
        if (ci >= cellSlots) fail(at, `${p.year}: the cell ${prov.cell} was not in the table`);
        body.push(r + rows.length * (ci + cellSlots * flags));
        if (prov.line !== undefined) {
          if (!Number.isSafeInteger(prov.line) || prov.line < 1) fail(at, `${p.year}: line ${prov.line}`);
          body.push(prov.line - rows[r][2]);
        }
        if (p.value !== null) {
          if (!Number.isFinite(p.value) || p.value < 0) fail(at, `${p.year}: value ${p.value}`);
          body.push(p.value);
        }
        if (supp) {
          body.push(markerOf(supp.marker));
          if (supp.upper !== undefined) body.push(supp.upper);
        }
        if (prov.note !== undefined) body.push(localNote(prov.note));
      }
    }
    return [rows.length, ...rows.flat(), noteIndex.size, ...areaNotes, list.length, ...body];
  });
  return {
    format: DFE_PANEL_FORMAT,
    version: DFE_PANEL_VERSION,
    description: header.description,
    licence: header.licence,
    attribution: header.attribution,
    command: header.command,
    sources: sources.map((s) => ({ ...s, yearsInFile: [...s.yearsInFile], years: [...s.years] })),
    checks: header.checks.map((c) => ({ name: c.name, compared: c.compared, exceptions: [...c.exceptions] })),
    panel: { years: [...panel.years], missingYears: [...panel.missingYears], notes: [...panel.notes], areas: panel.areas.map(areaRecord) },
    tables,
    data,
  };
}
