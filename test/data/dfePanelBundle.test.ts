/**
 * The bundled panel file's format (src/data/dfe/bundle.ts): the panel derived from the raw-file fixtures by the
 * cells path (loadDfePanel({ dir })) is encoded, written, read back and decoded, and must be the same panel, area
 * by area, down to the key order; one point is decoded by hand from the numbers as the format describes them;
 * damaged files are refused naming the field and position.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DfePanelBundleSchema, parseDfePanelBundle, readDfePanelBundle, type DfePanelBundle, type DfePanelBundleSource } from '../../src/data/dfe/bundle.js';
import { dfePanelReader } from '../../src/data/dfe/bundleDecode.js';
import { dfePanelBundleText, encodeDfePanel, noteTemplate } from '../../src/data/dfe/bundleEncode.js';
import { dfeCellsFrom } from '../../src/data/dfe/cells.js';
import { readDfePanelFolder } from '../../src/data/dfe/panelFolder.js';
import { DFE_PANEL_BREAKDOWNS, type DfePanel } from '../../src/data/dfe/panelTypes.js';
import { loadDfePanel } from '../../src/data/panel.js';
import type { AnnualPoint, AnnualSeries } from '../../src/data/schemas.js';
import { DFE_FIXTURES } from '../helpers/fixtures.js';
import { errorOf } from '../helpers/inputError.js';

const panel = loadDfePanel({ dir: DFE_FIXTURES });
const folder = readDfePanelFolder(DFE_FIXTURES);
const cellSources = dfeCellsFrom(folder.sources).sources;
const sources: DfePanelBundleSource[] = cellSources.map((s) => {
  const f = folder.files.find((x) => x.name === s.name)!;
  return { name: s.name, kind: s.kind, path: `dfe/${f.name}`, bytes: f.bytes, sha256: f.sha256, checkedAgainst: f.checkedAgainst ? `dfe/${f.checkedAgainst}` : null, publication: 'test', licence: 'OGL v3.0' };
}).map((s, i) => ({ ...s, yearsInFile: [...cellSources[i].yearsInFile], years: [...cellSources[i].years] }));
const header = { description: 'd', licence: 'l', attribution: 'a \u2019 b', command: 'c', checks: [{ name: 'a check', compared: 3, exceptions: [] }] };
const bundle = encodeDfePanel(panel, sources, header);
const text = dfePanelBundleText(bundle);

const written = (p: DfePanel) => JSON.stringify({ ...p, series: [...p.series] });
const allSeries = (p: DfePanel): AnnualSeries[] =>
  [...p.series.values()].flatMap((e) => [
    ...[e.childrenInCare, e.started, e.ceased, e.population, e.rate].filter((s): s is AnnualSeries => s !== undefined),
    ...[e.breakdowns, e.startedBreakdowns, e.ceasedBreakdowns].flatMap((g) => Object.values(g).flatMap((d) => Object.values(d as Record<string, AnnualSeries>))),
  ]);
const allPoints = (p: DfePanel): AnnualPoint[] => allSeries(p).flatMap((s) => s.points);

describe('the bundled panel format: encode, write, read, decode', () => {
  it('the fixture panel has what the format must carry: notes, markers with and without bounds, nulls, both key orders', () => {
    const points = allPoints(panel);
    expect(points.length).toBeGreaterThan(1000);
    expect(points.filter((p) => p.provenance?.note?.startsWith('derived')).length).toBeGreaterThan(0);
    expect(points.filter((p) => p.provenance?.note?.includes('; ')).length).toBeGreaterThan(0);
    expect(points.filter((p) => p.suppressed?.upper !== undefined).length).toBeGreaterThan(0);
    expect(points.filter((p) => p.suppressed && p.suppressed.upper === undefined).length).toBeGreaterThan(0);
    expect(points.filter((p) => p.suppressed?.marker === 'partly_suppressed').length).toBeGreaterThan(0);
    expect(points.filter((p) => Object.keys(p).join() === 'year,value,suppressed,provenance').length).toBeGreaterThan(0);
    expect(points.filter((p) => Object.keys(p).join() === 'year,value,provenance,suppressed').length).toBeGreaterThan(0);
  });

  it('decodes to the panel derived from the raw files: every area deep-equal and written the same (key order)', () => {
    const back = dfePanelReader(readDfePanelBundle(text, 'x.json'), 'x.json').panel();
    expect(isDeepStrictEqual(back, panel)).toBe(true);
    expect(back).toEqual(panel);
    expect(written(back)).toBe(written(panel));
    for (const a of panel.areas) expect(JSON.stringify(back.series.get(a.name)), a.name).toBe(JSON.stringify(panel.series.get(a.name)));
  });

  it('read from the file\u2019s bytes (decoding only the lines asked for), it decodes the same', () => {
    const reader = dfePanelReader(readDfePanelBundle(new TextEncoder().encode(text), 'x.json'), 'x.json');
    expect(written(reader.panel())).toBe(written(panel));
    expect(errorOf(() => readDfePanelBundle(new TextEncoder().encode(text.replace(/,\n/g, ',')), 'x.json')).problems[0].message).toMatch(/lines of data/);
  });

  it('the text is ASCII JSON: read as plain JSON with the strict schema of the whole file, it decodes the same', () => {
    expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
    expect(text).toContain('a \\u2019 b');
    const json: unknown = JSON.parse(text);
    expect(DfePanelBundleSchema.safeParse(json).success).toBe(true);
    const back = dfePanelReader(parseDfePanelBundle(json, 'x.json'), 'x.json').panel();
    expect(written(back)).toBe(written(panel));
    expect(back.sources).toEqual(panel.sources);
  });

  it('values that are not whole numbers come back exactly (DfE publishes rates as whole numbers, the format does not need them so)', () => {
    const derby = panel.series.get('Derby')!;
    const rate = derby.rate!;
    const odd = [72.5, 0.1, 0.30000000000000004, 1e-7, 123456.789];
    const changed = { ...derby, rate: { ...rate, points: rate.points.map((p, i) => ({ ...p, value: odd[i % odd.length] })) } };
    const p2: DfePanel = { ...panel, series: new Map([...panel.series].map(([k, v]) => [k, k === 'Derby' ? changed : v])) };
    const back = dfePanelReader(readDfePanelBundle(dfePanelBundleText(encodeDfePanel(p2, sources, header)), 'x.json'), 'x.json').panel();
    expect(back.series.get('Derby')!.rate!.points.map((p) => p.value)).toEqual(changed.rate.points.map((p) => p.value));
    expect(written(back)).toBe(written(p2));
  });

  it('each area decodes on its own (in any order) to the same series, kept: the whole panel reuses it', () => {
    const reader = dfePanelReader(readDfePanelBundle(text, 'x.json'), 'x.json');
    for (let i = panel.areas.length - 1; i >= 0; i--) expect(reader.area(i)).toEqual(panel.series.get(panel.areas[i].name));
    const derby = reader.areas.findIndex((a) => a.name === 'Derby');
    expect(reader.panel().series.get('Derby')).toBe(reader.area(derby));
    expect(reader.panel().series.get('Derby')?.area).toBe(reader.panel().areas[derby]);
  });

  it('one point decoded by hand as the format says: Derby, children looked after, first year', () => {
    const h = bundle;
    const ai = h.panel.areas.findIndex((a) => a.name === 'Derby');
    const d = h.data[ai];
    let pos = 0;
    const nRows = d[pos++];
    const rows = Array.from({ length: nRows }, () => ({ source: h.sources[d[pos++]].name, year: d[pos++], line: d[pos++] }));
    const nNotes = d[pos++];
    for (let k = 0; k < nNotes; k++) {
      const segments = d[pos++];
      for (let g = 0; g < segments; g++) pos += 1 + h.tables.notes[d[pos]].split('{}').length - 1;
    }
    pos++; // nSeries
    expect(h.tables.keys[d[pos++]]).toBe('children_in_care'); // the first series is the total
    expect(d[pos++]).toBe(panel.series.get('Derby')!.childrenInCare.points.length);
    const head = d[pos++];
    const cells = h.tables.cells.length;
    const row = head % nRows;
    const cell = Math.floor(head / nRows) % cells;
    const flags = Math.floor(head / nRows / cells);
    expect(flags).toBe(0); // a plain published number: line, cell and value follow
    const line = rows[row].line + d[pos++];
    const value = d[pos++];
    expect({ year: rows[row].year, value, provenance: { source: rows[row].source, line, cell: h.tables.cells[cell] } }).toEqual(panel.series.get('Derby')!.childrenInCare.points[0]);
    expect(h.tables.measures.children_in_care).toEqual(['snapshot', 'children']);
    expect(h.tables.measures.rate_per_10k).toEqual(['rate', 'per_10k']);
  });
});

describe('damaged files are refused, naming the field and position', () => {
  const json = (): DfePanelBundle => JSON.parse(text) as DfePanelBundle;
  const decodeAll = (b: unknown) => dfePanelReader(parseDfePanelBundle(b, 'x.json'), 'x.json').panel();

  it('an unknown key in the header, a missing table, a text not laid out one area per line', () => {
    expect(errorOf(() => readDfePanelBundle(text.replace('{"format"', '{"extra":1,"format"'), 'x.json')).message).toMatch(/x\.json.*extra|Unrecognized key/i);
    expect(errorOf(() => decodeAll({ ...json(), tables: { ...json().tables, markers: undefined } })).problems[0].field).toBe('tables.markers');
    expect(errorOf(() => readDfePanelBundle(text.replace(/,\n/g, ','), 'x.json')).problems[0].message).toMatch(/lines of data/);
    expect(errorOf(() => readDfePanelBundle(text.replace(',"data":[\n', ',"data":['), 'x.json')).problems[0].message).toMatch(/not a carecast-dfe-panel file/);
  });

  it('numbers that are negative, fractional where a whole number is due, out of range, missing or left over', () => {
    const withData = (i: number, f: (d: number[]) => number[]) => {
      const b = json();
      b.data[i] = f(b.data[i]);
      return b;
    };
    const name0 = panel.areas[0].name;
    let e = errorOf(() => decodeAll(withData(0, (d) => [-1, ...d.slice(1)])));
    expect(e.problems[0]).toMatchObject({ source: 'x.json', field: 'data.0[0]' });
    expect(e.problems[0].message).toContain(name0);
    e = errorOf(() => decodeAll(withData(0, (d) => [1.5, ...d.slice(1)])));
    expect(e.problems[0]).toMatchObject({ field: 'data.0[0]' });
    expect(e.problems[0].message).toMatch(/the number of rows must be a whole number/);
    e = errorOf(() => decodeAll(withData(0, (d) => [d[0], 999, ...d.slice(2)])));
    expect(e.problems[0]).toMatchObject({ field: 'data.0[1]' });
    expect(e.problems[0].message).toMatch(/source/);
    e = errorOf(() => decodeAll(withData(1, (d) => [...d, 0])));
    expect(e.problems[0].message).toMatch(/1 numbers after the last series/);
    e = errorOf(() => decodeAll(withData(1, (d) => d.slice(0, -1))));
    expect(e.problems[0].message).toMatch(/ends in the middle of a series|end of the data/);
  });

  it('a table that names what the panel does not have', () => {
    const b = json();
    b.tables.keys = [...b.tables.keys, 'children_in_care|colour=blue'];
    expect(errorOf(() => decodeAll(b)).problems[0]).toMatchObject({ field: `tables.keys.${b.tables.keys.length - 1}` });
    const c = json();
    c.tables.measures = {};
    expect(errorOf(() => decodeAll(c)).problems[0].message).toMatch(/no kind and unit/);
    const d = json();
    d.tables.keys = [...d.tables.keys, d.tables.keys[0]];
    expect(errorOf(() => decodeAll(d)).problems[0].message).toMatch(/listed twice/);
  });

  it('a series given twice in an area', () => {
    // Derby with its total only: after the rows, notes and the count of series, the rest is that one series
    const derby = panel.series.get('Derby')!;
    const empty = Object.fromEntries(DFE_PANEL_BREAKDOWNS.map(([f, , dims]) => [f, Object.fromEntries(dims.map((d) => [d, {}]))]));
    const only: DfePanel = { ...panel, series: new Map([...panel.series].map(([k, v]) => [k, k === 'Derby' ? ({ area: derby.area, childrenInCare: derby.childrenInCare, ...empty } as typeof v) : v])) };
    const b = JSON.parse(dfePanelBundleText(encodeDfePanel(only, sources, header))) as DfePanelBundle;
    const ai = b.panel.areas.findIndex((a) => a.name === 'Derby');
    const d = b.data[ai];
    let pos = 1 + 3 * d[0];
    const nNotes = d[pos++];
    for (let k = 0; k < nNotes; k++) {
      const segments = d[pos++];
      for (let g = 0; g < segments; g++) pos += 1 + b.tables.notes[d[pos]].split('{}').length - 1;
    }
    expect(d[pos]).toBe(1);
    const series = d.slice(pos + 1);
    expect(decodeAll(b).series.get('Derby')?.childrenInCare).toEqual(derby.childrenInCare);
    b.data[ai] = [...d.slice(0, pos), 2, ...series, ...series];
    const e = errorOf(() => decodeAll(b));
    expect(e.problems[0]).toMatchObject({ field: `data.${ai}[${pos + 1 + series.length}]` });
    expect(e.problems[0].message).toMatch(/Derby: the series \d+ \(children_in_care\) is given twice/);
  });
});

describe('encodeDfePanel refuses what the format cannot hold', () => {
  const derby = panel.series.get('Derby')!;
  const withDerby = (entry: unknown): DfePanel => ({ ...panel, series: new Map([...panel.series].map(([k, v]) => [k, k === 'Derby' ? (entry as typeof v) : v])) });

  it('sources that are not the panel\u2019s, a point without provenance or from another file', () => {
    expect(errorOf(() => encodeDfePanel(panel, sources.slice(1), header)).problems[0].field).toBe('sources');
    const noProvenance = { ...derby, childrenInCare: { ...derby.childrenInCare, points: [{ year: 2011, value: 1 }] } };
    expect(errorOf(() => encodeDfePanel(withDerby(noProvenance), sources, header)).problems[0].message).toMatch(/without provenance/);
    const elsewhere = { ...derby, childrenInCare: { ...derby.childrenInCare, points: [{ year: 2011, value: 1, provenance: { source: 'other.csv', line: 2 } }] } };
    expect(errorOf(() => encodeDfePanel(withDerby(elsewhere), sources, header)).problems[0].message).toMatch(/other\.csv is not one of the sources/);
  });
});

describe('noteTemplate: a note as the text between its numbers, and the numbers', () => {
  it('splits off whole numbers that stand alone, not digits inside names', () => {
    expect(noteTemplate('sum of own_la (line 12) + other_la (line 130); age 16_plus = ceasedAge 18_plus; rate 72.5; 007')).toEqual({
      parts: ['sum of own_la (line ', ') + other_la (line ', '); age 16_plus = ceasedAge 18_plus; rate ', '.', '; 007'],
      numbers: [12, 130, 72, 5],
    });
  });

  it('gives the note back exactly, whatever the text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '_', ' ', '(', '.', '0', '1', '9', '7', 'x', '-', '"') , maxLength: 60 }), (note) => {
        const { parts, numbers } = noteTemplate(note);
        expect(parts.length).toBe(numbers.length + 1);
        expect(parts.map((p, i) => (i === 0 ? p : `${numbers[i - 1]}${p}`)).join('')).toBe(note);
        for (const n of numbers) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
      }),
    );
  });
});
