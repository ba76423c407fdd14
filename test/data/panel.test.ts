import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { readDfeEes } from '../../src/data/loaders/dfeEes.js';
import { readSfrFiles } from '../../src/data/loaders/sfr.js';
import { loadSfrFolder } from '../../src/data/loaders/dfeFiles.js';
import { dfePanelFrom, loadDfePanel, mergeAnnualSeries } from '../../src/data/panel.js';
import { AnnualSeriesSchema, type AnnualPoint, type AnnualSeries } from '../../src/data/schemas.js';
import { forecast } from '../../src/project/forecast.js';
import { errorOf } from '../helpers/inputError.js';

const DIR = '/work/shared/data/dfe';
const SFR_DIR = `${DIR}/sfr_la_cla_2011_2017`;
const EES = 'cla_number_and_rate_per_10k_children_2019_2021.csv';
const panel = loadDfePanel({ sfrDir: SFR_DIR, eesFile: `${DIR}/${EES}` });

const values = (s: AnnualSeries | undefined) => s?.points.map((p) => [p.year, p.value]);

function cic(area: string, source: string, pts: readonly (readonly [number, number | null])[], line0 = 2): AnnualSeries {
  return {
    frequency: 'annual',
    measure: 'children_in_care',
    kind: 'snapshot',
    unit: 'children',
    breakdown: {},
    area,
    points: pts.map(([year, value], i): AnnualPoint => ({ year, value, provenance: { source, line: line0 + i } })),
  };
}

describe('loadDfePanel on the project data (SFR 2011-2017 + EES 2019-2021)', () => {
  it('covers 2011-2021 with 2018 reported missing and left out of every series', () => {
    expect(panel.years).toEqual([2011, 2012, 2013, 2014, 2015, 2016, 2017, 2019, 2020, 2021]);
    expect(panel.missingYears).toEqual([2018]);
    for (const s of panel.series.values()) expect(s.childrenInCare.points.some((p) => p.year === 2018)).toBe(false);
    expect(panel.notes.some((n) => /No source covers 2018/.test(n))).toBe(true);
  });

  it('holds 154 local authorities (152 in both sources + BCP and the new Dorset), and no England or regions', () => {
    expect(panel.areas).toHaveLength(154);
    expect(panel.series.size).toBe(154);
    expect(panel.areas.every((a) => a.level === 'local_authority')).toBe(true);
    const names = panel.areas.map((a) => a.name);
    for (const n of ['England', 'East Midlands', 'North East', 'Inner London', 'South West']) expect(names).not.toContain(n);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    for (const a of panel.areas) {
      const s = panel.series.get(a.name);
      expect(s?.childrenInCare.area).toBe(a.name);
      expect(AnnualSeriesSchema.safeParse(s?.childrenInCare).success).toBe(true);
    }
    expect(panel.notes.some((n) => /152 authorities are in both sources: 149 matched on the ONS code, 3 on the DfE code, 0 on the name/.test(n))).toBe(true);
  });

  it('Derbyshire: 660 700 664 628 603 585 630 (SFR), 801 862 899 (EES), each point with file, line and column', () => {
    const s = panel.series.get('Derbyshire')!;
    expect(values(s.childrenInCare)).toEqual([
      [2011, 660],
      [2012, 700],
      [2013, 664],
      [2014, 628],
      [2015, 603],
      [2016, 585],
      [2017, 630],
      [2019, 801],
      [2020, 862],
      [2021, 899],
    ]);
    expect(s.childrenInCare.points[0].provenance).toMatchObject({ source: 'la_cla_31_march_2011.csv', cell: 'CLA_Mar2011' });
    expect(s.childrenInCare.points.at(-1)).toEqual({ year: 2021, value: 899, provenance: { source: EES, line: 207, cell: 'number' } });
    expect(panel.areas.find((a) => a.name === 'Derbyshire')).toEqual({ name: 'Derbyshire', level: 'local_authority', code: 'E10000007', oldCode: '830' });
    // Flows and population: EES years only.
    expect(s.started?.points.find((p) => p.year === 2021)?.value).toBe(375);
    expect(s.ceased?.points.find((p) => p.year === 2021)?.value).toBe(343);
    expect(s.population?.points.find((p) => p.year === 2021)).toMatchObject({ value: 151111, provenance: { source: EES, line: 207, cell: 'population_estimate' } });
    expect(s.started?.points.map((p) => p.year)).toEqual([2019, 2020, 2021]);
    expect(s.started?.kind).toBe('flow');
  });

  it('Derby is not Derbyshire: 461 in 2011, 448 in 2017, then 562, 588, 642', () => {
    const s = panel.series.get('Derby')!.childrenInCare;
    expect(s.points.find((p) => p.year === 2011)?.value).toBe(461);
    expect(s.points.find((p) => p.year === 2017)?.value).toBe(448);
    expect(values(s)?.slice(-3)).toEqual([
      [2019, 562],
      [2020, 588],
      [2021, 642],
    ]);
  });

  it('joins authorities whose ONS code changed on the DfE code (Gateshead 390, Northumberland 929, Buckinghamshire 825)', () => {
    const g = panel.areas.find((a) => a.name === 'Gateshead');
    expect(g).toMatchObject({ code: 'E08000037', oldCode: '390' });
    expect(panel.series.get('Gateshead')!.childrenInCare.points).toHaveLength(10);
    expect(panel.notes.some((n) => n.startsWith('Gateshead (390, E08000037): ONS code E08000020 in the SFR tables'))).toBe(true);
    expect(panel.series.get('Northumberland')!.childrenInCare.points).toHaveLength(10);
    expect(panel.series.get('Buckinghamshire')!.childrenInCare.points).toHaveLength(10);
    // The EES name is used where the sources spell it differently.
    expect(panel.series.has('Kingston upon Hull, City of')).toBe(true);
  });

  it('keeps the 2019 reorganisations with the years they have and explains them; the two Dorsets are told apart', () => {
    const old = panel.series.get('Dorset (835)')!.childrenInCare;
    expect(old.points.filter((p) => p.value !== null).map((p) => p.year)).toEqual([2011, 2012, 2013, 2014, 2015, 2016, 2017, 2019]);
    expect(old.points.find((p) => p.year === 2020)).toMatchObject({ value: null, suppressed: { marker: 'z' } });
    const unitary = panel.series.get('Dorset (838)')!.childrenInCare;
    expect(values(unitary)?.filter(([, v]) => v !== null)).toEqual([
      [2020, 476],
      [2021, 450],
    ]);
    expect(values(panel.series.get('Bournemouth, Christchurch and Poole')!.childrenInCare)?.filter(([, v]) => v !== null)).toEqual([
      [2020, 506],
      [2021, 431],
    ]);
    expect(panel.series.get('Bournemouth')!.childrenInCare.points.find((p) => p.year === 2019)?.value).toBe(248);
    expect(panel.series.has('Dorset')).toBe(false);
    expect(panel.notes).toContain('Bournemouth, Christchurch and Poole (839, E06000058): in the EES file only; children in care for 2020-2021.');
    expect(panel.notes.some((n) => n.startsWith('Poole (836, E06000029): children in care "z"'))).toBe(true);
    expect(panel.notes.some((n) => n.startsWith('1 April 2019'))).toBe(true);
    expect(panel.notes.some((n) => /"Dorset \(835\)", "Dorset \(838\)"/.test(n))).toBe(true);
  });

  it('leaves out North and West Northamptonshire (no value yet) and keeps Northamptonshire 2011-2021', () => {
    expect(panel.series.has('North Northamptonshire')).toBe(false);
    expect(panel.series.has('West Northamptonshire')).toBe(false);
    expect(panel.notes.some((n) => n.startsWith('North Northamptonshire (940, E06000061): no published children-in-care value'))).toBe(true);
    expect(panel.notes.some((n) => n.startsWith('1 April 2021'))).toBe(true);
    const n = panel.series.get('Northamptonshire')!.childrenInCare;
    expect(n.points.map((p) => p.value)).toEqual([736, 794, 729, 834, 936, 993, 1004, 1123, 1157, 1144]);
  });

  it('148 authorities have all ten years, and forecast() fills 2018 by interpolation', () => {
    const complete = [...panel.series.values()].filter((s) => s.childrenInCare.points.filter((p) => p.value !== null).length === 10);
    expect(complete).toHaveLength(148);
    const p = forecast(panel.series.get('Derbyshire')!.childrenInCare, { method: 'naive', horizon: 1 });
    const y2018 = p.history.find((h) => h.year === 2018)!;
    expect(y2018.imputed).toBe(true);
    expect(y2018.used).toBeCloseTo((630 + 801) / 2, 10);
  });

  it('suppressed values stay null with their marker (Isles of Scilly 2020 "c")', () => {
    const s = panel.series.get('Isles of Scilly')!.childrenInCare;
    expect(values(s)).toEqual([
      [2017, 0],
      [2019, 0],
      [2020, null],
      [2021, 0],
    ]);
    expect(s.points[2].suppressed).toEqual({ marker: 'c' });
  });
});

describe('dfePanelFrom (no file access)', () => {
  const files = ['2011', '2012', '2013', '2014', '2015', '2016', '2017'].map((y) => {
    const name = `la_cla_31_march_${y}.csv`;
    return { name, text: readFileSync(`${SFR_DIR}/${name}`, 'utf8') };
  });
  const ees = readDfeEes(readFileSync(`${DIR}/${EES}`, 'utf8'), EES);

  it('gives the same panel as loadDfePanel', () => {
    expect(dfePanelFrom(readSfrFiles(files), ees)).toEqual(panel);
  });

  it('throws on a year the two sources give differently, naming both files and lines; prefer settles it', () => {
    const sfr2019 = {
      name: 'la_cla_31_march_2019.csv',
      text: 'New_geog_code,geog_l,geog_c,geog_n,CLA_Mar2019\nE92000001,NATIONAL,999,England,78150\nE10000007,LA,830,Derbyshire,800\nE06000015,LA,831,Derby,562\n',
    };
    const sfr = readSfrFiles([...files, sfr2019]);
    const err = errorOf(() => dfePanelFrom(sfr, ees));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ source: 'la_cla_31_march_2019.csv', row: 3, field: 'children_in_care' });
    expect(err.message).toContain('Derbyshire children_in_care 2019: 800 in la_cla_31_march_2019.csv line 3 [CLA_Mar2019] but 801 in cla_number_and_rate_per_10k_children_2019_2021.csv line');
    expect(err.message).toMatch(/prefer/);
    // Derby agrees (562 in both): no conflict, and the note says so.
    const last = dfePanelFrom(sfr, ees, { prefer: 'last' });
    expect(last.series.get('Derbyshire')!.childrenInCare.points.find((p) => p.year === 2019)).toMatchObject({
      value: 801,
      provenance: { source: EES, cell: 'number', note: 'kept over 800 in la_cla_31_march_2019.csv line 3 [CLA_Mar2019]' },
    });
    const derby = last.series.get('Derby')!.childrenInCare.points.find((p) => p.year === 2019)!;
    expect(derby).toMatchObject({ value: 562, provenance: { source: 'la_cla_31_march_2019.csv', line: 4 } });
    expect(derby.provenance?.note).toMatch(/cla_number_and_rate_per_10k_children_2019_2021\.csv line \d+ \[number\] agrees/);
    const first = dfePanelFrom(sfr, ees, { prefer: 'first' });
    expect(first.series.get('Derbyshire')!.childrenInCare.points.find((p) => p.year === 2019)?.value).toBe(800);
    // With a 2019 SFR file, the gap is only 2018 still.
    expect(last.missingYears).toEqual([2018]);
  });

  it('loadDfePanel reports an unreadable path as a CarecastInputError', () => {
    errorOf(() => loadDfePanel({ sfrDir: '/nonexistent/sfr', eesFile: `${DIR}/${EES}` }));
    errorOf(() => loadDfePanel({ sfrDir: SFR_DIR, eesFile: '/nonexistent/ees.csv' }));
  });

  it('matches on the name when neither code matches', () => {
    const sfr = readSfrFiles([{ name: 'la_cla_31_march_2017.csv', text: 'New_geog_code,geog_l,geog_c,geog_n,CLA_Mar2017\nE99999999,LA,123,Derbyshire,630\n' }]);
    const p = dfePanelFrom(sfr, ees);
    expect(values(p.series.get('Derbyshire')!.childrenInCare)).toEqual([
      [2017, 630],
      [2019, 801],
      [2020, 862],
      [2021, 899],
    ]);
    expect(p.notes).toContain('Derbyshire (830, E10000007): matched on the name (Derbyshire (123, E99999999) in the SFR tables).');
  });
});

describe('mergeAnnualSeries', () => {
  const a = cic('Derbyshire', 'sfr.csv', [
    [2016, 585],
    [2017, 630],
  ]);
  const b = cic(
    'Derbyshire',
    'ees.csv',
    [
      [2021, 899],
      [2019, 801],
    ],
    10,
  );

  it('sorts by year, keeps each point\u2019s provenance and leaves gaps alone', () => {
    const m = mergeAnnualSeries([b, a]);
    expect(values(m)).toEqual([
      [2016, 585],
      [2017, 630],
      [2019, 801],
      [2021, 899],
    ]);
    expect(m.points.map((p) => p.provenance)).toEqual([
      { source: 'sfr.csv', line: 2 },
      { source: 'sfr.csv', line: 3 },
      { source: 'ees.csv', line: 11 },
      { source: 'ees.csv', line: 10 },
    ]);
    expect(m).toMatchObject({ frequency: 'annual', measure: 'children_in_care', kind: 'snapshot', unit: 'children', area: 'Derbyshire' });
    expect(AnnualSeriesSchema.safeParse(m).success).toBe(true);
  });

  it('does not change its inputs', () => {
    const before = JSON.stringify([a, b]);
    const m = mergeAnnualSeries([a, b, cic('Derbyshire', 'x.csv', [[2017, 630]])]);
    m.points[0].value = -1;
    expect(JSON.stringify([a, b])).toBe(before);
  });

  it('accepts the same value twice and notes the agreeing source', () => {
    const m = mergeAnnualSeries([a, cic('derbyshire', 'other.csv', [[2017, 630]], 7)]);
    expect(m.points.find((p) => p.year === 2017)?.provenance).toEqual({ source: 'sfr.csv', line: 3, note: 'other.csv line 7 agrees' });
    expect(m.area).toBe('Derbyshire');
  });

  it('throws on a conflict naming both sources and lines, one problem per year', () => {
    const c = cic(
      'Derbyshire',
      'other.csv',
      [
        [2016, 590],
        [2017, 631],
      ],
      20,
    );
    const err = errorOf(() => mergeAnnualSeries([a, c]));
    expect(err.problems).toHaveLength(2);
    expect(err.problems[0]).toMatchObject({ source: 'sfr.csv', row: 2, field: 'children_in_care' });
    expect(err.problems[0].message).toBe('Derbyshire children_in_care 2016: 585 in sfr.csv line 2 but 590 in other.csv line 20');
    expect(err.problems[1].message).toBe('Derbyshire children_in_care 2017: 630 in sfr.csv line 3 but 631 in other.csv line 21');
  });

  it("prefer: 'first' or 'last' keeps one value and records the other", () => {
    const c = cic('Derbyshire', 'other.csv', [[2017, 631]], 20);
    const first = mergeAnnualSeries([a, c], { prefer: 'first' });
    expect(first.points.find((p) => p.year === 2017)).toEqual({ year: 2017, value: 630, provenance: { source: 'sfr.csv', line: 3, note: 'kept over 631 in other.csv line 20' } });
    const last = mergeAnnualSeries([a, c], { prefer: 'last' });
    expect(last.points.find((p) => p.year === 2017)).toEqual({ year: 2017, value: 631, provenance: { source: 'other.csv', line: 20, note: 'kept over 630 in sfr.csv line 3' } });
  });

  it('a published number fills a suppressed or missing value, unless it breaks the known bound', () => {
    const hidden: AnnualSeries = { ...cic('Derbyshire', 'h.csv', [[2017, null]]), points: [{ year: 2017, value: null, suppressed: { marker: 'x' }, provenance: { source: 'h.csv', line: 5 } }] };
    const m = mergeAnnualSeries([hidden, a]);
    expect(m.points.find((p) => p.year === 2017)).toEqual({ year: 2017, value: 630, provenance: { source: 'sfr.csv', line: 3, note: 'h.csv line 5 gives "x"' } });
    const bounded: AnnualSeries = { ...hidden, points: [{ ...hidden.points[0], suppressed: { marker: '<11', upper: 10 } }] };
    const err = errorOf(() => mergeAnnualSeries([bounded, a]));
    expect(err.message).toContain('630 in sfr.csv line 3 but at most 10 ("<11") in h.csv line 5');
    expect(mergeAnnualSeries([bounded, a], { prefer: 'first' }).points.find((p) => p.year === 2017)?.value).toBeNull();
    const z: AnnualSeries = { ...hidden, points: [{ ...hidden.points[0], suppressed: { marker: 'z' }, provenance: { source: 'z.csv', line: 9 } }] };
    expect(mergeAnnualSeries([hidden, z]).points[0]).toMatchObject({ suppressed: { marker: 'x' }, provenance: { source: 'h.csv', note: 'z.csv line 9 gives "z"' } });
    expect(mergeAnnualSeries([hidden, z], { prefer: 'last' }).points[0]).toMatchObject({ suppressed: { marker: 'z' }, provenance: { source: 'z.csv', note: 'h.csv line 5 gives "x"' } });
  });

  it('refuses parts that are not the same series', () => {
    const started: AnnualSeries = { ...b, measure: 'started', kind: 'flow' };
    const err = errorOf(() => mergeAnnualSeries([a, started]));
    expect(err.message).toMatch(/measure started vs children_in_care; kind flow vs snapshot/);
    const derby = cic('Derby', 'd.csv', [[2019, 562]]);
    expect(errorOf(() => mergeAnnualSeries([a, derby])).problems[0].fix).toMatch(/options\.area/);
    expect(mergeAnnualSeries([a, derby], { area: 'Both' }).area).toBe('Both');
    const fostering: AnnualSeries = { ...b, breakdown: { placement: 'fostering' } };
    expect(errorOf(() => mergeAnnualSeries([a, fostering])).message).toMatch(/breakdown/);
    expect(errorOf(() => mergeAnnualSeries([])).message).toMatch(/no series to merge/);
  });
});
