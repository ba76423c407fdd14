/** Writing outputs all-or-nothing, and the option checks the commands share. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkNoGaps, pathsOption, seedOption, toOption, writeAll } from '../../src/cli/common.js';
import { CarecastInputError } from '../../src/data/errors.js';
import type { AnnualSeries } from '../../src/data/schemas.js';

describe('writeAll', () => {
  it('writes every file, text or bytes, and leaves no temporary folder', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'carecast-write-')), 'new', 'out');
    const paths = writeAll(dir, [
      ['a.csv', 'x,y\r\n'],
      ['b.xlsx', new Uint8Array([80, 75, 3, 4])],
    ]);
    expect(paths).toEqual([join(dir, 'a.csv'), join(dir, 'b.xlsx')]);
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'b.xlsx']);
    expect([...readFileSync(join(dir, 'b.xlsx'))]).toEqual([80, 75, 3, 4]);
  });

  it('on a failure part way leaves the folder as it was: earlier files not written, replaced files restored, a created folder removed', () => {
    const root = mkdtempSync(join(tmpdir(), 'carecast-write-fail-'));
    const out = join(root, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'a.csv'), 'old a');
    // the third file cannot be written (its folder does not exist); a.csv and b.svg were staged, a.csv would replace the old one
    const fail = () => writeAll(out, [['a.csv', 'new a'], ['b.svg', '<svg/>'], ['missing/c.xlsx', 'z']]);
    expect(fail).toThrow(CarecastInputError);
    expect(readdirSync(out)).toEqual(['a.csv']);
    expect(readFileSync(join(out, 'a.csv'), 'utf8')).toBe('old a');
    // the folder did not exist: it is not left behind
    const fresh = join(root, 'fresh', 'deeper');
    expect(() => writeAll(fresh, [['a.csv', 'a'], ['missing/c.xlsx', 'z']])).toThrow(/cannot write the outputs there \(ENOENT\)/);
    expect(existsSync(join(root, 'fresh'))).toBe(false);
  });

  it('refuses an --out that is a file, and a file name taken by a folder, before writing anything', () => {
    const root = mkdtempSync(join(tmpdir(), 'carecast-write-out-'));
    writeFileSync(join(root, 'file'), 'x');
    expect(() => writeAll(join(root, 'file'), [['a.csv', 'a']])).toThrow(/\[--out\]: ".*file" is a file, not a folder/);
    mkdirSync(join(root, 'out', 'b.xlsx'), { recursive: true });
    expect(() => writeAll(join(root, 'out'), [['a.csv', 'a'], ['b.xlsx', 'b']])).toThrow(/b\.xlsx" is a folder, so the file cannot be written there/);
    expect(readdirSync(join(root, 'out'))).toEqual(['b.xlsx']);
  });
});

describe('option checks', () => {
  it('--to: after the last observed year, at most 30 years on; default 10 years on', () => {
    expect(toOption(undefined, 2024)).toBe(2034);
    expect(toOption('2054', 2024)).toBe(2054);
    expect(() => toOption('2055', 2024)).toThrow(/give a year from 2025 to 2054/);
    expect(() => toOption('2024', 2024)).toThrow(/must end after the last observed year 2024/);
    expect(() => toOption('soon', 2024)).toThrow(/expected a whole number, got "soon"/);
  });

  it('--paths from 100 to 20,000, --random-seed a whole number from 0', () => {
    expect(pathsOption('2000')).toBe(2000);
    for (const bad of ['0', '99', '20001', '1e9', 'many', '150.5']) expect(() => pathsOption(bad)).toThrow(/--paths/);
    expect(seedOption('0')).toBe(0);
    for (const bad of ['-1', '1.5', 'x', '']) expect(() => seedOption(bad)).toThrow(/--random-seed/);
  });

  it('checkNoGaps names the missing years of the series used', () => {
    const s: AnnualSeries = { area: 'A', measure: 'children_in_care', kind: 'snapshot', unit: 'children', frequency: 'annual', breakdown: {}, points: [2018, 2019, 2022].map((year) => ({ year, value: 1 })) } as AnnualSeries;
    expect(() => checkNoGaps(s, 'f.csv')).toThrow(/f\.csv \[period\]: children_in_care has no rows for 2020, 2021 \(between 2018 and 2022\)/);
    expect(() => checkNoGaps({ ...s, points: s.points.slice(0, 2) }, 'f.csv')).not.toThrow();
  });
});
