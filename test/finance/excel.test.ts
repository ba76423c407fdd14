/** Excel workbook: sheets, numbers as numbers with a format each, widths from content, text as text; read back with exceljs. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { buildWorkbook, COUNT_FORMAT, CURRENCY_FORMAT, writeWorkbook } from '../../src/output/excel.js';

async function readBack(path: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

function sheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  return ws;
}

describe('writeWorkbook', () => {
  it('round-trips through exceljs: text as text cells (no prefix, no formula), numbers with formats, widths that fit', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'carecast-xlsx-')), 'book.xlsx');
    await writeWorkbook(
      [
        { name: 'Costs', rows: [{ year: 2026, group: '=cmd|/c calc', p50: 258618542.4, ok: true, share: 0.25 }, { year: 2027, group: '-5', p50: null, share: 1 / 3 }], currencyColumns: ['p50'] },
        { name: 'Other', rows: [{ a: '@SUM(A1)', b: '+2 in-house homes of 4 beds in 2027', c: 'plain', n: 322 }] },
      ],
      [
        { item: 'weeks per year', value: 52.18, unit: 'weeks', note: 'x' },
        { item: 'weekly cost: a', value: 460.97, unit: 'GBP per week' },
        { item: 'inflation', value: 0.03, unit: 'per year' },
      ],
      path,
      { caveats: ['Bands are wide.'] },
    );
    const wb = await readBack(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Costs', 'Other', 'Assumptions', 'Caveats']);
    const costs = sheet(wb, 'Costs');
    expect(costs.getRow(1).values).toEqual([undefined, 'year', 'group', 'p50', 'ok', 'share']);
    expect(costs.getCell('A2').value).toBe(2026);
    expect(costs.getCell('A2').numFmt).toBe('0'); // a year: no thousands separator
    // text that looks like a formula is a text cell, written as it is
    expect(costs.getCell('B2').value).toBe('=cmd|/c calc');
    expect(costs.getCell('B2').type).toBe(ExcelJS.ValueType.String);
    expect(costs.getCell('B2').formula).toBeUndefined();
    expect(costs.getCell('B3').value).toBe('-5');
    expect(costs.getCell('C2').value).toBe(258618542.4);
    expect(costs.getCell('C2').numFmt).toBe(CURRENCY_FORMAT);
    // £258,618,542 is 12 characters: the column is wider than that, so Excel shows it rather than ####
    expect(costs.getColumn(3).width).toBeGreaterThanOrEqual('£258,618,542'.length + 1);
    expect(costs.getCell('D2').value).toBe(true);
    expect(costs.getCell('C3').value).toBeNull();
    expect(costs.getCell('E3').numFmt).toBe('#,##0.00');
    const other = sheet(wb, 'Other');
    expect(other.getCell('A2').value).toBe('@SUM(A1)');
    expect(other.getCell('B2').value).toBe('+2 in-house homes of 4 beds in 2027');
    expect(other.getCell('B2').type).toBe(ExcelJS.ValueType.String);
    expect(other.getColumn(2).width).toBeGreaterThanOrEqual('+2 in-house homes of 4 beds in 2027'.length);
    expect(other.getCell('C2').value).toBe('plain');
    expect(other.getCell('D2').numFmt).toBe(COUNT_FORMAT);
    const a = sheet(wb, 'Assumptions');
    expect(a.getCell('A2').value).toBe('weeks per year');
    expect(a.getCell('B2').value).toBe(52.18);
    expect(a.getCell('B2').numFmt).toBe('#,##0.00');
    expect(a.getCell('B3').numFmt).toBe('£#,##0.00');
    expect(a.getCell('B4').numFmt).toBe('0.0%');
    const cav = sheet(wb, 'Caveats');
    expect(cav.getCell('A2').value).toBe(1);
    expect(cav.getCell('B2').value).toBe('Bands are wide.');
  });

  it('formats money and counts by row where a table mixes them, and puts notes above the header', async () => {
    const wb = await buildWorkbook(
      [
        {
          name: 'Mixed',
          rows: [
            { measure: 'cost', unit: 'gbp', p50: 1234567.8 },
            { measure: 'occupancy', unit: 'children', p50: 322.4 },
          ],
          currencyColumns: ['p50'],
          unitColumn: 'unit',
          notes: ['Title line', 'second line'],
        },
      ],
      [],
    );
    const ws = sheet(wb, 'Mixed');
    expect(ws.getCell('A1').value).toBe('Title line');
    expect(ws.getRow(4).values).toEqual([undefined, 'measure', 'unit', 'p50']);
    expect(ws.getCell('C5').numFmt).toBe(CURRENCY_FORMAT);
    expect(ws.getCell('C6').numFmt).toBe(COUNT_FORMAT); // 322 places, never £322
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    // no caveats given: the sheet is there and says so
    const cav = sheet(wb, 'Caveats');
    expect(String(cav.getCell('B2').value)).toMatch(/No caveats/);
  });

  it('rejects sheet names Excel does not allow, repeats, and columns that are not columns', async () => {
    const err = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        return e as CarecastInputError;
      }
      throw new Error('no error');
    };
    expect((await err(buildWorkbook([{ name: 'a/b', rows: [] }], []))).problems[0].field).toBe('tables[0].name');
    expect((await err(buildWorkbook([{ name: 'x'.repeat(32), rows: [] }], []))).problems[0].field).toBe('tables[0].name');
    expect((await err(buildWorkbook([{ name: 'A', rows: [] }, { name: 'a', rows: [] }], []))).problems[0].field).toBe('tables[1].name');
    expect((await err(buildWorkbook([{ name: 'assumptions', rows: [] }], []))).problems[0].field).toBe('tables[0].name');
    expect((await err(buildWorkbook([{ name: 'caveats', rows: [] }], []))).problems[0].field).toBe('tables[0].name');
    expect((await err(buildWorkbook([{ name: 'A', rows: [{ x: 1 }], currencyColumns: ['y'] }], []))).problems[0].field).toBe('tables[0].currencyColumns');
    expect((await err(buildWorkbook([{ name: 'A', rows: [{ x: 1 }], unitColumn: 'u' }], []))).problems[0].field).toBe('tables[0].unitColumn');
    expect((await err(buildWorkbook([{ name: 'A', rows: [{ x: 1 }], numberFormats: { y: '0' } }], []))).problems[0].field).toBe('tables[0].numberFormats');
    expect((await buildWorkbook([{ name: 'A', rows: [] }], [])).worksheets.map((w) => w.name)).toEqual(['A', 'Assumptions', 'Caveats']);
    expect(await err(buildWorkbook([{ name: 'a/b', rows: [] }], []))).toBeInstanceOf(CarecastInputError);
  });
});
