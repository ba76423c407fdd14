/**
 * The incremental CSV parser behind the streamed tidy reader: whatever the
 * chunks, it gives the records and lines `readCsvRows` (csv-parse) gives,
 * and names the line of a stray or unclosed quote.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRecordStream } from '../../src/data/loaders/csvStream.js';
import { readCsvRows } from '../../src/data/loaders/csvText.js';
import { readTidyCsv, tidyCsvReader } from '../../src/data/loaders/tidy.js';
import { errorOf } from '../helpers/inputError.js';

/** The records of `text` pushed in pieces cut at `cuts`. */
function streamed(text: string, cuts: readonly number[]): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  const csv = csvRecordStream('f.csv', (cells, line) => out.push({ line, cells }));
  let at = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    csv.push(text.slice(at, c));
    at = c;
  }
  csv.push(text.slice(at));
  csv.end();
  return out;
}

describe('csvRecordStream', () => {
  it('reads quoted commas, quotes and line breaks, CRLF, a BOM and empty lines, with the line each record starts on', () => {
    const text = '\ufeffa,b\r\n1,"x, ""y"""\r\n\r\n2,"two\r\nlines"\r\n3,\r\n\r\n4,last';
    const want = [
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', 'x, "y"'] },
      { line: 4, cells: ['2', 'two\r\nlines'] },
      { line: 6, cells: ['3', ''] },
      { line: 8, cells: ['4', 'last'] },
    ];
    expect(streamed(text, [])).toEqual(want);
    // every cut, one character at a time (through the BOM, the CRLFs and the doubled quotes)
    expect(streamed(text, Array.from({ length: text.length }, (_, i) => i))).toEqual(want);
    expect(readCsvRows(text, 'f.csv')).toEqual(want);
  });

  it('property: any CSV of quoted and plain fields, cut anywhere, gives what readCsvRows gives', () => {
    const plain = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '1', '-', '\u00e9', '\u{1F600}'), maxLength: 6 });
    const quoted = fc.string({ unit: fc.constantFrom('a', ',', '"', '\r\n', '\n', ' '), maxLength: 6 }).map((s) => `"${s.replace(/"/g, '""')}"`);
    const record = fc.array(fc.oneof(plain, quoted), { minLength: 1, maxLength: 5 }).map((cells) => cells.join(','));
    const file = fc.record({
      records: fc.array(record, { minLength: 1, maxLength: 8 }),
      eol: fc.constantFrom('\n', '\r\n'),
      trailing: fc.boolean(),
      blank: fc.boolean(),
    });
    fc.assert(
      fc.property(file, fc.array(fc.nat(), { maxLength: 6 }), ({ records, eol, trailing, blank }, cutsRaw) => {
        // a record that is one empty field is an empty line: skipped by both
        const text = records.join(blank ? eol + eol : eol) + (trailing ? eol : '');
        const cuts = cutsRaw.map((c) => c % (text.length + 1));
        expect(streamed(text, cuts)).toEqual(readCsvRows(text, 'f.csv'));
      }),
      { numRuns: 300 },
    );
  });

  it('names the line of a quote inside an unquoted field, text after a closing quote, and a quote never closed', () => {
    const stray = errorOf(() => streamed('a,b\n1,x"y\n', [6]));
    expect(stray.problems[0]).toMatchObject({ source: 'f.csv', row: 2 });
    expect(stray.problems[0].message).toMatch(/^not valid CSV: a quote inside the unquoted field 2 at line 2, value is "x"/);
    const after = errorOf(() => streamed('a,b\n\n1,"x"y\n', []));
    expect(after.problems[0]).toMatchObject({ row: 3 });
    expect(after.problems[0].message).toMatch(/^not valid CSV: got "y" after the closing quote of field 2 at line 3/);
    const open = errorOf(() => streamed('a,b\n1,"x\n2,3\n', [7]));
    expect(open.problems[0]).toMatchObject({ row: 2 });
    expect(open.problems[0].message).toBe('not valid CSV: a quoted field opened at line 2 is never closed');
    expect(open.problems[0].fix).toMatch(/unclosed double quote/);
  });
});

describe('tidyCsvReader', () => {
  const rows = [
    'area,measure,kind,unit,frequency,period,breakdown,value,suppressed,source,line',
    'Derby,children_in_care,snapshot,children,annual,2022,,600,,cla.csv,10',
    'Derby,children_in_care,snapshot,children,annual,2023,,620,,cla.csv,11',
    'Derby,children_in_care,snapshot,children,annual,2023,placement=fostering,400,,,',
    'Derby,children_in_care,snapshot,children,annual,2023,placement=residential,,c,,',
  ];

  it('gives the same datasets pushed in pieces as read whole', () => {
    const text = `${rows.join('\r\n')}\r\n`;
    const r = tidyCsvReader('derby.csv');
    for (let i = 0; i < text.length; i += 7) r.push(text.slice(i, i + 7));
    const ds = r.end();
    expect(ds).toEqual(readTidyCsv(text, 'derby.csv'));
    expect(ds[0].series.map((s) => s.points.map((p) => p.value))).toEqual([[600, 620], [400], [null]]);
  });

  it('throws a bad header as soon as it is read, before the rest is pushed', () => {
    const r = tidyCsvReader('x.csv');
    expect(() => r.push('area,measure,kind,unit,frequency,period,breakdown,valeu,suppressed,source,line\n')).toThrow(/unknown column "valeu". Fix: did you mean value\?/);
  });

  it('collects every row problem, naming file, row and field, in the order the whole-text reader gives them', () => {
    const bad = [...rows, 'Derby,children_in_care,snapshot,children,annual,2023,,630,,cla.csv,12', 'Derby,children_in_care,snapshto,children,annual,2024,,1.5,,,', 'Derby,children_in_care,snapshot,children,annual,2024,placement=fostering,800,,,'];
    const r = tidyCsvReader('x.csv');
    r.push(bad.join('\n'));
    const err = errorOf(() => r.end());
    expect(err.problems.map((p) => [p.row, p.field])).toEqual([
      [7, 'kind'],
      [6, 'period'],
    ]);
    expect(err.problems[1].message).toBe('duplicate of row 3: Derby children_in_care 2023 appears in rows 3 and 6');
    expect(errorOf(() => readTidyCsv(bad.join('\n'), 'x.csv')).problems).toEqual(err.problems);
  });
});
