/**
 * Reproducing the Derbyshire statement's placement projections 2023-2035
 * (fostering +35%, residential +148%, internal +9%, private/voluntary +94%)
 * from the seed data: the inputs, every candidate method's numbers (checked
 * against hand calculations and an independent computation), and honest
 * verdicts.
 */
import { describe, expect, it } from 'vitest';
import { loadSeed, type Seed } from '../../src/data/seeds.js';
import { breakdownKey } from '../../src/data/breakdown.js';
import { CarecastInputError } from '../../src/data/errors.js';
import {
  PLACEMENT_FIGURES,
  PLACEMENT_REPRODUCTION_CANDIDATES,
  formatReproductionTable,
  reproduceDerbyshirePlacementProjections,
  reproductionInputRecords,
  reproductionRecords,
  type CandidateId,
  type DerbyshirePlacementReproduction,
  type FigureReproduction,
  type PlacementFigure,
} from '../../src/reproduce/derbyshirePlacements.js';

const DOC = '001_d9ec82d55c6be5ca.txt';
const seed = loadSeed('derbyshire');
const r = reproduceDerbyshirePlacementProjections(seed);
const fig = (res: DerbyshirePlacementReproduction, f: PlacementFigure): FigureReproduction => res.figures.find((x) => x.figure === f) as FigureReproduction;
const pctOf = (res: DerbyshirePlacementReproduction, f: PlacementFigure, id: CandidateId): number =>
  fig(res, f).primary.results.find((x) => x.candidate === id)?.percentChange as number;

/** A copy of the seed with the published % change of some projections replaced. */
function withPublished(changes: Partial<Record<string, number>>): Seed {
  return {
    ...seed,
    projections: seed.projections.map((p) => {
      const k = breakdownKey(p.breakdown);
      return p.measure === 'children_in_care' && changes[k] !== undefined ? { ...p, percentChange: changes[k] } : p;
    }),
  };
}
const KEY: Record<PlacementFigure, string> = {
  fostering: 'placement=fostering',
  residential: 'placement=residential',
  internal: 'provider=internal',
  privateVoluntary: 'providerType=private_voluntary',
};

describe('published targets come from the seed projections', () => {
  it('reads each % change and its source line from seed.projections', () => {
    const expected: Record<PlacementFigure, [number, number]> = {
      fostering: [35, 3814],
      residential: [148, 3815],
      internal: [9, 3832],
      privateVoluntary: [94, 3833],
    };
    for (const f of PLACEMENT_FIGURES) {
      const p = fig(r, f).published;
      const fromSeed = seed.projections.find((q) => q.measure === 'children_in_care' && breakdownKey(q.breakdown) === KEY[f]);
      expect(p.percentChange).toBe(fromSeed?.percentChange);
      expect([p.percentChange, p.line]).toEqual(expected[f]);
      expect(p.source).toBe(DOC);
      expect([p.baseYear, p.targetYear]).toEqual([2023, 2035]);
    }
    expect(r.horizon).toBe(12);
    expect(r.statedMethod).toMatchObject({ source: DOC, line: 3804 });
  });

  it('changing the seed projection changes the target (nothing typed in)', () => {
    const r2 = reproduceDerbyshirePlacementProjections(withPublished({ [KEY.fostering]: 50 }));
    expect(fig(r2, 'fostering').published.percentChange).toBe(50);
    // +60.2% - 50 = +10.2 points for repeatGrowth5
    expect(fig(r2, 'fostering').primary.results[0].errorPoints).toBeCloseTo(60.178 - 50, 3);
  });

  it('throws CarecastInputError naming the missing projection or record', () => {
    const noProj: Seed = { ...seed, projections: seed.projections.filter((p) => breakdownKey(p.breakdown) !== KEY.residential) };
    expect(() => reproduceDerbyshirePlacementProjections(noProj)).toThrow(CarecastInputError);
    expect(() => reproduceDerbyshirePlacementProjections(noProj)).toThrow(/placement=residential/);
    const noRecord: Seed = {
      ...seed,
      dataset: { ...seed.dataset, series: seed.dataset.series.filter((s) => breakdownKey(s.breakdown) !== 'placement=fostering;providerType=agency') },
    };
    expect(() => reproduceDerbyshirePlacementProjections(noRecord)).toThrow(/placement=fostering;providerType=agency/);
  });
});

describe('inputs: the seed figures by year, with provenance', () => {
  const values = (f: PlacementFigure) => fig(r, f).primary.points.map((p) => [p.year, p.value]);

  it('uses 2018, 2019, 2020 and 2023 for every figure', () => {
    expect(values('fostering')).toEqual([[2018, 521], [2019, 601], [2020, 614], [2023, 634]]);
    expect(values('residential')).toEqual([[2018, 139], [2019, 134], [2020, 148], [2023, 234]]);
    expect(values('internal')).toEqual([[2018, 385], [2019, 413], [2020, 419], [2023, 386]]);
    expect(values('privateVoluntary')).toEqual([[2018, 233], [2019, 281], [2020, 300], [2023, 388]]);
  });

  it('fostering 2018 = 347 DCC (000:131) + 174 agency (000:130)', () => {
    const p = fig(r, 'fostering').primary.points[0];
    expect(p.parts.map((q) => [q.value, q.source, q.line])).toEqual([
      [347, '000_b0e3793408704042.txt', 131],
      [174, '000_b0e3793408704042.txt', 130],
    ]);
  });

  it('suppressed secure units: the whole number that rounds to the printed share; not printed: 0 within the bound', () => {
    const res = fig(r, 'residential').primary.points;
    // 2018 "Less than 11", 0.4% of 719: 3/719 = 0.417% is the only whole number rounding to 0.4% (2 -> 0.28%, 4 -> 0.56%)
    const s18 = res[0].parts[3];
    expect([s18.value, s18.low, s18.high, s18.line]).toEqual([3, 3, 3, 137]);
    expect(s18.derivation).toMatch(/0\.4% of 719/);
    // 2020 "Less than 11", 0.3% of 861: 3/861 = 0.348% (2 -> 0.23%, 4 -> 0.46%)
    expect(res[2].parts[3].value).toBe(3);
    // 2019: secure not printed, inside "* other forms of accommodation" (fewer than 5)
    const s19 = res[1].parts[3];
    expect([s19.value, s19.low, s19.high, s19.source, s19.line]).toEqual([0, 0, 4, '002_5f2253e1811fc20c.txt', 275]);
    expect([res[1].low, res[1].high]).toEqual([134, 138]);
  });

  it('2023 provider counts come from rounded shares of 995, with their rounding bounds', () => {
    const i23 = fig(r, 'internal').primary.points[3];
    // 36% of 995 = 358.2 -> 358 (354-363 all round to 36%); 2.8% of 995 = 27.86 -> 28 (28/995 = 2.81%; 27 -> 2.71%, 29 -> 2.91%)
    expect(i23.parts.map((q) => [q.value, q.low, q.high, q.line])).toEqual([
      [358, 354, 363, 3622],
      [28, 28, 28, 3623],
    ]);
    const p23 = fig(r, 'privateVoluntary').primary.points[3];
    // 28% of 995 = 278.6 -> 279; 11% of 995 = 109.45 -> 109
    expect(p23.parts.map((q) => q.value)).toEqual([279, 109]);
    expect([p23.low, p23.high]).toEqual([379, 397]);
  });

  it('states definitional mismatches and later (unused) observations', () => {
    expect(fig(r, 'residential').primary.points[0].mismatch).toMatch(/Independent Living/);
    expect(fig(r, 'internal').primary.points[3].mismatch).toMatch(/other LA provision/);
    expect(fig(r, 'privateVoluntary').primary.points[0].mismatch).toMatch(/agency/);
    expect(fig(r, 'fostering').laterObservations.map((l) => [l.date, l.value])).toEqual([['May 2024', 665]]);
    expect(fig(r, 'residential').laterObservations[0].value).toBe(162 + 117);
    expect(fig(r, 'internal').laterObservations.map((l) => l.value)).toEqual([413, 322]);
    expect(fig(r, 'privateVoluntary').laterObservations[0].value).toBe(531);
  });
});

describe('candidate methods: the numbers', () => {
  it('hand calculations', () => {
    // repeatGrowth5, fostering: 634 x (634/521)^(12/5); ln(634/521) = 0.196299, x 2.4 = 0.471117, exp = 1.601783 -> +60.178%
    expect(pctOf(r, 'fostering', 'repeatGrowth5')).toBeCloseTo(60.178, 3);
    // linearTrend, fostering: years 2018,2019,2020,2023 (mean 2020), values 521,601,614,634 (mean 592.5);
    // Sxy = (-2)(-71.5) + (-1)(8.5) + 0 + 3(41.5) = 259, Sxx = 14, slope 18.5; at 2035: 592.5 + 15 x 18.5 = 870; 870/634 = 1.37224
    expect(pctOf(r, 'fostering', 'linearTrend')).toBeCloseTo(37.224, 3);
    // averageIncrease3, residential: (234 - 148)/3 = 28.667 a year, x 12 = 344; 344/234 = +147.01%
    expect(pctOf(r, 'residential', 'averageIncrease3')).toBeCloseTo(147.009, 3);
    // simpleAnnualPercent5, private/voluntary: G = 388/233 - 1 = 66.52%; /5 x 12 = +159.66%
    expect(pctOf(r, 'privateVoluntary', 'simpleAnnualPercent5')).toBeCloseTo(159.657, 3);
    // shareOfTotal: share held, total x 1.38^(12/5) -> +116.64% for every figure
    for (const f of PLACEMENT_FIGURES) expect(pctOf(r, f, 'shareOfTotal')).toBeCloseTo((1.38 ** 2.4 - 1) * 100, 6);
  });

  it('the total method gives the published 1373 by 2028', () => {
    expect(r.total.check.value).toBeCloseTo(1373.1, 1);
    expect(r.total.check.published).toBe(1373);
    expect(r.total.check.line).toBe(3353);
    expect(r.total.targetValue).toBeCloseTo(995 * 1.38 ** 2.4, 6);
  });

  it('every figure x method % change (independent recomputation, one decimal)', () => {
    const expected: Record<PlacementFigure | 'total', number[]> = {
      // repeat5, repeat4, repeat3, meanAnnual%, simple5, simple4, simple3, avgInc5, avgInc4, avgInc3, linear, shareOfTotal
      fostering: [60.2, 17.4, 13.7, 62.9, 52.1, 16.5, 13.0, 42.8, 15.6, 12.6, 37.2, 116.6],
      residential: [249.0, 432.5, 524.9, 260.2, 164.0, 223.9, 232.4, 97.4, 128.2, 147.0, 102.8, 116.6],
      internal: [0.6, -18.4, -28.0, 1.5, 0.6, -19.6, -31.5, 0.6, -21.0, -34.2, -3.1, 116.6],
      privateVoluntary: [240.0, 163.3, 179.8, 244.0, 159.7, 114.2, 117.3, 95.9, 82.7, 90.7, 92.6, 116.6],
      total: [118.1, 91.0, 78.4, 119.7, 92.1, 72.2, 62.3, 66.6, 58.2, 53.9, 59.3, 116.6],
    };
    expect(PLACEMENT_REPRODUCTION_CANDIDATES.map((m) => m.id)).toEqual([
      'repeatGrowth5', 'repeatGrowth4', 'repeatGrowth3', 'meanAnnualPercent',
      'simpleAnnualPercent5', 'simpleAnnualPercent4', 'simpleAnnualPercent3',
      'averageIncrease5', 'averageIncrease4', 'averageIncrease3', 'linearTrend', 'shareOfTotal',
    ]);
    for (const f of PLACEMENT_FIGURES) {
      expect(fig(r, f).primary.results.map((x) => Math.round((x.percentChange as number) * 10) / 10)).toEqual(expected[f]);
    }
    expect(r.total.results.map((x) => Math.round((x.percentChange as number) * 10) / 10)).toEqual(expected.total);
  });

  it('errors are % change minus published, in points', () => {
    for (const f of PLACEMENT_FIGURES) {
      for (const x of fig(r, f).primary.results) {
        expect(x.errorPoints).toBeCloseTo((x.percentChange as number) - fig(r, f).published.percentChange, 10);
      }
    }
  });

  it('ranges over the inputs\' bounds: none for fostering (exact counts), some for the rounded 2023 shares', () => {
    expect(fig(r, 'fostering').primary.results.every((x) => x.range === null)).toBe(true);
    const lt = fig(r, 'privateVoluntary').primary.results.find((x) => x.candidate === 'linearTrend');
    // 2023 between 379 and 397: the line moves less than the base, so the % change falls as the base rises
    expect(lt?.range?.low).toBeCloseTo(88.9, 1);
    expect(lt?.range?.high).toBeCloseTo(96.1, 1);
    expect(lt?.withinRange).toBe(true);
  });
});

describe('verdicts are honest', () => {
  it('nothing is reproduced on the seed data; the closest method and its error are reported', () => {
    const closest = Object.fromEntries(r.figures.map((f) => [f.figure, [f.primary.closest.candidate, Math.round((f.primary.closest.errorPoints as number) * 10) / 10]]));
    expect(closest).toEqual({
      fostering: ['linearTrend', 2.2],
      residential: ['averageIncrease3', -1.0],
      internal: ['meanAnnualPercent', -7.5],
      privateVoluntary: ['linearTrend', -1.4],
    });
    for (const f of r.figures) {
      expect(f.reproduced).toBe(false);
      expect(f.matches).toEqual([]);
      expect(f.verdict).toMatch(/^not reproducible from the data in the documents/);
      expect(f.verdict).toContain(`Closest documented method: ${f.primary.closest.label}`);
      expect(f.verdict).toContain(`error ${(f.primary.closest.errorPoints as number) >= 0 ? '+' : ''}${(f.primary.closest.errorPoints as number).toFixed(1)} points`);
    }
    expect(r.consistentCandidates).toEqual([]);
    expect(r.rangeConsistentCandidates).toEqual([]);
    expect(r.verdict).toMatch(/^None of the four/);
  });

  it('reproduced is false whenever no candidate is within 0.5 points (and alternatives never decide it)', () => {
    for (const f of r.figures) {
      const anyWithin = f.primary.results.some((x) => x.errorPoints !== null && Math.abs(x.errorPoints) <= 0.5);
      if (!anyWithin) expect(f.reproduced).toBe(false);
    }
    expect(fig(r, 'internal').alternatives[0].closest.candidate).toBe('repeatGrowth4');
    expect(fig(r, 'internal').alternatives[0].closest.errorPoints).toBeCloseTo(-5.3, 1);
    expect(fig(r, 'privateVoluntary').alternatives[0].closest.errorPoints).toBeCloseTo(13.5, 1);
  });

  it('a hit on one figure alone is reported but not counted as reproducing the statement', () => {
    // if the statement had said +147% for residential, averageIncrease3 (+147.0%) would hit it, but not the others
    const r2 = reproduceDerbyshirePlacementProjections(withPublished({ [KEY.residential]: 147 }));
    const res = fig(r2, 'residential');
    expect(res.matches).toEqual(['averageIncrease3']);
    expect(res.reproduced).toBe(false);
    expect(res.verdict).toMatch(/lands within 0\.5 points here .* not the statement's single method reproduced/);
  });

  it('one method within 0.5 points of all four figures is reported as reproduced', () => {
    // published figures set to averageIncrease5's own results (rounded to whole or one-decimal %)
    const r2 = reproduceDerbyshirePlacementProjections(
      withPublished({ [KEY.fostering]: 43, [KEY.residential]: 97, [KEY.internal]: 1, [KEY.privateVoluntary]: 96 }),
    );
    expect(r2.consistentCandidates).toContain('averageIncrease5');
    for (const f of r2.figures) {
      expect(f.reproduced).toBe(true);
      expect(f.verdict).toMatch(/^reproduced: /);
    }
    expect(r2.verdict).toMatch(/^All four/);
  });
});

describe('outputs', () => {
  it('formats a table with the closest method and its error (printed below)', () => {
    const text = formatReproductionTable(r);
    console.log(text);
    expect(text).toContain('+35 (001:3814)');
    expect(text).toMatch(/linearTrend\s+\+37\.2 \(\+2\.2\)\*/);
    expect(text).toMatch(/averageIncrease3\s+\S+ \S+\s+\+147\.0 \(-1\.0\)\*/);
    expect(text).toMatch(/reproduced\s+no\s+no\s+no\s+no/);
    expect(text).toContain('Check on the total');
    expect(text).toContain('1373.1 in 2028 (published 1373, 001:3353)');
    expect(text).toContain('Overall: None of the four');
  });

  it('tidy records: one row per figure x variant x method, and one per input part', () => {
    const rows = reproductionRecords(r);
    expect(rows).toHaveLength((4 + 2) * PLACEMENT_REPRODUCTION_CANDIDATES.length);
    const row = rows.find((x) => x.figure === 'residential' && x.method === 'averageIncrease3' && x.input_variant === 'primary');
    expect(row).toMatchObject({ base_value: 234, published_pct: 148, closest: true, reproduced: false, within_tolerance: false, source: DOC, line: 3815 });
    expect(row?.projected).toBeCloseTo(578, 6);
    const inputs = reproductionInputRecords(r).filter((x) => x.figure === 'residential' && x.year === 2018);
    expect(inputs.map((x) => x.value)).toEqual([38, 59, 39, 3]);
    expect(inputs.reduce((a, x) => a + x.value, 0)).toBe(139);
    expect(inputs[3].derivation).not.toBe('');
  });
});
