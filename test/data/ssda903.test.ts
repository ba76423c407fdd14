/** SSDA903 episodes: dates, reading, de-duplication and repair, bad input, derived aggregates. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findSeries } from '../../src/data/breakdown.js';
import { AGE_BANDS, PLACEMENT_GROUPS } from '../../src/data/codes.js';
import { CEASED_REASONS, ceasedReasonOf, childrenInCareOn, deriveAnnualDataset, periodsOfCare } from '../../src/data/episodes.js';
import {
  ageOn,
  birthdayDay,
  dayOf,
  dayToIso,
  dobRangeForAge,
  formatEpisodeFix,
  marchEnd,
  parseSsda903Date,
  readSsda903,
  summariseEpisodeFixes,
  type Ssda903Data,
} from '../../src/data/loaders/ssda903.js';
import { loadSsda903Folder } from '../../src/data/loaders/ssda903Folder.js';
import { DatasetSchema } from '../../src/data/schemas.js';
import { generateSyntheticEpisodes } from '../../src/data/syntheticEpisodes.js';
import { createRng } from '../../src/math/rng.js';
import { projectStockFlow } from '../../src/system/stockFlow.js';
import { projectSystem } from '../../src/system/projectSystem.js';
import { errorOf } from '../helpers/inputError.js';

/** Every row of 103 of the 820 children of the synthetic sample returns (scripts/cut-fixtures-ssda903.ts, MANIFEST.json). */
const DIR = fileURLToPath(new URL('../fixtures/ssda903/', import.meta.url));
const EP = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';
const HD = 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB';
const csv = (head: string, ...rows: string[]): string => [head, ...rows].join('\n') + '\n';

describe('dates as day numbers', () => {
  it('parses dd/mm/yyyy and ISO alike, and refuses impossible dates', () => {
    expect(parseSsda903Date('01/04/2020')).toBe(dayOf(2020, 4, 1));
    expect(parseSsda903Date('2020-04-01')).toBe(dayOf(2020, 4, 1));
    expect(parseSsda903Date(' 2020-04-01T00:00:00 ')).toBe(dayOf(2020, 4, 1));
    expect(parseSsda903Date('1/4/2020')).toBe(dayOf(2020, 4, 1));
    expect(parseSsda903Date('31/02/2020')).toBeUndefined();
    expect(parseSsda903Date('29/02/2021')).toBeUndefined();
    expect(parseSsda903Date('2020/04/01')).toBeUndefined();
    expect(parseSsda903Date('')).toBeUndefined();
    expect(dayToIso(marchEnd(2021))).toBe('2021-03-31');
  });

  it('ages exactly by date of birth; a 29 February birthday falls on 1 March', () => {
    const dob = dayOf(2004, 2, 29);
    expect(dayToIso(birthdayDay(dob, 18))).toBe('2022-03-01');
    expect(ageOn(dob, dayOf(2022, 2, 28))).toBe(17);
    expect(ageOn(dob, dayOf(2022, 3, 1))).toBe(18);
    expect(ageOn(dayOf(2010, 6, 1), dayOf(2021, 5, 31))).toBe(10);
    expect(ageOn(dayOf(2010, 6, 1), dayOf(2021, 6, 1))).toBe(11);
    for (const day of [dayOf(2021, 3, 31), dayOf(2020, 2, 29), dayOf(2021, 3, 1)]) {
      for (const a of [0, 1, 4, 17]) {
        const [lo, hi] = dobRangeForAge(day, a);
        expect(ageOn(lo, day)).toBe(a);
        expect(ageOn(hi, day)).toBe(a);
        expect(ageOn(lo - 1, day)).toBe(a + 1);
        if (a > 0) expect(ageOn(hi + 1, day)).toBe(a - 1);
      }
    }
  });
});

// The numbers below were recounted from the fixture files by scripts/recount-ssda903.py, a separate
// re-implementation of the merge and repair rules that also gives the full sample's figures
// (820 children; 910 replaced, 40 overlaps, 24 open episodes dropped; 628 in care at 31 March 2017, 62 in 2022).
describe('the synthetic sample returns, cut to 103 children (pipeline only)', () => {
  const data = loadSsda903Folder(DIR, { area: 'Synthetic LA' });

  it('reads five returns, infers their years and reports every fix with its file and row', () => {
    expect(data.returns.map((r) => r.year)).toEqual([2018, 2019, 2020, 2021, 2022]);
    expect(data.returns.every((r) => r.inferred)).toBe(true);
    expect(data.rejected).toEqual([]);
    const fx = summariseEpisodeFixes(data.fixes);
    // 124 episodes changed by a later return (mostly open at one year end, closed in the next); 7 overlaps; 1 open episode dropped by later returns
    expect(fx).toMatchObject({ replaced: 124, overlap_truncated: 7, open_not_in_later_return: 1, duplicate: 0, dob_conflict: 0, open_closed_by_next: 0 });
    for (const f of data.fixes) {
      expect(f.source).toMatch(/episodes\.csv$/);
      expect(f.row).toBeGreaterThan(1);
    }
    expect(formatEpisodeFix(data.fixes[0])).toMatch(/^20\d\d-episodes\.csv:\d+ \d+ \d{4}-\d\d-\d\d replaced: /);
    expect(data.children.size).toBe(103);
    expect([...data.children.values()].filter((c) => c.uasc).length).toBe(4);
  });

  it('after cleaning: one episode per child and start, no overlaps, open only at the end', () => {
    const eps = data.episodes;
    for (let i = 1; i < eps.length; i++) {
      if (eps[i].child !== eps[i - 1].child) continue;
      expect(eps[i].start).toBeGreaterThan(eps[i - 1].start);
      expect(eps[i - 1].end).not.toBeNull();
      expect(eps[i - 1].end as number).toBeLessThanOrEqual(eps[i].start);
    }
  });

  it('derives series of the loaders\u2019 types; the stock identity closes exactly', () => {
    const { dataset } = deriveAnnualDataset(data);
    expect(() => DatasetSchema.parse(dataset)).not.toThrow();
    const stock = findSeries(dataset, 'children_in_care');
    const started = findSeries(dataset, 'started');
    const ceased = findSeries(dataset, 'ceased');
    expect(stock.points.map((p) => p.year)).toEqual([2017, 2018, 2019, 2020, 2021, 2022]);
    expect(started.points.map((p) => p.year)).toEqual([2018, 2019, 2020, 2021, 2022]);
    for (let i = 1; i < stock.points.length; i++) {
      const v = (stock.points[i - 1].value as number) + (started.points[i - 1].value as number) - (ceased.points[i - 1].value as number);
      expect(stock.points[i].value).toBe(v);
    }
    // the cohort shrinks (synthetic): 76 at 31 March 2017, 10 at 31 March 2022
    expect(stock.points.map((p) => p.value)).toEqual([76, 71, 49, 28, 19, 10]);
    expect(stock.points[0].value).toBe(childrenInCareOn(data, marchEnd(2017)).length);
    for (const [dim, cats] of [['placement', PLACEMENT_GROUPS], ['age', AGE_BANDS]] as const) {
      for (let i = 0; i < stock.points.length; i++) {
        const sum = cats.reduce((s, c) => s + (findSeries(dataset, 'children_in_care', { [dim]: c }).points[i].value as number), 0);
        expect(sum).toBe(stock.points[i].value);
      }
    }
    for (let i = 0; i < ceased.points.length; i++) {
      const sum = CEASED_REASONS.reduce((s, r) => s + (findSeries(dataset, 'ceased', { reason: r }).points[i].value as number), 0);
      expect(sum).toBe(ceased.points[i].value);
    }
    expect(findSeries(dataset, 'ceased_duration_days', { statistic: 'median' }).points.every((p) => (p.value as number) > 0)).toBe(true);
  });
});

describe('de-duplication and repair across returns, each rule', () => {
  const header = csv(HD, 'A,1,01/01/2010,,,,', 'B,2,01/01/2012,,,,', 'C,1,01/06/2008,,,,', 'D,2,05/05/2006,,,,');
  const r2020 = {
    year: 2020,
    episodes: csv(
      EP,
      'A,01/05/2019,S,C2,N1,U4,PR1,,,,,,', // open at 31/3/2020; closed in 2021 -> replaced
      'B,10/10/2019,S,C2,N1,U4,PR1,,,,,,', // open; B's next episode only in 2021 -> closed by next
      'C,01/04/2019,S,C2,N1,K2,PR4,01/03/2020,E8,,,,', // overlaps D? no: C ends 1/3/2020, next starts 1/2/2020 -> truncated
      'C,01/02/2020,P,C2,N1,U6,PR4,,,,,,',
      'D,01/09/2019,S,C2,N1,U4,PR1,,,,,,', // open, not in 2021 -> closed 1/4/2020
      'A,01/05/2019,S,C2,N1,U4,PR1,,,,,,', // exact duplicate in the same return
    ),
    header,
  };
  const r2021 = {
    year: 2021,
    episodes: csv(EP, 'A,01/05/2019,S,C2,N1,U4,PR1,15/06/2020,E4A,,,,', 'B,01/01/2021,P,C2,N1,K2,PR4,,,,,,', 'C,01/02/2020,P,C2,N1,U6,PR4,,,,,,'),
    header: csv(HD, 'A,1,01/01/2010,,,,', 'B,2,02/01/2012,,,,', 'C,1,01/06/2008,,,,'),
  };
  const data = readSsda903([r2021, r2020]);
  const byKind = (k: string) => data.fixes.filter((f) => f.kind === k);

  it('keeps one row per episode, preferring the later return', () => {
    expect(byKind('duplicate').map((f) => [f.child, f.decom])).toEqual([
      ['A', '2019-05-01'],
      ['C', '2020-02-01'],
    ]);
    const rep = byKind('replaced');
    expect(rep).toHaveLength(1);
    expect(rep[0]).toMatchObject({ child: 'A', source: 'episodes-2020', other: { source: 'episodes-2021', row: 2 } });
    const a = data.episodes.find((e) => e.child === 'A');
    expect(a).toMatchObject({ end: dayOf(2020, 6, 15), rec: 'E4A', returnYear: 2021 });
  });

  it('closes open and overlapping episodes at the next start, and open episodes missing later', () => {
    const b = data.episodes.filter((e) => e.child === 'B');
    expect(b.map((e) => [dayToIso(e.start), e.end === null ? null : dayToIso(e.end), e.rec])).toEqual([
      ['2019-10-10', '2021-01-01', 'X1'],
      ['2021-01-01', null, null],
    ]);
    expect(byKind('open_closed_by_next')).toHaveLength(1);
    const c = data.episodes.filter((e) => e.child === 'C');
    expect(c[0]).toMatchObject({ end: dayOf(2020, 2, 1), rec: 'X1' });
    expect(byKind('overlap_truncated')[0]).toMatchObject({ child: 'C', source: 'episodes-2020', row: 4, other: { source: 'episodes-2021', row: 4 } });
    const d = data.episodes.filter((e) => e.child === 'D');
    expect(d[0]).toMatchObject({ end: dayOf(2020, 4, 1), rec: null });
    expect(byKind('open_not_in_later_return')[0].message).toMatch(/in no later return; now ends 2020-04-01/);
    expect(byKind('dob_conflict')[0]).toMatchObject({ child: 'B', decom: '2012-01-02' });
    expect(data.children.get('B')?.dob).toBe(dayOf(2012, 1, 2));
    expect(periodsOfCare(data.episodes).filter((p) => p.child === 'B')).toHaveLength(1);
  });

  it('two returns for one year are an error', () => {
    expect(errorOf(() => readSsda903([r2020, { ...r2020 }])).problems[0].message).toMatch(/two returns/);
  });
});

describe('bad input: every row reported; the rest loads only when lenient', () => {
  const episodes = csv(
    EP,
    'A,01/05/2019,S,C2,N1,U4,PR1,01/04/2019,E4A,,,,', // end before start
    'B,01/05/2019,S,C2,N1,XX,PR1,,,,,,', // unknown placement
    'C,01/05/2019,S,C2,N1,U4,PR1,,,,,,', // DOB after start
    ',01/05/2019,S,C2,N1,U4,PR1,,,,,,', // missing CHILD
    'E,01/05/2019,S,C2,N1,U4,PR9,,,,,,', // unknown provider
    'F,2019-05-01,S,C2,N1,U4,PR1,,,,,,', // fine (ISO date)
    'G,31/02/2019,S,C2,N1,U4,PR1,,,,,,', // impossible date
  );
  const header = csv(HD, 'A,1,01/01/2010,,,,', 'B,1,01/01/2010,,,,', 'C,1,01/06/2019,,,,', 'E,1,01/01/2010,,,,', 'F,1,01/01/2010,,,,', 'G,1,01/01/2010,,,,');
  const ret = { year: 2020, episodes, header, sources: { episodes: 'ep.csv', header: 'hd.csv' } };

  it('fails with the full list, each naming file, row, field and value', () => {
    const e = errorOf(() => readSsda903([ret]));
    expect(e.problems.map((p) => [p.row, p.field])).toEqual([
      [2, 'DEC'],
      [3, 'PLACE'],
      [5, 'CHILD'],
      [6, 'PLACE_PROVIDER'],
      [8, 'DECOM'],
      [4, 'DOB'],
    ]);
    expect(e.problems.every((p) => p.source === 'ep.csv' && p.fix)).toBe(true);
    expect(e.problems[0].message).toMatch(/ends \(DEC 01\/04\/2019\) before it starts/);
    expect(e.problems[1].message).toMatch(/unknown placement code 'XX'/);
    expect(e.problems[5].message).toMatch(/2019-06-01 \(hd\.csv:4\) is after the episode starts/);
  });

  it('lenient: the good rows load and the bad ones are listed', () => {
    const d = readSsda903([ret], { lenient: true });
    expect(d.episodes.map((x) => x.child)).toEqual(['F']);
    expect(d.rejected).toHaveLength(6);
  });

  it('quoted files go through the full CSV parser with the same line numbers', () => {
    const quoted = { year: 2020, episodes: csv(EP, '"F","01/05/2019",S,C2,N1,U4,PR1,,,"a, b",,,', '', 'G,01/05/2019,S,C2,N1,ZZ,PR1,,,,,,'), header: csv(HD, 'F,1,01/01/2010,,,,', 'G,1,01/01/2010,,,,') };
    const e = errorOf(() => readSsda903([quoted]));
    expect(e.problems.map((p) => [p.row, p.field])).toEqual([[4, 'PLACE']]);
    expect(readSsda903([quoted], { lenient: true }).episodes[0]).toMatchObject({ child: 'F', reasonPlaceChange: 'A, B' });
  });

  it('a missing column is always an error', () => {
    const bad = { year: 2020, episodes: csv('CHILD,DECOM,RNE,LS,PLACE,DEC,REC', 'A,01/05/2019,S,C2,U4,,') };
    expect(errorOf(() => readSsda903([bad], { lenient: true })).problems[0].field).toBe('PLACE_PROVIDER');
  });
});

describe('synthetic generator and derived series', () => {
  const syn = generateSyntheticEpisodes({ firstYear: 2018, years: 5, entriesPerDay: 1 }, createRng(7));
  const data: Ssda903Data = readSsda903(syn.returns);

  it('is seeded: the same seed gives the same files; ISO and dd/mm/yyyy read the same', () => {
    const again = generateSyntheticEpisodes({ firstYear: 2018, years: 5, entriesPerDay: 1 }, createRng(7));
    expect(again.returns[2].episodes).toBe(syn.returns[2].episodes);
    const iso = generateSyntheticEpisodes({ firstYear: 2018, years: 5, entriesPerDay: 1, dateFormat: 'iso' }, createRng(7));
    expect(iso.returns[0].episodes).toMatch(/\d{4}-\d\d-\d\d/);
    const isoData = readSsda903(iso.returns);
    expect(isoData.episodes.map((e) => [e.child, e.start, e.end])).toEqual(data.episodes.map((e) => [e.child, e.start, e.end]));
    // episodes repeat across returns as in real data
    const fx = summariseEpisodeFixes(data.fixes);
    expect(fx.replaced + fx.duplicate).toBeGreaterThan(1000);
    expect(fx.overlap_truncated + fx.open_closed_by_next + fx.open_not_in_later_return).toBe(0);
  });

  it('projectStockFlow runs on the derived series', () => {
    const { dataset } = deriveAnnualDataset(data, { count: 'periods' });
    const p = projectStockFlow(
      { stock: findSeries(dataset, 'children_in_care'), started: findSeries(dataset, 'started'), ceased: findSeries(dataset, 'ceased') },
      { to: 2026, paths: 300, seed: 3 },
    );
    expect(p.years).toEqual([2023, 2024, 2025, 2026]);
    expect(p.residuals.every((r) => r.residual === 0)).toBe(true);
    expect(p.stock.point[0]).toBeGreaterThan(0.8 * (findSeries(dataset, 'children_in_care').points.at(-1)?.value as number));
    expect(ceasedReasonOf('E11')).toBe('adopted');
    expect(findSeries(dataset, 'ceased', { reason: 'adopted' }).points.every((q) => (q.value as number) > 0)).toBe(true);
  });

  it('projectSystem runs on the derived series: placement groups add up to the total in every path', () => {
    const { dataset } = deriveAnnualDataset(data, { count: 'periods' });
    const groups = Object.fromEntries(
      dataset.series
        .filter((x) => x.frequency === 'annual' && x.measure === 'children_in_care' && Object.keys(x.breakdown).length === 1 && x.breakdown.placement !== undefined)
        .map((x) => [String(x.breakdown.placement), x.points.map((q) => ({ year: q.year, value: q.value }))]),
    );
    expect(Object.keys(groups).length).toBeGreaterThanOrEqual(2);
    const sys = projectSystem(
      { stock: findSeries(dataset, 'children_in_care'), started: findSeries(dataset, 'started'), ceased: findSeries(dataset, 'ceased'), breakdowns: { placement: groups } },
      { to: 2026, paths: 300, seed: 3 },
    );
    const bd = sys.breakdowns.placement;
    expect(bd.maxIncoherence).toBeLessThan(1e-6);
    // the groups cover the whole stock at every derived 31 March, so no unallocated remainder is needed
    expect(bd.groups).not.toContain('unallocated');
    const stockPoint = sys.stockFlow.stock.point;
    sys.years.forEach((_, i) => expect(bd.groups.reduce((a, g) => a + bd.byGroup[g].point[i], 0)).toBeCloseTo(stockPoint[i], 6));
  });

  it('counting distinct children instead of periods', () => {
    const a = deriveAnnualDataset(data, { count: 'children' }).dataset;
    const b = deriveAnnualDataset(data).dataset;
    expect(findSeries(a, 'started').points).toEqual(findSeries(b, 'started').points); // one period per child here
  });
});
