/** CSV writing: quoting, formula-injection neutralisation, reversibility. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, neutraliseCsvText, restoreCsvText, toCsv } from '../../src/data/csvFormat.js';

describe('csv writing', () => {
  it('neutralises formulas but not numbers', () => {
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+44 1332')).toBe("'+44 1332");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-x')).toBe("'-x");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell('-5')).toBe('-5');
    expect(csvCell('Bristol, City of')).toBe('"Bristol, City of"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });
  it('neutralisation is exactly reversible', () => {
    fc.assert(fc.property(fc.string(), (s) => restoreCsvText(neutraliseCsvText(s)) === s));
  });
  it('writes a header and CRLF rows', () => {
    expect(toCsv([{ year: 2024, value: 1057 }, { year: 2025, note: '=x' }])).toBe('year,value,note\r\n2024,1057,\r\n2025,,\'=x\r\n');
  });
});
