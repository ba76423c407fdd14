/**
 * The DfE panel built from the fixtures cut from the real files (test/fixtures/dfe/FIXTURES.md):
 * SFR tables 2011-2017, the 2023 publication (2019 only), the 2024 publication (2020-2024), the
 * long files (2022-2024 for a few areas) and the England time series.
 */
import { describe, expect, it } from 'vitest';
import { panelFromCells } from '../../src/data/dfe/buildPanel.js';
import { dfeCellsFrom } from '../../src/data/dfe/cells.js';
import { dfeCellChecks } from '../../src/data/dfe/checks.js';
import { readDfePanelFolder } from '../../src/data/dfe/panelFolder.js';
import { readDfeEes } from '../../src/data/loaders/dfeEes.js';
import { loadSfrFolder } from '../../src/data/loaders/dfeFiles.js';
import { readSfrFiles } from '../../src/data/loaders/sfr.js';
import { buildDfePanel, dfePanelDataset, dfePanelFrom, findPanelArea, LA_REORGANISATIONS, loadDfePanel, mergeAnnualSeries, panelSeries } from '../../src/data/panel.js';
import { findSeries } from '../../src/data/breakdown.js';
import { AnnualSeriesSchema, DatasetSchema, type AnnualPoint, type AnnualSeries } from '../../src/data/schemas.js';
import { forecast } from '../../src/project/forecast.js';
import { DFE_FIXTURES, EES_FIXTURES, SFR_FIXTURES, fixtureText } from '../helpers/fixtures.js';
import { errorOf } from '../helpers/inputError.js';

const panel = loadDfePanel({ dir: DFE_FIXTURES });
const NR = 'ees_2024/cla_number_and_rate_per_10k_children_2020_2024.csv';

const values = (s: AnnualSeries | undefined) => s?.points.map((p) => [p.year, p.value ?? p.suppressed?.marker ?? null]);
const numbers = (s: AnnualSeries | undefined) => s?.points.filter((p) => p.value !== null).map((p) => [p.year, p.value]);
const get = (name: string) => {
  const s = panel.series.get(name);
  if (!s) throw new Error(`no ${name} in the panel`);
  return s;
};

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

describe('loadDfePanel({ dir }) on the fixtures', () => {
  it('covers 2011-2024 with 2018 reported missing and left out of every local authority series; England has 1994-2024', () => {
    expect(panel.years).toEqual([2011, 2012, 2013, 2014, 2015, 2016, 2017, 2019, 2020, 2021, 2022, 2023, 2024]);
    expect(panel.missingYears).toEqual([2018]);
    for (const a of panel.areas) if (a.level === 'local_authority') expect(get(a.name).childrenInCare.points.some((p) => p.year === 2018)).toBe(false);
    expect(panel.notes.some((n) => /No local authority source covers 2018/.test(n))).toBe(true);
    expect(get('England').childrenInCare.points.map((p) => p.year)).toEqual(Array.from({ length: 31 }, (_, i) => 1994 + i));
  });

  it('holds England, the regions and every authority of the fixtures, each name once, every series valid', () => {
    expect(panel.areas.slice(0, 3).map((a) => [a.name, a.level, a.code])).toEqual([
      ['England', 'national', 'E92000001'],
      ['East Midlands', 'region', 'E12000004'],
      ['Inner London', 'region', 'E13000001'],
    ]);
    const las = panel.areas.filter((a) => a.level === 'local_authority');
    // 19 SFR authorities + 838, 839, 940, 941, 942, 943 (created by reorganisations)
    expect(las).toHaveLength(25);
    const names = panel.areas.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(las.map((a) => a.name)).toEqual([...las.map((a) => a.name)].sort((a, b) => a.localeCompare(b, 'en')));
    for (const a of panel.areas) {
      const s = get(a.name);
      expect(s.area).toEqual(a);
      for (const x of [s.childrenInCare, s.started, s.ceased, s.population, s.rate, ...Object.values(s.breakdowns).flatMap((g) => Object.values(g))]) {
        if (x) expect(AnnualSeriesSchema.safeParse(x).success).toBe(true);
      }
    }
    expect(panel.sources.map((s) => s.name)).toContain(NR);
  });

  it('Derbyshire: 660 ... 630 (SFR), 801 (2023 publication), 862 ... 1057 (2024 publication), each point with file, line and column', () => {
    const s = get('Derbyshire');
    expect(numbers(s.childrenInCare)).toEqual([
      [2011, 660], [2012, 700], [2013, 664], [2014, 628], [2015, 603], [2016, 585], [2017, 630],
      [2019, 801], [2020, 862], [2021, 899], [2022, 912], [2023, 996], [2024, 1057],
    ]);
    expect(s.childrenInCare.points[0].provenance).toEqual({ source: 'sfr_la_cla_2011_2017/la_cla_31_march_2011.csv', line: 10, cell: 'CLA_Mar2011' });
    expect(s.childrenInCare.points.find((p) => p.year === 2019)?.provenance?.source).toBe('ees_2024/cla_number_and_rate_per_10k_children_2019_2023.csv');
    const last = s.childrenInCare.points.at(-1)!;
    expect(last).toEqual({ year: 2024, value: 1057, provenance: { source: NR, line: 39, cell: 'number' } });
    expect(fixtureText(`${DFE_FIXTURES}${NR}`).split('\r\n')[38]).toMatch(/,830,Derbyshire,E10000007,Children looked after at 31 March each year,154488,1057,68$/);
    expect(s.area).toEqual({ name: 'Derbyshire', level: 'local_authority', code: 'E10000007', oldCode: '830' });
    expect(numbers(s.started)).toEqual([[2019, 369], [2020, 394], [2021, 375], [2022, 337], [2023, 483], [2024, 485]]);
    expect(s.ceased?.points.find((p) => p.year === 2024)?.value).toBe(428);
    expect(s.population?.points.find((p) => p.year === 2024)).toMatchObject({ value: 154488, provenance: { source: NR, line: 39, cell: 'population_estimate' } });
    expect(s.rate?.points.find((p) => p.year === 2024)?.value).toBe(68);
    expect(s.started?.kind).toBe('flow');
  });

  it('Derby is not Derbyshire: 461 in 2011, 448 in 2017, 562 in 2019, 598 in 2024', () => {
    expect(numbers(get('Derby').childrenInCare)).toEqual([
      [2011, 461], [2012, 480], [2013, 465], [2014, 445], [2015, 470], [2016, 448], [2017, 448],
      [2019, 562], [2020, 588], [2021, 642], [2022, 627], [2023, 620], [2024, 598],
    ]);
  });

  it('takes each year from the newest publication: 2020-2023 as revised in 2024, 2019 from 2023', () => {
    // the 2023 publication gives Dorset (838) 435 and North Yorkshire 464 for 2023; the 2024 publication 433 and 463
    expect(get('Dorset (838)').childrenInCare.points.find((p) => p.year === 2023)?.value).toBe(433);
    expect(get('North Yorkshire').childrenInCare.points.find((p) => p.year === 2023)?.value).toBe(463);
    expect(get('England').childrenInCare.points.find((p) => p.year === 2023)?.value).toBe(83760);
    expect(panel.sources.find((s) => s.name.endsWith('2019_2023.csv'))?.years).toEqual([2019]);
    expect(panel.sources.find((s) => s.name === NR)?.years).toEqual([2020, 2021, 2022, 2023, 2024]);
  });
});

describe('LA reorganisations: joined by the DfE code, never by the name alone', () => {
  it('Dorset county (835, to 2019) and the Dorset unitary (838, from 2020) are two series, told apart by code', () => {
    expect(numbers(get('Dorset (835)').childrenInCare)).toEqual([[2011, 276], [2012, 302], [2013, 351], [2014, 340], [2015, 385], [2016, 479], [2017, 484], [2019, 414]]);
    expect(values(get('Dorset (838)').childrenInCare)).toEqual([[2019, 'z'], [2020, 476], [2021, 450], [2022, 450], [2023, 433], [2024, 446]]);
    expect(get('Dorset (835)').area).toMatchObject({ code: 'E10000009', oldCode: '835', aliases: ['Dorset'] });
    expect(get('Dorset (838)').area).toMatchObject({ code: 'E06000059', oldCode: '838', aliases: ['Dorset'] });
    expect(panel.series.has('Dorset')).toBe(false);
    const err = errorOf(() => findPanelArea(panel, 'Dorset'));
    expect(err.message).toMatch(/matches 2 areas/);
    expect(err.problems[0].fix).toBe('ask by code instead: 835 or 838');
    expect(findPanelArea(panel, 'E06000059').area.name).toBe('Dorset (838)');
    expect(panel.notes.some((n) => /"Dorset \(835\)", "Dorset \(838\)"/.test(n))).toBe(true);
    // the unitary's breakdowns start in 2020, never with the county's
    expect(get('Dorset (838)').breakdowns.placement.fostering?.points.map((p) => p.year)).toEqual([2022, 2023, 2024]);
    expect(get('Dorset (835)').breakdowns.placement.fostering?.points.map((p) => p.year)).toEqual([2011, 2012, 2013, 2014, 2015, 2016, 2017]);
  });

  it('Bournemouth (837) and Poole (836) end in 2019; Bournemouth, Christchurch and Poole (839) starts in 2020', () => {
    expect(numbers(get('Bournemouth').childrenInCare)?.slice(-2)).toEqual([[2017, 238], [2019, 248]]);
    expect(numbers(get('Poole').childrenInCare)?.slice(-2)).toEqual([[2017, 192], [2019, 192]]);
    expect(values(get('Bournemouth, Christchurch and Poole').childrenInCare)).toEqual([[2019, 'z'], [2020, 506], [2021, 431], [2022, 489], [2023, 518], [2024, 546]]);
    expect(panel.notes.some((n) => n.startsWith('1 April 2019'))).toBe(true);
  });

  it('Northamptonshire (928) ends in 2021; North (940) and West (941) Northamptonshire start in 2022', () => {
    expect(values(get('Northamptonshire').childrenInCare)).toEqual([
      [2011, 736], [2012, 794], [2013, 729], [2014, 834], [2015, 936], [2016, 993], [2017, 1004], [2019, 1123], [2020, 1157], [2021, 1144], [2022, 'z'], [2023, 'z'], [2024, 'z'],
    ]);
    expect(numbers(get('North Northamptonshire').childrenInCare)).toEqual([[2022, 525], [2023, 547], [2024, 533]]);
    expect(numbers(get('West Northamptonshire').childrenInCare)).toEqual([[2022, 658], [2023, 688], [2024, 648]]);
    expect(panel.notes.some((n) => n.startsWith('1 April 2021'))).toBe(true);
  });

  it('Cumbria (909) ends in 2023; Cumberland (942) and Westmorland and Furness (943) start in 2024', () => {
    expect(numbers(get('Cumbria').childrenInCare)?.slice(-5)).toEqual([[2019, 683], [2020, 721], [2021, 736], [2022, 734], [2023, 740]]);
    expect(get('Cumbria').childrenInCare.points.at(-1)).toMatchObject({ year: 2024, value: null, suppressed: { marker: 'z' } });
    expect(numbers(get('Cumberland').childrenInCare)).toEqual([[2024, 482]]);
    expect(numbers(get('Westmorland and Furness').childrenInCare)).toEqual([[2024, 246]]);
    // Cumbria is not in the long files: no 2020-2023 breakdowns (its SFR breakdowns stay)
    expect(get('Cumbria').breakdowns.placement.fostering?.points.map((p) => p.year)).toEqual([2011, 2012, 2013, 2014, 2015, 2016, 2017]);
    expect(values(get('Cumberland').breakdowns.placement.fostering)).toEqual([[2022, 'z'], [2023, 'z'], [2024, 309]]);
    expect(panel.notes.some((n) => n.startsWith('1 April 2023'))).toBe(true);
  });

  it('North Yorkshire (815) and Somerset (933): new ONS codes in 2023, same boundaries, one series each with both codes', () => {
    const ny = get('North Yorkshire');
    expect(ny.area).toEqual({ name: 'North Yorkshire', level: 'local_authority', code: 'E06000065', oldCode: '815', formerCodes: ['E10000023'], aliases: ['E10000023'] });
    expect(numbers(ny.childrenInCare)?.map(([y]) => y)).toEqual(panel.years);
    expect(findPanelArea(panel, 'E10000023')).toBe(ny);
    expect(findPanelArea(panel, '815')).toBe(ny);
    const so = get('Somerset');
    expect(so.area).toMatchObject({ code: 'E06000066', oldCode: '933', formerCodes: ['E10000027'] });
    expect(numbers(so.childrenInCare)).toEqual([
      [2011, 450], [2012, 495], [2013, 513], [2014, 488], [2015, 490], [2016, 503], [2017, 476], [2019, 532], [2020, 529], [2021, 517], [2022, 548], [2023, 564], [2024, 586],
    ]);
    expect(panel.notes).toContain('Somerset (933): published under ONS code E10000027 in 2011-2017, 2019, E06000066 in 2020-2024; one series, joined on the DfE code 933, with the latest ONS code E06000066.');
  });

  it('other code and name changes: Gateshead (new ONS code), County Durham ("Durham" in the SFR tables)', () => {
    expect(get('Gateshead').area).toMatchObject({ code: 'E08000037', formerCodes: ['E08000020'] });
    expect(get('Gateshead').childrenInCare.points).toHaveLength(13);
    expect(findPanelArea(panel, 'Durham').area.name).toBe('County Durham');
  });

  it('the reorganisations table names every case', () => {
    expect(LA_REORGANISATIONS.map((r) => [r.date, r.from, r.to])).toEqual([
      ['2019-04-01', ['835', '836', '837'], ['838', '839']],
      ['2021-04-01', ['928'], ['940', '941']],
      ['2023-04-01', ['909'], ['942', '943']],
    ]);
  });

  it('a name alone never joins: an SFR authority with another code but the same name stays apart', () => {
    const sfr = readSfrFiles([{ name: 'la_cla_31_march_2017.csv', text: 'New_geog_code,geog_l,geog_c,geog_n,CLA_Mar2017\nE99999999,LA,123,Derbyshire,630\n' }]);
    const p = dfePanelFrom(sfr, readDfeEes(fixtureText(`${EES_FIXTURES}cla_number_and_rate_per_10k_children_2020_2024.csv`), 'nr.csv'));
    expect(numbers(p.series.get('Derbyshire (123)')!.childrenInCare)).toEqual([[2017, 630]]);
    expect(numbers(p.series.get('Derbyshire (830)')!.childrenInCare)?.[0]).toEqual([2020, 862]);
  });
});

describe('breakdowns', () => {
  const derby = get('Derby');

  it('placement groups: SFR 2011-2017 (residential = Secure + Ocom) and EES (residential = homes and secure + independent/supported)', () => {
    // SFR 2011: Secure 50 + Ocom 21 = 71; EES 2024: 61 + 45 = 106
    expect(values(derby.breakdowns.placement.residential)?.filter(([y]) => y === 2011 || y === 2024)).toEqual([[2011, 71], [2024, 106]]);
    expect(derby.breakdowns.placement.residential?.points.at(-1)?.provenance?.note).toMatch(/^sum of secure_childrens_homes \(line \d+\) \+ independent_supported \(line \d+\)$/);
    expect(values(derby.breakdowns.dfePlacementGroup.homes_secure)).toEqual([[2022, 52], [2023, 57], [2024, 61]]);
    expect(values(derby.breakdowns.dfePlacementGroup.independent_supported)).toEqual([[2022, 40], [2023, 47], [2024, 45]]);
    expect(derby.breakdowns.dfePlacementGroup.fostering?.points.at(-1)?.value).toBe(426);
    // the 4-way split does not exist before 2020
    expect(derby.breakdowns.dfePlacementGroup.fostering?.points[0].year).toBe(2022);
    // complete: the groups add up to the total where all are known
    for (const y of [2011, 2017, 2024]) {
      const sum = Object.values(derby.breakdowns.placement).reduce((s, g) => s + (g?.points.find((p) => p.year === y)?.value ?? NaN), 0);
      expect(sum).toBe(derby.childrenInCare.points.find((p) => p.year === y)?.value);
    }
  });

  it('a lone suppressed group is the total minus the others, noted; other suppressed cells keep their marker with a bound', () => {
    // 2024: other residential c, residential schools c (both at most 598 - 597 = 1); other = 598 - 426 - 106 - 16 - 22 = 28
    expect(derby.breakdowns.dfePlacement.other_residential?.points.at(-1)).toMatchObject({ value: null, suppressed: { marker: 'c', upper: 1 } });
    const other = derby.breakdowns.placement.other!.points.at(-1)!;
    expect(other.value).toBe(28);
    expect(other.provenance?.note).toMatch(/derived: the total 598 \(ees_2024\/la_cla_on_31_march_by_characteristics_2020_2024\.csv line \d+\) minus the other placement groups \(570\)/);
    // leavers by age 2024: 16 and 17 suppressed; 16_plus = 260 - 20 - 63 - 38 - 49 = 90; 16_17 at most 260 - 240 = 20
    expect(derby.ceasedBreakdowns.age['16_plus']?.points.at(-1)?.value).toBe(90);
    expect(derby.ceasedBreakdowns.ageGroup['16_17']?.points.at(-1)).toMatchObject({ value: null, suppressed: { marker: 'partly_suppressed', upper: 20 } });
    expect(derby.ceasedBreakdowns.ageGroup.aged_18?.points.at(-1)?.value).toBe(70);
    // City of London 2024: the provider Total is c; the number-and-rate total (7) bounds the cells
    expect(get('City of London').breakdowns.dfeProvider.private?.points.at(-1)).toMatchObject({ value: null, suppressed: { marker: 'c', upper: 7 } });
    // never zero
    for (const a of panel.areas) {
      for (const g of Object.values(get(a.name).breakdowns)) {
        for (const s of Object.values(g)) for (const p of s!.points) if (p.suppressed) expect(p.value).toBeNull();
      }
    }
  });

  it('providers: carecast groups and the DfE groups; age, UASC, starters, leavers by reason', () => {
    expect(values(derby.breakdowns.provider.internal)?.at(-1)).toEqual([2024, 192]); // own 176 + other LA 16
    expect(values(derby.breakdowns.dfeProviderGroup.other)?.at(-1)).toEqual([2024, 49]); // other public 0 + parents 22 + not reported 27
    expect(values(derby.breakdowns.dfeProviderGroup.own_la)?.[0]).toEqual([2011, 331]);
    expect(values(derby.breakdowns.age['16_plus'])?.at(-1)).toEqual([2024, 150]);
    expect(values(derby.breakdowns.uasc.not_uasc)).toEqual([[2022, 598], [2023, 585], [2024, 550]]);
    expect(values(derby.startedBreakdowns.age.under_1)).toEqual([[2022, 63], [2023, 38], [2024, 48]]);
    expect(values(derby.startedBreakdowns.uasc.uasc)?.at(-1)).toEqual([2024, 35]);
    // reason groups 2024: adoption 29, special guardianship 30, returned home 72 + 12 + 24 = 108
    expect([derby.ceasedBreakdowns.reasonGroup.adoption, derby.ceasedBreakdowns.reasonGroup.special_guardianship, derby.ceasedBreakdowns.reasonGroup.returned_home].map((s) => s?.points.at(-1)?.value)).toEqual([29, 30, 108]);
    expect(derby.ceasedBreakdowns.reason.child_arrangements_order?.points.at(-1)?.value).toBe(12);
  });

  it('England: totals from the time series (the SFR value noted), breakdowns from the SFR and EES files', () => {
    const e = get('England');
    expect(e.childrenInCare.points.find((p) => p.year === 2011)).toEqual({
      year: 2011,
      value: 65500,
      provenance: { source: 'ees_2024/cla_time_series_1994_2024.csv', line: 68, cell: 'number', note: 'kept over 65520 in sfr_la_cla_2011_2017/la_cla_31_march_2011.csv line 2 [CLA_Mar2011]' },
    });
    expect(values(e.breakdowns.placement.fostering)?.slice(0, 1)).toEqual([[2011, 48530]]);
    expect(e.breakdowns.uasc.uasc?.points.filter((p) => p.suppressed?.marker === 'x')).toHaveLength(10);
    expect(e.ceasedBreakdowns.reason.adopted?.points.map((p) => p.year)).toEqual(Array.from({ length: 31 }, (_, i) => 1994 + i));
    expect(e.ceasedBreakdowns.reason.adopted?.points.at(-1)?.value).toBe(2980);
  });

  it('usable as projectSystem breakdowns and as a dataset', () => {
    const ds = dfePanelDataset(derby);
    expect(DatasetSchema.safeParse(ds).success).toBe(true);
    expect(findSeries(ds, 'children_in_care', { placement: 'fostering' }).points.at(-1)?.value).toBe(426);
    expect(findSeries(ds, 'ceased', { ageGroup: 'aged_18' }).points.at(-1)?.value).toBe(70);
    expect(findSeries(ds, 'population_0_17').points.at(-1)?.value).toBe(60058);
  });
});

describe('the same panel from every door', () => {
  const folder = readDfePanelFolder(DFE_FIXTURES);
  const cells = dfeCellsFrom(folder.sources);

  it('buildDfePanel on the parsed files gives loadDfePanel({ dir })', () => {
    expect(buildDfePanel(folder.sources)).toEqual(panel);
    expect(panelFromCells(cells)).toEqual(panel);
  });

  it('checksums are checked against SHA256SUMS beside the files', () => {
    expect(folder.files.filter((f) => f.name.startsWith('ees_2024/')).every((f) => f.checkedAgainst === 'ees_2024/SHA256SUMS')).toBe(true);
    expect(folder.files.find((f) => f.name.endsWith('la_cla_31_march_2011.csv'))?.checkedAgainst).toBeUndefined();
  });

  it('the documented cross-file checks hold on the fixtures', () => {
    const checks = dfeCellChecks(cells);
    for (const c of checks) {
      expect(c.compared, c.name).toBeGreaterThan(0);
      expect(c.mismatches, c.name).toEqual([]);
    }
    expect(checks.find((c) => c.name.startsWith('Placement Total'))?.compared).toBe(5 * 3 + 2 * 3); // 5 authorities in 2022-2024 (Cumberland z) + England and East Midlands
    expect(checks.find((c) => c.name.startsWith('dfeProvider'))?.exceptions).toHaveLength(1); // City of London 2024: Total "c"
  });

  it('panelSeries picks one series per local authority', () => {
    const s = panelSeries(panel);
    expect(s.size).toBe(25);
    expect(s.get('Derby')).toBe(get('Derby').childrenInCare);
    expect(panelSeries(panel, (x) => x.started, 'region').size).toBe(2);
  });

  it('forecast() fills 2018 by interpolation', () => {
    const p = forecast(get('Derbyshire').childrenInCare, { method: 'naive', horizon: 1 });
    const y2018 = p.history.find((h) => h.year === 2018)!;
    expect(y2018.imputed).toBe(true);
    expect(y2018.used).toBeCloseTo((630 + 801) / 2, 10);
  });
});

describe('dfePanelFrom and the older form loadDfePanel({ sfrDir, eesFile })', () => {
  const sfrFiles = ['2011', '2012', '2013', '2014', '2015', '2016', '2017'].map((y) => {
    const name = `la_cla_31_march_${y}.csv`;
    return { name, text: fixtureText(`${SFR_FIXTURES}/${name}`) };
  });
  const EES = 'cla_number_and_rate_per_10k_children_2019_2023.csv';
  const ees = readDfeEes(fixtureText(`${EES_FIXTURES}${EES}`), EES);

  it('gives the same panel from files as from memory', () => {
    expect(loadDfePanel({ sfrDir: SFR_FIXTURES, eesFile: `${EES_FIXTURES}${EES}` })).toEqual(dfePanelFrom(readSfrFiles(sfrFiles), ees));
    expect(dfePanelFrom(loadSfrFolder(SFR_FIXTURES), ees).series.get('Derbyshire')?.childrenInCare.points.at(-1)?.value).toBe(801);
  });

  it('throws on a year two sources give differently, naming both files and lines; prefer settles it', () => {
    const sfr2019 = {
      name: 'la_cla_31_march_2019.csv',
      text: 'New_geog_code,geog_l,geog_c,geog_n,CLA_Mar2019\nE92000001,NATIONAL,999,England,78150\nE10000007,LA,830,Derbyshire,800\nE06000015,LA,831,Derby,562\n',
    };
    const sfr = readSfrFiles([...sfrFiles, sfr2019]);
    const err = errorOf(() => dfePanelFrom(sfr, ees));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ source: 'la_cla_31_march_2019.csv', row: 3, field: 'children_in_care' });
    expect(err.message).toContain(`Derbyshire children_in_care 2019: 800 in la_cla_31_march_2019.csv line 3 [CLA_Mar2019] but 801 in ${EES} line`);
    expect(err.message).toMatch(/prefer/);
    const last = dfePanelFrom(sfr, ees, { prefer: 'last' });
    expect(last.series.get('Derbyshire')!.childrenInCare.points.find((p) => p.year === 2019)).toMatchObject({
      value: 801,
      provenance: { source: EES, cell: 'number', note: 'kept over 800 in la_cla_31_march_2019.csv line 3 [CLA_Mar2019]' },
    });
    // Derby agrees (562 in both): no conflict, and the note says so; England (rounded) always takes the EES figure
    const derby = last.series.get('Derby')!.childrenInCare.points.find((p) => p.year === 2019)!;
    expect(derby).toMatchObject({ value: 562, provenance: { source: 'la_cla_31_march_2019.csv', line: 4 } });
    expect(derby.provenance?.note).toMatch(/cla_number_and_rate_per_10k_children_2019_2023\.csv line \d+ \[number\] agrees/);
    expect(dfePanelFrom(sfr, ees, { prefer: 'first' }).series.get('Derbyshire')!.childrenInCare.points.find((p) => p.year === 2019)?.value).toBe(800);
    expect(last.series.get('England')!.childrenInCare.points.find((p) => p.year === 2019)?.value).toBe(78140);
    // the fixture of the 2023 publication holds 2019, 2020 and 2023 only
    expect(last.missingYears).toEqual([2018, 2021, 2022]);
  });

  it('unreadable paths are CarecastInputErrors', () => {
    errorOf(() => loadDfePanel({ sfrDir: `${DFE_FIXTURES}nope`, eesFile: `${EES_FIXTURES}${EES}` }));
    errorOf(() => loadDfePanel({ sfrDir: SFR_FIXTURES, eesFile: `${EES_FIXTURES}nope.csv` }));
    expect(errorOf(() => loadDfePanel({ dir: `${DFE_FIXTURES}nope` })).problems[0].fix).toMatch(/DfE data folder/);
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
    const derbyS = cic('Derby', 'd.csv', [[2019, 562]]);
    expect(errorOf(() => mergeAnnualSeries([a, derbyS])).problems[0].fix).toMatch(/options\.area/);
    expect(mergeAnnualSeries([a, derbyS], { area: 'Both' }).area).toBe('Both');
    const fostering: AnnualSeries = { ...b, breakdown: { placement: 'fostering' } };
    expect(errorOf(() => mergeAnnualSeries([a, fostering])).message).toMatch(/breakdown/);
    expect(errorOf(() => mergeAnnualSeries([])).message).toMatch(/no series to merge/);
  });
});

