import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDfeEes, loadSfrFolder, readSfrFolder } from '../../src/data/loaders/dfeFiles.js';
import { listSfrAreas, readSfrFiles, sfrAllAreas, sfrDataset } from '../../src/data/loaders/sfr.js';
import { datasetToTidyRecords, readTidyCsv, tidyRecordsToCsv } from '../../src/data/loaders/tidy.js';
import { DatasetSchema, type AnnualPoint, type Breakdown, type Dataset } from '../../src/data/schemas.js';
import { EES_FIXTURES, SFR_FIXTURES } from '../helpers/fixtures.js';
import { errorOf } from '../helpers/inputError.js';

// Fixtures: the SFR tables' rows for England, two regions and 18 authorities (test/fixtures/dfe/FIXTURES.md).
const DIR = SFR_FIXTURES;
const panel = loadSfrFolder(DIR);
const derbyshire = sfrDataset(panel, 'Derbyshire');
const england = sfrDataset(panel, 'England');

function series(ds: Dataset, breakdown: Breakdown) {
  const key = JSON.stringify(Object.entries(breakdown).sort());
  const s = ds.series.find((x) => x.measure === 'children_in_care' && JSON.stringify(Object.entries(x.breakdown).sort()) === key);
  if (!s) throw new Error(`no series ${key}`);
  return s;
}
function at(ds: Dataset, breakdown: Breakdown, year: number): AnnualPoint {
  const p = series(ds, breakdown).points.find((x) => x.year === year);
  if (!p) throw new Error(`no ${year}`);
  return p;
}
const value = (ds: Dataset, breakdown: Breakdown, year: number) => at(ds, breakdown, year).value;

describe('readSfrFolder / loadSfrFolder', () => {
  it('finds 2011-2017, with no gap inside that range', () => {
    expect(panel.years).toEqual([2011, 2012, 2013, 2014, 2015, 2016, 2017]);
    expect(panel.missingYears).toEqual([]);
    expect(readSfrFolder(DIR).years).toEqual(panel.years);
  });

  it('reports the columns each year lacks', () => {
    const missing = Object.fromEntries(panel.files.map((f) => [f.year, f.missingColumns]));
    expect(missing[2011]).toEqual([]);
    expect(missing[2014]).toEqual([]);
    expect(missing[2015]).toEqual(['CLA_Miss']);
    expect(missing[2016]).toEqual(['CLA_OthPl']);
    expect(missing[2017]).toEqual(['CLA_Miss']);
  });

  it('lists England, the regions and the authorities (Isles of Scilly only in 2017, with no geog_l)', () => {
    const areas = listSfrAreas(panel);
    expect(areas.filter((a) => a.level === 'national')).toEqual([{ name: 'England', code: 'E92000001', level: 'national' }]);
    // INNER LONDON carries London's code E12000007 in the file; it is given the Inner London code
    expect(areas.filter((a) => a.level === 'region')).toEqual([
      { name: 'East Midlands', code: 'E12000004', level: 'region' },
      { name: 'Inner London', code: 'E13000001', level: 'region' },
    ]);
    expect(areas.filter((a) => a.level === 'local_authority')).toHaveLength(19);
    expect(areas).toContainEqual({ name: 'Derbyshire', code: 'E10000007', oldCode: '830', level: 'local_authority' });
    const scilly = sfrDataset(panel, 'Isles of Scilly');
    expect(series(scilly, {}).points.map((p) => [p.year, p.value])).toEqual([[2017, 0]]);
  });
});

describe('sfrDataset: Derbyshire', () => {
  it('2011: total 660, fostering 484, with provenance', () => {
    expect(at(derbyshire, {}, 2011)).toEqual({
      year: 2011,
      value: 660,
      provenance: { source: 'la_cla_31_march_2011.csv', line: 10, cell: 'CLA_Mar2011' },
    });
    expect(value(derbyshire, { placement: 'fostering' }, 2011)).toBe(484);
    expect(value(derbyshire, { placementType: 'fostering' }, 2011)).toBe(484);
    expect(at(derbyshire, { sfrPlacement: 'fostering' }, 2011).provenance).toEqual({ source: 'la_cla_31_march_2011.csv', line: 10, cell: 'CLA_Fost' });
  });

  it('totals for every year, the 2017 file (LA_order first) read by header name', () => {
    expect(series(derbyshire, {}).points.map((p) => p.value)).toEqual([660, 700, 664, 628, 603, 585, 630]);
    expect(at(derbyshire, {}, 2017).provenance?.line).toBe(11);
  });

  it('groups: residential = Secure + Ocom, other = Ores + RSch + Miss + OthPl; the groups sum to the total', () => {
    // 2011: Secure 52 + Ocom 27; Ores 31 + RSch 8 + Miss 0 + OthPl 0.
    expect(value(derbyshire, { placement: 'residential' }, 2011)).toBe(79);
    expect(value(derbyshire, { placement: 'other' }, 2011)).toBe(39);
    const groups = ['fostering', 'adoption', 'parents', 'residential', 'other'] as const;
    expect(groups.reduce((s, g) => s + (value(derbyshire, { placement: g }, 2011) ?? NaN), 0)).toBe(660);
  });

  it('providers: internal = OwnP + OthLA; ages', () => {
    expect(value(derbyshire, { provider: 'internal' }, 2011)).toBe(525);
    expect(value(derbyshire, { provider: 'private' }, 2011)).toBe(113);
    expect(value(derbyshire, { provider: 'other' }, 2011)).toBe(22);
    expect(['under_1', '1_4', '5_9', '10_15', '16_plus'].map((a) => value(derbyshire, { age: a as 'under_1' }, 2011))).toEqual([40, 133, 110, 228, 149]);
    expect(value(derbyshire, { uasc: 'uasc' }, 2011)).toBe(6);
  });

  it('suppressed cells are null with a bound from the total, never zero', () => {
    // 2015: 603 = 448 + 39 + x + 24 + 41 + 32 + x + 0, so the two x cells hold 19 between them.
    expect(at(derbyshire, { placement: 'parents' }, 2015)).toMatchObject({ value: null, suppressed: { marker: 'x', upper: 19 } });
    expect(at(derbyshire, { sfrPlacement: 'residential_school' }, 2015)).toMatchObject({ value: null, suppressed: { marker: 'x', upper: 19 } });
    // other = Ores 32 + RSch x + OthPl 0: partly suppressed, at most 32 + 19.
    expect(at(derbyshire, { placement: 'other' }, 2015)).toMatchObject({ value: null, suppressed: { marker: 'partly_suppressed', upper: 51 } });
    // UASC has no complete breakdown to bound it.
    expect(at(derbyshire, { uasc: 'uasc' }, 2012)).toMatchObject({ value: null, suppressed: { marker: 'x' } });
    expect(at(derbyshire, { uasc: 'uasc' }, 2012).suppressed?.upper).toBeUndefined();
  });

  it('a column missing from a year is z (not published that year), and groups sum the columns present', () => {
    expect(at(derbyshire, { sfrPlacement: 'missing' }, 2015)).toMatchObject({ value: null, suppressed: { marker: 'z' } });
    expect(at(derbyshire, { sfrPlacement: 'other_placement' }, 2016)).toMatchObject({ value: null, suppressed: { marker: 'z' } });
    expect(value(derbyshire, { placement: 'other' }, 2016)).toBe(16);
  });

  it('gives no placementType for the mixed SFR blocks', () => {
    const types = derbyshire.series.flatMap((s) => (s.breakdown.placementType ? [s.breakdown.placementType] : []));
    expect(types).toEqual(['fostering', 'adoption', 'parents', 'residential_school']);
  });

  it('is a valid dataset and says that 2018 is not in the set', () => {
    expect(DatasetSchema.safeParse(derbyshire).success).toBe(true);
    expect(derbyshire.notes.join(' ')).toMatch(/2018 is not in this set/);
  });
});

describe('England: the column mapping checked against the totals', () => {
  it('2011: 65,520 = 48,530 + 2,450 + 3,970 + 2,460 + 5,890 + 1,050 + 970 + 110 + 90', () => {
    const raw = ['fostering', 'adoption', 'parents', 'other_community', 'secure_homes_semi_independent', 'other_residential', 'residential_school', 'missing', 'other_placement'];
    expect(raw.map((r) => value(england, { sfrPlacement: r }, 2011))).toEqual([48530, 2450, 3970, 2460, 5890, 1050, 970, 110, 90]);
    expect(value(england, {}, 2011)).toBe(65520);
  });

  it('group sums equal the total, or differ by the rounding of national figures to the nearest 10', () => {
    const residual = (dim: 'placement' | 'provider' | 'age', cats: readonly string[]) =>
      panel.years.map((y) => (value(england, {}, y) ?? NaN) - cats.reduce((s, c) => s + (value(england, { [dim]: c } as Breakdown, y) ?? NaN), 0));
    // total minus the sum of the parts, 2011-2017
    expect(residual('placement', ['fostering', 'adoption', 'parents', 'residential', 'other'])).toEqual([0, 0, 10, 0, -10, 0, 10]);
    expect(residual('provider', ['internal', 'private', 'voluntary', 'other'])).toEqual([0, -10, 0, 10, 0, 10, 0]);
    expect(residual('age', ['under_1', '1_4', '5_9', '10_15', '16_plus'])).toEqual([-10, 0, 0, 0, -10, -10, 0]);
  });
});

describe('the 2018 gap', () => {
  it('SFR (2011-2017) + EES (2019) in one tidy file: the gap at 2018 is reported, allowed with allowGaps', () => {
    const ees = loadDfeEes(`${EES_FIXTURES}cla_number_and_rate_per_10k_children_2019_2023.csv`, 'Derbyshire');
    const records = [
      ...datasetToTidyRecords({ ...derbyshire, series: [series(derbyshire, {})] }),
      ...datasetToTidyRecords({ ...ees, series: [ees.series[0]] }),
    ];
    expect(records.map((r) => r.period)).toEqual(['2011', '2012', '2013', '2014', '2015', '2016', '2017', '2019']);
    const csv = tidyRecordsToCsv(records);
    const err = errorOf(() => readTidyCsv(csv, 'derbyshire.csv'));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ row: 9, field: 'period' });
    expect(err.problems[0].message).toMatch(/missing 2018 between 2011 and 2019/);
    const [ds] = readTidyCsv(csv, 'derbyshire.csv', { allowGaps: true });
    expect(ds.series[0].points.map((p) => p.value)).toEqual([660, 700, 664, 628, 603, 585, 630, 801]);
  });

  it('a year missing inside the range is listed in missingYears', () => {
    const files = [2011, 2013].map((y) => {
      const name = `la_cla_31_march_${y}.csv`;
      return { name, text: readFileSync(`${DIR}/${name}`, 'utf8') };
    });
    const p = readSfrFiles(files);
    expect(p.years).toEqual([2011, 2013]);
    expect(p.missingYears).toEqual([2012]);
    expect(sfrDataset(p, '830').notes.join(' ')).toMatch(/No SFR file for 2012/);
  });
});

describe('validation', () => {
  const text2011 = readFileSync(`${DIR}/la_cla_31_march_2011.csv`, 'utf8');

  it('the year in the file name must match the CLA_MarYYYY column', () => {
    const err = errorOf(() => readSfrFiles([{ name: 'la_cla_31_march_2012.csv', text: text2011 }]));
    expect(err.problems[0]).toMatchObject({ source: 'la_cla_31_march_2012.csv', row: 1, field: 'CLA_Mar2011' });
  });

  it('a bad cell in a column carecast reads is reported with file, line and column', () => {
    const lines = text2011.split('\r\n');
    expect(lines[9]).toContain(',830,Derbyshire,660,');
    lines[9] = lines[9].replace(',484,', ',48a,');
    const err = errorOf(() => readSfrFiles([{ name: 'la_cla_31_march_2011.csv', text: lines.join('\r\n') }]));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ source: 'la_cla_31_march_2011.csv', row: 10, field: 'CLA_Fost' });
    expect(err.problems[0].message).toContain('"48a"');
  });

  it('stray text in columns carecast does not read is ignored (2013 #VALUE!)', () => {
    expect(value(england, {}, 2013)).toBe(68110);
  });

  it('unknown area: close names suggested', () => {
    const err = errorOf(() => sfrDataset(panel, 'Derbyshir'));
    expect(err.problems[0].fix).toMatch(/Derbyshire/);
  });
});

describe('sfrAllAreas and tidy export', () => {
  it('every area gives a valid dataset', () => {
    const all = sfrAllAreas(panel);
    expect(all).toHaveLength(panel.areas.length);
    for (const d of all) expect(DatasetSchema.safeParse(d).success).toBe(true);
  });

  it('round-trips through tidy CSV (provenance keeps source and line)', () => {
    const back = readTidyCsv(tidyRecordsToCsv(datasetToTidyRecords(derbyshire)), 'derbyshire.csv');
    expect(back).toHaveLength(1);
    const strip = (ds: Dataset) =>
      ds.series.map((s) => ({ ...s, points: s.points.map((p) => ({ ...p, provenance: { source: p.provenance?.source, line: p.provenance?.line } })) }));
    expect(back[0].series).toEqual(strip(derbyshire));
  });

  it('Barnsley 2012: published age bands exceed the total by 1; noted, and the tidy reader needs partsTolerance', () => {
    const barnsley = sfrDataset(panel, 'Barnsley');
    expect(barnsley.notes.join(' ')).toMatch(/2012 age: published parts sum to 228, 1 more than the total 227/);
    const csv = tidyRecordsToCsv(datasetToTidyRecords(barnsley));
    expect(() => readTidyCsv(csv, 'barnsley.csv')).toThrow(/parts exceed the total/);
    expect(readTidyCsv(csv, 'barnsley.csv', { partsTolerance: 1 })).toHaveLength(1);
  });
});
