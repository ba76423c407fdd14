/** The share innovations' robust scale (docs/preregistration/issue-13-robust-shares.md): hand calculations, the choice rule, scale equivariance. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupTable } from '../../src/system/groupTable.js';
import { innovationCovariance, reclassifiedRows, SHARE_SCALE_ESTIMATORS } from '../../src/system/innovationCovariance.js';
import { shareData, type ShareData } from '../../src/system/logRatios.js';
import { gkCorrelation, MAD_TO_SD, madAboutZero, median } from '../../src/system/robustScale.js';
import { fitShareDynamics } from '../../src/system/shareFit.js';
import { cutShareData, pairedOneStandardError } from '../../src/system/shareScaleChoice.js';

function area(counts: Record<number, [number, number, number]>): ShareData {
  const years = Object.keys(counts).map(Number);
  const groups = { a: years.map((y) => ({ year: y, value: counts[y][0] })), b: years.map((y) => ({ year: y, value: counts[y][1] })), c: years.map((y) => ({ year: y, value: counts[y][2] })) };
  return shareData(groupTable('test', groups, { partition: true }), 'a');
}

describe('robust scale', () => {
  it('median and the MAD about zero by hand', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    // |r| = 1, 2, 3, 100: median 2.5, not centred (the mean-zero convention)
    expect(madAboutZero([1, -2, 3, -100])).toBeCloseTo(MAD_TO_SD * 2.5, 12);
    // the outlier moves the classical RMS to 50.05, the MAD not at all
    expect(madAboutZero([1, -2, 3, -4])).toBeCloseTo(MAD_TO_SD * 2.5, 12);
  });

  it('Gnanadesikan-Kettenring correlation by hand', () => {
    expect(gkCorrelation([1, 2, -1, -2], [1, 2, -1, -2])).toBeCloseTo(1, 12);
    expect(gkCorrelation([1, 2, -1, -2], [-1, -2, 1, 2])).toBeCloseTo(-1, 12);
    // u + v = (2, 0, 0, -2) / 1.4826 and u - v = (0, -2, 2, 0) / 1.4826 have the same MAD: 0
    expect(gkCorrelation([1, -1, 1, -1], [1, 1, -1, -1])).toBeCloseTo(0, 12);
    expect(gkCorrelation([0, 0, 0, 1], [1, 2, 3, 4])).toBe(0); // a zero scale
  });

  it('reclassified rows: beyond 4 robust SDs from zero in any log-ratio', () => {
    // sigma = 1.4826 x median(1, 1, 1, 1, 20) = 1.4826; 4 sigma = 5.93
    expect(reclassifiedRows([[1], [-1], [1], [-1], [20]], 1)).toEqual([false, false, false, false, true]);
    expect(reclassifiedRows([[1], [-1], [1], [-1], [5.9]], 1)).toEqual([false, false, false, false, false]);
    // the second log-ratio is 0 in most rows (MAD 0): it flags nothing
    expect(reclassifiedRows([[1, 0], [-1, 0], [1, 0], [-1, 9]], 2)).toEqual([false, false, false, false]);
  });

  it('a covariance with one outlier, by each estimator', () => {
    const rows = [[1], [-1], [1], [-1], [20]];
    expect(innovationCovariance(rows, 1, 't').covariance[0][0]).toBeCloseTo((4 + 400) / 5, 12);
    const ex = innovationCovariance(rows, 1, 't', 'exclude');
    expect(ex.covariance[0][0]).toBeCloseTo(1, 12);
    expect(ex.excluded).toBe(1);
    expect(innovationCovariance(rows, 1, 't', 'mad').covariance[0][0]).toBeCloseTo(MAD_TO_SD ** 2, 12);
    // two log-ratios: without the outlier row the cross-products cancel (1 + 1 - 1 - 1 = 0), so exclude gives the identity
    const two = [[1, 1], [-1, -1], [1, -1], [-1, 1], [10, 10]];
    const c = innovationCovariance(two, 2, 't');
    expect(c.covariance[0][0]).toBeCloseTo(104 / 5, 12);
    expect(c.covariance[0][1]).toBeCloseTo((1 - c.lambda) * (100 / 5), 12); // the outlier's 100 / 5, shrunk by lambda
    expect(innovationCovariance(two, 2, 't', 'exclude').covariance).toEqual([[1, 0], [0, 1]]);
    // mad: the MAD about zero of (1, 1, 1, 1, 10) is 1.4826 x 1 for each log-ratio
    const m = innovationCovariance(two, 2, 't', 'mad');
    expect(m.covariance[0][0]).toBeCloseTo(MAD_TO_SD ** 2, 12);
    expect(m.covariance[1][1]).toBeCloseTo(MAD_TO_SD ** 2, 12);
    // with fewer than 2 rows left, exclude is classical on all rows
    expect(innovationCovariance([[1], [30]], 1, 't', 'exclude').covariance[0][0]).toBeCloseTo((1 + 900) / 2, 12);
    expect(() => innovationCovariance([], 1, 't', 'mad')).toThrow(/two consecutive years/);
  });

  it('property: every estimator is scale equivariant (rows x a give the covariance x a^2), and the MAD |a|', () => {
    const rowsArb = fc.integer({ min: 1, max: 3 }).chain((j) =>
      fc.array(fc.array(fc.integer({ min: -500, max: 500 }).map((v) => v / 100), { minLength: j, maxLength: j }), { minLength: 3, maxLength: 25 }).map((rows) => ({ j, rows })),
    );
    fc.assert(
      fc.property(rowsArb, fc.double({ min: 0.01, max: 100, noNaN: true }), fc.boolean(), ({ j, rows }, a, neg) => {
        const s = neg ? -a : a;
        const col = rows.map((r) => r[0]);
        const m = madAboutZero(col);
        expect(madAboutZero(col.map((x) => x * s))).toBeCloseTo(a * m, 8);
        for (const e of SHARE_SCALE_ESTIMATORS) {
          const c0 = innovationCovariance(rows, j, 't', e).covariance;
          const c1 = innovationCovariance(rows.map((r) => r.map((x) => x * s)), j, 't', e).covariance;
          const big = Math.max(1e-300, ...c0.flat().map((v) => a * a * Math.abs(v)));
          for (let r = 0; r < j; r++) for (let c = 0; c < j; c++) expect(Math.abs(c1[r][c] - a * a * c0[r][c])).toBeLessThanOrEqual(1e-9 * big);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('the choice of estimator', () => {
  it('paired one-standard-error rule by hand', () => {
    // exclude: differences (-1, -1): mean -1, SE 0: eligible; mad: (-2, 0): mean -1, SE sqrt((2 - 1) / 1) = 1: -1 + 1 = 0, not eligible
    const r = pairedOneStandardError([[3, 3], [2, 2], [1, 3]]);
    expect(r.estimator).toBe('exclude');
    expect(r.scores).toEqual([
      { estimator: 'classical', crps: 3, diff: null, se: null },
      { estimator: 'exclude', crps: 2, diff: -1, se: 0 },
      { estimator: 'mad', crps: 2, diff: -1, se: 1 },
    ]);
    // both eligible: the lower mean wins
    expect(pairedOneStandardError([[3, 3, 3], [2, 2, 2], [1, 1, 1.3]]).estimator).toBe('mad');
    // none better by more than one SE: classical
    expect(pairedOneStandardError([[3, 3], [4, 2], [3, 3]]).estimator).toBe('classical');
    // nothing scored
    expect(pairedOneStandardError([[], [], []]).estimator).toBe('classical');
    // one forecast: no SE, not eligible
    expect(pairedOneStandardError([[3], [1], [1]])).toMatchObject({ estimator: 'classical', scores: [{ crps: 3 }, { diff: -2, se: null }, { diff: -2, se: null }] });
  });

  it('cutShareData keeps the years up to the cut', () => {
    const d = area({ 2019: [10, 10, 10], 2020: [10, 20, 10], 2021: [10, 40, 10] });
    const c = cutShareData(d, 2020);
    expect(c.years).toEqual([2019, 2020]);
    expect(Array.from(c.z[0].values)).toEqual([0, Math.log(2)]);
  });

  /** A panel of 12 areas, shares moving by small shocks; one area reclassifies its b to almost nothing in one year. */
  function panel(outlier: boolean): ShareData[] {
    const years = Array.from({ length: 8 }, (_, i) => 2014 + i);
    let s = 11;
    const u = (): number => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648 - 0.5;
    };
    return Array.from({ length: 12 }, (_, i) => {
      let b = 0;
      let c = 0;
      return area(Object.fromEntries(years.map((y) => [y, [100, outlier && i === 0 && y >= 2018 ? 1 : 100 * Math.exp((b += u() * 0.2)), 100 * Math.exp((c += u() * 0.2))] as [number, number, number]])));
    });
  }

  it('fitShareDynamics records the choice; forced estimators give their covariance; the outlier inflates only the classical one', () => {
    const areas = panel(true);
    const dyn = fitShareDynamics(areas, 2021, 'test');
    // forecasts: inner origins 2015-2020 (2014: one year only), steps to 2021: 12 x (3 + 3 + 3 + 3 + 2 + 1)
    expect(dyn.scale.forecasts).toBe(12 * 15);
    expect(SHARE_SCALE_ESTIMATORS).toContain(dyn.scale.estimator);
    expect(dyn.scale.scores.map((x) => x.estimator)).toEqual(['classical', 'exclude', 'mad']);
    expect(dyn.scale.rule).toMatch(/one standard error of the paired differences/);
    expect(JSON.parse(JSON.stringify(dyn))).toEqual(dyn);
    const cls = fitShareDynamics(areas, 2021, 'test', {}, 'classical');
    const ex = fitShareDynamics(areas, 2021, 'test', {}, 'exclude');
    expect(cls.scale).toEqual({ estimator: 'classical', scores: [], forecasts: 0, rule: 'classical, as asked', excluded: 0 });
    // the reclassification (b: 100 -> 1, a log-ratio jump of about -4.6) is the one row excluded
    expect(ex.scale.excluded).toBe(1);
    expect(cls.covariance[0][0]).toBeGreaterThan(5 * ex.covariance[0][0]);
    expect(dyn.covariance).toEqual(fitShareDynamics(areas, 2021, 'test', {}, dyn.scale.estimator).covariance);
    // on the panel without it, the classical scale agrees with the robust ones within a factor of 2
    const clean = fitShareDynamics(panel(false), 2021, 'test', {}, 'classical').covariance[0][0];
    const mad = fitShareDynamics(panel(false), 2021, 'test', {}, 'mad').covariance[0][0];
    expect(mad / clean).toBeGreaterThan(0.5);
    expect(mad / clean).toBeLessThan(2);
  });

  it('shares that never move: every path is the point, every CRPS 0, and a tie stays classical', () => {
    const still = Array.from({ length: 4 }, (_, i) => area({ 2019: [10 + i, 20, 30], 2020: [10 + i, 20, 30], 2021: [10 + i, 20, 30], 2022: [10 + i, 20, 30] }));
    const dyn = fitShareDynamics(still, 2022, 'test');
    expect(dyn.scale.estimator).toBe('classical');
    expect(dyn.scale.scores).toEqual([
      { estimator: 'classical', crps: 0, diff: null, se: null },
      { estimator: 'exclude', crps: 0, diff: 0, se: 0 },
      { estimator: 'mad', crps: 0, diff: 0, se: 0 },
    ]);
    // inner origins 2020 and 2021 (2019: one year only): 4 x (2 + 1)
    expect(dyn.scale.forecasts).toBe(12);
  });
});
