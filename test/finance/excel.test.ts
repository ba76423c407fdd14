/** Excel workbook: sheets, numbers as numbers, currency format, formula neutralisation; read back with exceljs. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { buildWorkbook, CURRENCY_FORMAT, writeWorkbook } from '../../src/output/excel.js';

describe('writeWorkbook', () => {
  it('round-trips through exceljs', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'carecast-xlsx-')), 'book.xlsx');
    await writeWorkbook(
      [
        { name: 'Costs', rows: [{ year: 2026, group: '=cmd|/c calc', p50: 1234567.89, ok: true }, { year: 2027, group: '-5', p50: null }], currencyColumns: ['p50'] },
        { name: 'Other', rows: [{ a: '@SUM(A1)', b: '+1+1', c: 'plain' }] },
      ],
      [{ item: 'weeks per year', value: 52.18, unit: 'weeks', note: 'x' }],
      path,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Costs', 'Other', 'Assumptions']);
    const costs = wb.getWorksheet('Costs');
    if (!costs) throw new Error('no sheet');
    expect(costs.getRow(1).values).toEqual([undefined, 'year', 'group', 'p50', 'ok']);
    expect(costs.getCell('A2').value).toBe(2026);
    expect(costs.getCell('B2').value).toBe("'=cmd|/c calc");
    expect(costs.getCell('B2').type).toBe(ExcelJS.ValueType.String);
    expect(costs.getCell('B3').value).toBe('-5');
    expect(costs.getCell('C2').value).toBe(1234567.89);
    expect(costs.getCell('C2').numFmt).toBe(CURRENCY_FORMAT);
    expect(costs.getCell('D2').value).toBe(true);
    expect(costs.getCell('C3').value).toBeNull();
    const other = wb.getWorksheet('Other');
    expect(other?.getCell('A2').value).toBe("'@SUM(A1)");
    expect(other?.getCell('B2').value).toBe("'+1+1");
    expect(other?.getCell('C2').value).toBe('plain');
    const a = wb.getWorksheet('Assumptions');
    expect(a?.getCell('B2').value).toBe(52.18);
    expect(a?.getCell('A2').value).toBe('weeks per year');
  });

  it('rejects sheet names Excel does not allow, repeats, and unknown currency columns', async () => {
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
    expect((await err(buildWorkbook([{ name: 'A', rows: [{ x: 1 }], currencyColumns: ['y'] }], []))).problems[0].field).toBe('tables[0].currencyColumns');
    expect((await buildWorkbook([{ name: 'A', rows: [] }], [])).worksheets.map((w) => w.name)).toEqual(['A', 'Assumptions']);
    expect(await err(buildWorkbook([{ name: 'a/b', rows: [] }], []))).toBeInstanceOf(CarecastInputError);
  });
});
