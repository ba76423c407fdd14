import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { dfeEesDataset, listAreas, loadDfeEes, readDfeEes } from '../../src/data/loaders/dfeEes.js';
import { DatasetSchema, type Dataset } from '../../src/data/schemas.js';
import { errorOf } from '../helpers/inputError.js';

const DIR = '/work/shared/data/dfe';
const FILE = 'cla_number_and_rate_per_10k_children_2019_2021.csv';
const PATH = `${DIR}/${FILE}`;
const table = readDfeEes(readFileSync(PATH, 'utf8'), FILE);

function pointOf(ds: Dataset, measure: string, year: number) {
  const s = ds.series.find((x) => x.measure === measure && Object.keys(x.breakdown).length === 0);
  return s?.points.find((p) => p.year === year);
}

const HEADER =
  'time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,la_name,new_la_code,population_count,population_estimate,number,rate_per_10000';
const row = (year: number, la: string, label: string, pop: string, n: string, rate: string) =>
  `${year},Reporting year,Local authority,E92000001,England,E12000004,East Midlands,830,${la},E10000007,${label},${pop},${n},${rate}`;

describe('readDfeEes on the published 2019-2021 file', () => {
  it('reads every row (1,512 data rows; the BOM and the quoted names with commas are handled)', () => {
    expect(table.rows).toHaveLength(1512);
    expect(table.years).toEqual([2019, 2020, 2021]);
    expect(table.rows[0].line).toBe(2);
  });

  it('Derbyshire 2021: CiC 899, started 375, ceased 343, population 151,111, rate 59', () => {
    const ds = dfeEesDataset(table, 'Derbyshire');
    expect(pointOf(ds, 'children_in_care', 2021)).toEqual({ year: 2021, value: 899, provenance: { source: FILE, line: 207 } });
    expect(pointOf(ds, 'started', 2021)?.value).toBe(375);
    expect(pointOf(ds, 'ceased', 2021)?.value).toBe(343);
    expect(pointOf(ds, 'population_0_17', 2021)?.value).toBe(151111);
    expect(pointOf(ds, 'rate_per_10k', 2021)?.value).toBe(59);
    expect(ds.area).toEqual({ name: 'Derbyshire', code: 'E10000007', oldCode: '830', level: 'local_authority' });
    expect(ds.series.map((s) => [s.measure, s.kind, s.unit])).toEqual([
      ['children_in_care', 'snapshot', 'children'],
      ['started', 'flow', 'children'],
      ['ceased', 'flow', 'children'],
      ['population_0_17', 'snapshot', 'children'],
      ['rate_per_10k', 'rate', 'per_10k'],
    ]);
    for (const s of ds.series) expect(s.points.map((p) => p.year)).toEqual([2019, 2020, 2021]);
    expect(DatasetSchema.safeParse(ds).success).toBe(true);
  });

  it('Derby is Derby, not Derbyshire: 2020 CiC 588', () => {
    const ds = dfeEesDataset(table, 'derby');
    expect(ds.area.name).toBe('Derby');
    expect(pointOf(ds, 'children_in_care', 2020)?.value).toBe(588);
  });

  it('finds areas by ONS code and by DfE code', () => {
    expect(dfeEesDataset(table, 'E10000007').area.name).toBe('Derbyshire');
    expect(dfeEesDataset(table, '830').area.name).toBe('Derbyshire');
    expect(dfeEesDataset(table, 'e06000015').area.name).toBe('Derby');
  });

  it('reads England and the regions', () => {
    const eng = dfeEesDataset(table, 'England');
    expect(eng.area.level).toBe('national');
    expect(pointOf(eng, 'children_in_care', 2021)?.value).toBe(80770);
    expect(pointOf(eng, 'population_0_17', 2021)?.value).toBe(11787794);
    const ne = dfeEesDataset(table, 'North East');
    expect(ne.area).toMatchObject({ level: 'region', code: 'E12000001' });
    expect(pointOf(ne, 'children_in_care', 2021)?.value).toBe(5790);
    expect(dfeEesDataset(table, 'inner london').area.code).toBe('E13000001');
  });

  it('reads the quoted names that split into 15 fields on a naive comma split', () => {
    const lines = readFileSync(PATH, 'utf8').split('\r\n');
    expect(lines.filter((l) => l.split(',').length === 15)).toHaveLength(36);
    expect(pointOf(dfeEesDataset(table, 'Bristol, City of'), 'children_in_care', 2021)?.value).toBe(633);
    expect(pointOf(dfeEesDataset(table, 'Kingston upon Hull, City of'), 'children_in_care', 2021)?.value).toBe(947);
  });

  it('keeps suppressed and not-applicable cells as null with their marker', () => {
    const scilly = dfeEesDataset(table, 'Isles of Scilly');
    expect(pointOf(scilly, 'children_in_care', 2020)).toMatchObject({ value: null, suppressed: { marker: 'c' } });
    expect(pointOf(scilly, 'children_in_care', 2021)?.value).toBe(0);
    const bournemouth = dfeEesDataset(table, 'Bournemouth');
    expect(pointOf(bournemouth, 'children_in_care', 2019)?.value).toBe(248);
    expect(pointOf(bournemouth, 'population_0_17', 2019)).toMatchObject({ value: null, suppressed: { marker: 'x' } });
    expect(pointOf(bournemouth, 'children_in_care', 2021)).toMatchObject({ value: null, suppressed: { marker: 'z' } });
  });

  it('lists areas with their codes and levels', () => {
    const areas = listAreas(table);
    expect(areas.filter((a) => a.level === 'national')).toHaveLength(1);
    expect(areas.filter((a) => a.level === 'region')).toHaveLength(11);
    expect(areas.filter((a) => a.level === 'local_authority')).toHaveLength(156);
    expect(areas).toContainEqual({ name: 'Derbyshire', code: 'E10000007', oldCode: '830', level: 'local_authority' });
  });
});

describe('area look-up errors', () => {
  it('suggests Derbyshire for "derbys"', () => {
    const err = errorOf(() => dfeEesDataset(table, 'derbys'));
    expect(err.problems[0].field).toBe('la');
    expect(err.problems[0].message).toContain('"derbys"');
    expect(err.problems[0].fix).toMatch(/did you mean "Derbyshire"/);
  });

  it('reports an ambiguous name (Dorset before and after the 2019 reorganisation) with its codes', () => {
    const err = errorOf(() => dfeEesDataset(table, 'Dorset'));
    expect(err.message).toContain('E06000059');
    expect(err.message).toContain('E10000009');
    const unitary = dfeEesDataset(table, 'E06000059');
    expect(pointOf(unitary, 'children_in_care', 2021)?.value).toBe(450);
    const county = dfeEesDataset(table, '835');
    expect(pointOf(county, 'children_in_care', 2019)?.value).toBe(414);
    expect(pointOf(county, 'population_0_17', 2019)).toMatchObject({ value: null, suppressed: { marker: 'x' } });
    expect(pointOf(county, 'rate_per_10k', 2019)).toMatchObject({ value: null, suppressed: { marker: 'x' } });
    expect(pointOf(county, 'children_in_care', 2021)).toMatchObject({ value: null, suppressed: { marker: 'z' } });
  });
});

describe('validation of EES text', () => {
  const ok = [
    HEADER,
    row(2021, 'Derbyshire', 'Children looked after at 31 March each year', '151111', '899', '59'),
    row(2021, 'Derbyshire', 'Children starting to be looked after each year', '151111', '375', '25'),
  ];

  it('reads a minimal valid file', () => {
    const t = readDfeEes(ok.join('\n'), 'mini.csv');
    expect(pointOf(dfeEesDataset(t, 'Derbyshire'), 'started', 2021)).toEqual({ year: 2021, value: 375, provenance: { source: 'mini.csv', line: 3 } });
  });

  it('names both rows of a duplicate (area, measure, year)', () => {
    const text = [...ok, row(2021, 'Derbyshire', 'Children looked after at 31 March each year', '151111', '900', '59')].join('\n');
    const err = errorOf(() => readDfeEes(text, 'dup.csv'));
    expect(err.problems[0].row).toBe(4);
    expect(err.problems[0].message).toMatch(/lines 2 and 4/);
  });

  it('collects every bad cell with its row and field', () => {
    const text = [
      HEADER,
      row(2021, 'Derbyshire', 'Children looked after at 31 March each year', '151111', 'lots', '59'),
      row(2021, 'Derbyshire', 'Children starting to be looked after each year', '151111', '37.5', '25'),
      row(2021, 'Derbyshire', 'Children ceasing to be looked after each year', '151111', '-3', '2x'),
    ].join('\n');
    const err = errorOf(() => readDfeEes(text, 'bad.csv'));
    expect(err.problems.map((p) => [p.row, p.field])).toEqual([
      [2, 'number'],
      [3, 'number'],
      [4, 'number'],
      [4, 'rate_per_10000'],
    ]);
    expect(err.problems[0].message).toContain('"lots"');
  });

  it('reports an unquoted name containing a comma as a field-count problem', () => {
    const text = [HEADER, row(2021, 'Bristol, City of', 'Children looked after at 31 March each year', '92975', '633', '68')].join('\n');
    const err = errorOf(() => readDfeEes(text, 'bristol.csv'));
    expect(err.problems[0]).toMatchObject({ row: 2 });
    expect(err.problems[0].message).toMatch(/15 fields, the header has 14/);
    expect(err.problems[0].fix).toMatch(/quoted/);
  });

  it('reports unknown labels and population that disagrees between rows', () => {
    const text = [
      HEADER,
      row(2021, 'Derbyshire', 'Children looked after at 31 March each year', '151111', '899', '59'),
      row(2021, 'Derbyshire', 'Children starting to be looked after each year', '150000', '375', '25'),
      row(2021, 'Derbyshire', 'Children adopted last Tuesday', '151111', '3', '0'),
    ].join('\n');
    const err = errorOf(() => readDfeEes(text, 'x.csv'));
    expect(err.problems.map((p) => [p.row, p.field])).toEqual([
      [3, 'population_estimate'],
      [4, 'population_count'],
    ]);
  });

  it('reports missing columns', () => {
    const err = errorOf(() => readDfeEes('time_period,geographic_level\n2021,National\n', 'x.csv'));
    expect(err.problems.map((p) => p.field)).toContain('number');
  });
});

describe('loadDfeEes', () => {
  it('loads from disk with the file base name as provenance', () => {
    const ds = loadDfeEes(PATH, 'Derbyshire');
    expect(pointOf(ds, 'children_in_care', 2021)?.provenance).toEqual({ source: FILE, line: 207 });
  });

  it('also reads the England time series 1994-2021 (no population or rate columns)', () => {
    const ds = loadDfeEes(`${DIR}/cla_time_series_1994_2021.csv`, 'England');
    expect(pointOf(ds, 'children_in_care', 2021)?.value).toBe(80780);
    const uasc = ds.series.find((s) => s.breakdown.uasc === 'uasc');
    expect(uasc?.points).toHaveLength(28);
    expect(uasc?.points.find((p) => p.year === 2003)).toMatchObject({ value: null, suppressed: { marker: 'x' } });
    expect(ds.series.some((s) => s.measure === 'population_0_17')).toBe(false);
  });

  it('turns a missing file into a CarecastInputError', () => {
    expect(() => loadDfeEes(`${DIR}/nope.csv`, 'Derby')).toThrow(CarecastInputError);
  });
});
