import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { dfeEesDataset, dfeEesMeasureOf, listAreas, readDfeEes } from '../../src/data/loaders/dfeEes.js';
import { loadDfeEes } from '../../src/data/loaders/dfeFiles.js';
import { DatasetSchema, type Dataset } from '../../src/data/schemas.js';
import { EES_FIXTURES, fixtureText } from '../helpers/fixtures.js';
import { errorOf } from '../helpers/inputError.js';

// Fixtures cut from the 2024 publication (test/fixtures/dfe/FIXTURES.md lists the rows kept).
const FILE = 'cla_number_and_rate_per_10k_children_2020_2024.csv';
const PATH = `${EES_FIXTURES}${FILE}`;
const TEXT = fixtureText(PATH);
const table = readDfeEes(TEXT, FILE);
const OLD = 'cla_number_and_rate_per_10k_children_2019_2023.csv';
const old = readDfeEes(fixtureText(`${EES_FIXTURES}${OLD}`), OLD);

function pointOf(ds: Dataset, measure: string, year: number) {
  const s = ds.series.find((x) => x.measure === measure && Object.keys(x.breakdown).length === 0);
  return s?.points.find((p) => p.year === year);
}
const values = (ds: Dataset, measure: string) => ds.series.find((x) => x.measure === measure && Object.keys(x.breakdown).length === 0)?.points.map((p) => p.value ?? p.suppressed?.marker);

const HEADER =
  'time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,la_name,new_la_code,population_count,population_estimate,number,rate_per_10000';
const row = (year: number, la: string, label: string, pop: string, n: string, rate: string) =>
  `${year},Reporting year,Local authority,E92000001,England,E12000004,East Midlands,830,${la},E10000007,${label},${pop},${n},${rate}`;

describe('readDfeEes on the 2024 publication (fixture)', () => {
  it('reads every row (the BOM, CRLF and the quoted names with commas are handled)', () => {
    // England, 2 regions and 16 of the 19 authorities (835, 836, 837 are not in the 2024 publication): 19 areas x 3 measures x 5 years
    expect(table.rows).toHaveLength(285);
    expect(table.years).toEqual([2020, 2021, 2022, 2023, 2024]);
    expect(table.rows[0].line).toBe(2);
    expect(TEXT.charCodeAt(0)).toBe(0xfeff);
    // Bournemouth, Christchurch and Poole is quoted: 15 fields on a naive comma split
    expect(TEXT.split('\r\n').filter((l) => l.split(',').length === 15)).toHaveLength(15);
    expect(pointOf(dfeEesDataset(table, 'Bournemouth, Christchurch and Poole'), 'children_in_care', 2024)?.value).toBe(546);
  });

  it('Derby 2024: CiC 598, started 233, ceased 260, population 60,058, rate 100, each with its line', () => {
    const ds = dfeEesDataset(table, 'Derby');
    expect(pointOf(ds, 'children_in_care', 2024)).toEqual({ year: 2024, value: 598, provenance: { source: FILE, line: 30 } });
    expect(pointOf(ds, 'started', 2024)?.value).toBe(233);
    expect(pointOf(ds, 'ceased', 2024)?.value).toBe(260);
    expect(pointOf(ds, 'population_0_17', 2024)?.value).toBe(60058);
    expect(pointOf(ds, 'rate_per_10k', 2024)?.value).toBe(100);
    expect(values(ds, 'children_in_care')).toEqual([588, 642, 627, 620, 598]);
    expect(ds.area).toEqual({ name: 'Derby', code: 'E06000015', oldCode: '831', level: 'local_authority' });
    expect(ds.series.map((s) => [s.measure, s.kind, s.unit])).toEqual([
      ['children_in_care', 'snapshot', 'children'],
      ['started', 'flow', 'children'],
      ['ceased', 'flow', 'children'],
      ['population_0_17', 'snapshot', 'children'],
      ['rate_per_10k', 'rate', 'per_10k'],
    ]);
    expect(DatasetSchema.safeParse(ds).success).toBe(true);
  });

  it('Derbyshire (not Derby): 862, 899, 912, 996, 1057', () => {
    expect(values(dfeEesDataset(table, 'derbyshire'), 'children_in_care')).toEqual([862, 899, 912, 996, 1057]);
    expect(dfeEesDataset(table, 'E10000007').area.name).toBe('Derbyshire');
    expect(dfeEesDataset(table, '830').area.name).toBe('Derbyshire');
    expect(dfeEesDataset(table, 'e06000015').area.name).toBe('Derby');
  });

  it('reads England and the regions: England 2023 = 83,760 in the 2024 publication (83,840 in the 2023 one)', () => {
    const eng = dfeEesDataset(table, 'England');
    expect(eng.area.level).toBe('national');
    expect(values(eng, 'children_in_care')).toEqual([80000, 80780, 82090, 83760, 83630]);
    expect(pointOf(eng, 'population_0_17', 2024)?.value).toBe(11998646);
    expect(pointOf(dfeEesDataset(old, 'England'), 'children_in_care', 2023)?.value).toBe(83840);
    const em = dfeEesDataset(table, 'East Midlands');
    expect(em.area).toMatchObject({ level: 'region', code: 'E12000004' });
    expect(pointOf(em, 'children_in_care', 2024)?.value).toBe(6570);
    expect(dfeEesDataset(table, 'inner london').area.code).toBe('E13000001');
  });

  it('keeps suppressed and not-applicable cells as null with their marker, never zero', () => {
    const scilly = dfeEesDataset(table, 'Isles of Scilly');
    expect(pointOf(scilly, 'children_in_care', 2020)).toMatchObject({ value: null, suppressed: { marker: 'c' } });
    expect(pointOf(scilly, 'children_in_care', 2021)?.value).toBe(0);
    const cumberland = dfeEesDataset(table, 'Cumberland');
    expect(values(cumberland, 'children_in_care')).toEqual(['z', 'z', 'z', 'z', 482]);
    expect(pointOf(cumberland, 'population_0_17', 2023)).toMatchObject({ value: null, suppressed: { marker: 'x' } });
    expect(values(dfeEesDataset(table, 'Northamptonshire'), 'children_in_care')).toEqual([1157, 1144, 'z', 'z', 'z']);
  });

  it('lists areas with their codes and levels; North Yorkshire has its new ONS code for every year', () => {
    const areas = listAreas(table);
    expect(areas.filter((a) => a.level === 'national')).toHaveLength(1);
    expect(areas.filter((a) => a.level === 'region')).toHaveLength(2);
    expect(areas.filter((a) => a.level === 'local_authority')).toHaveLength(16);
    expect(areas).toContainEqual({ name: 'North Yorkshire', code: 'E06000065', oldCode: '815', level: 'local_authority' });
    // the 2023 publication has the old code, 2023 included
    expect(dfeEesDataset(old, '815').area.code).toBe('E10000023');
    expect(pointOf(dfeEesDataset(old, '815'), 'children_in_care', 2023)?.value).toBe(464);
    expect(pointOf(dfeEesDataset(table, '815'), 'children_in_care', 2023)?.value).toBe(463);
  });
});

describe('area look-up errors', () => {
  it('suggests Derbyshire for "derbys", at most three names', () => {
    const err = errorOf(() => dfeEesDataset(table, 'derbys'));
    expect(err.problems[0].field).toBe('la');
    expect(err.problems[0].message).toContain('"derbys"');
    expect(err.problems[0].fix).toMatch(/did you mean "Derbyshire"/);
    const north = errorOf(() => dfeEesDataset(table, 'North'));
    expect((north.problems[0].fix ?? '').match(/"[^"]+"/g)?.length).toBeLessThanOrEqual(3);
  });

  it('reports an ambiguous name (Dorset before and after the 2019 reorganisation) with its codes', () => {
    const err = errorOf(() => dfeEesDataset(old, 'Dorset'));
    expect(err.message).toContain('E06000059');
    expect(err.message).toContain('E10000009');
    expect(err.problems[0].fix).toMatch(/838|835/);
    expect(pointOf(dfeEesDataset(old, '835'), 'children_in_care', 2019)?.value).toBe(414);
    expect(pointOf(dfeEesDataset(old, '835'), 'population_0_17', 2019)).toMatchObject({ value: null, suppressed: { marker: 'x' } });
    expect(pointOf(dfeEesDataset(old, '835'), 'children_in_care', 2020)).toMatchObject({ value: null, suppressed: { marker: 'z' } });
    expect(pointOf(dfeEesDataset(old, 'E06000059'), 'children_in_care', 2023)?.value).toBe(435);
  });
});

describe('both column vintages, read on meaning', () => {
  it('population_type / children_count / "on 31 March" / "during the year" give the same table', () => {
    const lines = TEXT.split('\r\n');
    const renamed = [
      lines[0].replace('population_count', 'population_type').replace(',number,', ',children_count,'),
      ...lines.slice(1).map((l) =>
        l
          .replace('Children looked after at 31 March each year', 'Children looked after on 31 March')
          .replace('Children starting to be looked after each year', 'Children starting to be looked after during the year')
          .replace('Children ceasing to be looked after each year', 'Children ceasing to be looked after in the year'),
      ),
    ].join('\r\n');
    const other = readDfeEes(renamed, FILE);
    expect(other.rows.map((r) => [r.year, r.areaIndex, r.measure, r.number, r.population, r.rate, r.line])).toEqual(table.rows.map((r) => [r.year, r.areaIndex, r.measure, r.number, r.population, r.rate, r.line]));
    expect(other.rows[0].label).toBe('Children ceasing to be looked after in the year');
  });

  it('bracketed markers ([c], [x], [z]) read as c, x, z', () => {
    const bracketed = TEXT.replace(/,c(?=,|\r)/g, ',[c]').replace(/,z(?=,|\r)/g, ',[z]').replace(/,x(?=,|\r)/g, ',[x]');
    expect(bracketed).not.toBe(TEXT);
    expect(readDfeEes(bracketed, FILE).rows).toEqual(table.rows);
  });

  it('dfeEesMeasureOf: the labels DfE has used', () => {
    expect(dfeEesMeasureOf('Children looked after at 31 March each year')?.measure).toBe('children_in_care');
    expect(dfeEesMeasureOf('children looked after on 31 March')?.measure).toBe('children_in_care');
    expect(dfeEesMeasureOf('Children starting to be looked after during the year')).toEqual({ measure: 'started', kind: 'flow', breakdown: {} });
    expect(dfeEesMeasureOf('Children who ceased to be looked after in the year')?.measure).toBe('ceased');
    expect(dfeEesMeasureOf('Children looked after on 31 March who were unaccompanied asylum-seeking children')?.breakdown).toEqual({ uasc: 'uasc' });
    expect(dfeEesMeasureOf('Children adopted last Tuesday')).toBeUndefined();
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

  it('names both rows of a duplicate (area, measure, year), also across wordings', () => {
    const text = [...ok, row(2021, 'Derbyshire', 'Children looked after on 31 March', '151111', '900', '59')].join('\n');
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
    expect(pointOf(ds, 'children_in_care', 2021)?.provenance).toEqual({ source: FILE, line: 210 });
  });

  it('also reads the England time series 1994-2024 (no population or rate columns)', () => {
    const ds = loadDfeEes(`${EES_FIXTURES}cla_time_series_1994_2024.csv`, 'England');
    expect(pointOf(ds, 'children_in_care', 2021)?.value).toBe(80780);
    expect(pointOf(ds, 'children_in_care', 2024)?.value).toBe(83630);
    const uasc = ds.series.find((s) => s.breakdown.uasc === 'uasc');
    expect(uasc?.points).toHaveLength(31);
    expect(uasc?.points.filter((p) => p.suppressed?.marker === 'x').map((p) => p.year)).toEqual([1994, 1995, 1996, 1997, 1998, 1999, 2000, 2001, 2002, 2003]);
    expect(uasc?.points.find((p) => p.year === 2024)?.value).toBe(7380);
    expect(ds.series.find((s) => s.measure === 'adopted')?.points.find((p) => p.year === 2024)?.value).toBe(2980);
    expect(ds.series.some((s) => s.measure === 'population_0_17')).toBe(false);
  });

  it('turns a missing file into a CarecastInputError', () => {
    expect(() => loadDfeEes(`${EES_FIXTURES}nope.csv`, 'Derby')).toThrow(CarecastInputError);
  });
});
