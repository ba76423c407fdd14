/** The multi-state model: golden two-state case, exposure by hand, exact ageing, recovery of known rates. */
import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { dayOf } from '../../src/data/calendar.js';
import { readSsda903 } from '../../src/data/loaders/ssda903.js';
import { generateSyntheticEpisodes } from '../../src/data/syntheticEpisodes.js';
import { createRng } from '../../src/math/rng.js';
import { fitMultiState, multiStateModelFromRates, projectMultiState } from '../../src/system/multiState.js';

const EP = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE';
const HD = 'CHILD,SEX,DOB';

describe('the two-state golden case: 100 children, daily exit probability 0.1', () => {
  const model = multiStateModelFromRates({ exitRates: 0.1, initial: [{ dob: 0, group: 'in_care', count: 100 }] });

  it('expected values are exact: 90/10, 81/19, 59.049/40.951, 7.18/92.82', () => {
    const p = projectMultiState(model, { days: 25, reportDays: [1, 2, 5, 25] });
    expect(p.expected.total[0]).toBeCloseTo(90, 12);
    expect(p.expected.notInCare[0]).toBeCloseTo(10, 12);
    expect(p.expected.total[1]).toBeCloseTo(81, 12);
    expect(p.expected.notInCare[1]).toBeCloseTo(19, 12);
    expect(p.expected.total[2]).toBeCloseTo(59.049, 10);
    expect(p.expected.notInCare[2]).toBeCloseTo(40.951, 10);
    expect(p.expected.total[3]).toBeCloseTo(100 * 0.9 ** 25, 10); // 7.17898
    expect(p.expected.notInCare[3]).toBeCloseTo(100 - 100 * 0.9 ** 25, 10);
    expect(p.expected.exits.reduce((a, b) => a + b, 0)).toBeCloseTo(100 - 100 * 0.9 ** 25, 10);
  });

  it("the same with discretisation 'exponential' and rate -ln(0.9)", () => {
    const m = multiStateModelFromRates({ exitRates: -Math.log(0.9), discretisation: 'exponential', initial: [{ dob: 0, group: 'in_care', count: 100 }] });
    const p = projectMultiState(m, { days: 25, reportDays: [1, 2, 5, 25] });
    expect(p.expected.total.map((v) => +v.toFixed(9))).toEqual([90, 81, 59.049, +(100 * 0.9 ** 25).toFixed(9)]);
  });

  it('the seeded simulation agrees within sampling error and is reproducible', () => {
    const opts = { days: 25, reportDays: [1, 2, 5, 25], paths: 4000, seed: 11 } as const;
    const p = projectMultiState(model, opts);
    const sim = p.simulation!;
    const expected = [90, 81, 59.049, 100 * 0.9 ** 25];
    expected.forEach((m, i) => {
      const q = m / 100;
      const se = Math.sqrt((100 * q * (1 - q)) / 4000);
      expect(Math.abs(sim.total.mean[i] - m)).toBeLessThan(4 * se);
    });
    // binomial(100, 0.9): 95% interval about 84-95 on day 1
    expect(sim.total.intervals[1].lower[0]).toBeGreaterThanOrEqual(83);
    expect(sim.total.intervals[1].upper[0]).toBeLessThanOrEqual(96);
    expect(projectMultiState(model, opts).simulation!.total.mean).toEqual(sim.total.mean);
  });
});

describe('exposure and counts by hand', () => {
  // child A born 1 Jan 2010: fostering 1-11 Jan 2020, residential 11-21 Jan 2020, leaves (E8)
  // child B born 1 Jul 2004: fostering from 1 Jan 2020, 18 on 1 Jul 2022 (aged out inside the window)
  const data = readSsda903([
    {
      year: 2022,
      episodes: [EP, 'A,01/01/2020,S,C2,N1,U4,PR1,11/01/2020,X1,', 'A,11/01/2020,P,C2,N1,K2,PR4,21/01/2020,E8,', 'B,01/01/2020,S,C2,N1,U4,PR1,,,'].join('\n'),
      header: [HD, 'A,1,01/01/2010', 'B,2,01/07/2004'].join('\n'),
    },
  ]);

  it('rates = transitions / days at risk; ageing out at 18 is not an exit', () => {
    const m = fitMultiState(data, { from: '2019-12-01', to: '2022-12-31' });
    const s = (band: string, group: string): number => m.states.indexOf(`${band}|${group}`);
    // A: 10 days; B: 15 years old from 1 Jan to 1 Jul 2020
    expect(m.exposureDays[s('10_15', 'fostering')]).toBe(10 + (dayOf(2020, 7, 1) - dayOf(2020, 1, 1)));
    expect(m.moveCounts[s('10_15', 'fostering')][1]).toBe(1);
    expect(m.exposureDays[s('10_15', 'residential')]).toBe(10);
    expect(m.exitCounts[s('10_15', 'residential')]).toBe(1);
    expect(m.exitRates[s('10_15', 'residential')]).toBeCloseTo(0.1, 15);
    expect(m.moveRates[s('10_15', 'fostering')][1]).toBeCloseTo(1 / 192, 15);
    // B: 15 until 1 Jul 2020, then 16+ until the eve of the 18th birthday
    expect(m.exposureDays[s('10_15', 'fostering')] + m.exposureDays[s('16_plus', 'fostering')]).toBe(10 + (dayOf(2022, 6, 30) - dayOf(2020, 1, 1)));
    expect(m.exposureDays[s('16_plus', 'fostering')]).toBe(dayOf(2022, 6, 30) - dayOf(2020, 7, 1));
    expect(m.agedOut).toBe(1);
    expect(m.exitCounts[s('16_plus', 'fostering')]).toBe(0);
    expect(m.entries.count).toBe(2);
    expect(m.entries.byBand['10_15']).toBe(2);
  });
});

describe('exact ageing and the hard exit at 18', () => {
  it('a child moves band on the birthday and leaves care on the 18th birthday', () => {
    const bands = [
      { name: '0_15', from: 0 },
      { name: '16_17', from: 16 },
    ];
    const start = dayOf(2020, 1, 1);
    const m = multiStateModelFromRates({ ageBands: bands, exitRates: 0, start, initial: [{ dob: '2004-01-03', group: 'in_care', count: 3 }, { dob: '2002-01-05', group: 'in_care' }] });
    const p = projectMultiState(m, { days: 6, reportDays: [1, 2, 3, 4, 5, 6], paths: 5, seed: 1 });
    // 16th birthday on 3 Jan 2020 (day 2); 18th birthday on 5 Jan 2020 (day 4)
    expect(p.expected.byBand['0_15']).toEqual([3, 0, 0, 0, 0, 0]);
    expect(p.expected.byBand['16_17']).toEqual([1, 4, 4, 3, 3, 3]);
    expect(p.expected.agedOut).toEqual([0, 0, 0, 1, 0, 0]);
    expect(p.simulation!.total.mean).toEqual([4, 4, 4, 3, 3, 3]);
    expect(p.simulation!.byBand['16_17'].mean).toEqual([1, 4, 4, 3, 3, 3]);
  });
});

describe('recovering the generator\u2019s true rates', () => {
  const syn = generateSyntheticEpisodes({ firstYear: 2017, years: 6, entriesPerDay: 2.5 }, createRng(2024));
  const data = readSsda903(syn.returns);
  const model = fitMultiState(data);
  const G = syn.truth.groups.length;

  it('every well-observed rate lies within sampling error of the truth', () => {
    let checked = 0;
    const z: number[] = [];
    for (let b = 0; b < syn.truth.bands.length; b++) {
      for (let g = 0; g < G; g++) {
        const s = b * G + g;
        const E = model.exposureDays[s];
        const rates: [number, number][] = [[syn.truth.exitRates[b][g], model.exitRates[s]]];
        for (let h = 0; h < G; h++) if (h !== g) rates.push([syn.truth.moveRates[b][g][h], model.moveRates[s][h]]);
        for (const [truth, est] of rates) {
          if (truth * E < 30) continue; // expect at least 30 events
          const se = Math.sqrt(truth / E); // Poisson: var(k / E) = rate / E
          z.push((est - truth) / se);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
    expect(Math.max(...z.map(Math.abs))).toBeLessThan(4);
    // standardised errors look standard normal
    const meanZ = z.reduce((a, b) => a + b, 0) / z.length;
    expect(Math.abs(meanZ)).toBeLessThan(4 / Math.sqrt(z.length));
    const rms = Math.sqrt(z.reduce((a, b) => a + b * b, 0) / z.length);
    expect(rms).toBeGreaterThan(0.5);
    expect(rms).toBeLessThan(1.6);
  });

  it('starters per day and their age mix', () => {
    const se = Math.sqrt(syn.truth.entriesPerDay / model.entries.days);
    expect(Math.abs(model.entries.perDay - syn.truth.entriesPerDay)).toBeLessThan(4 * se);
    const under1 = model.entries.mix[0].reduce((a, b) => a + b, 0);
    const trueUnder1 = syn.truth.entryMix[0].reduce((a, b) => a + b, 0);
    expect(Math.abs(under1 - trueUnder1)).toBeLessThan(4 * Math.sqrt((trueUnder1 * (1 - trueUnder1)) / model.entries.count));
  });

  it('expected projection and simulation agree; population-based starters scale', () => {
    const p = projectMultiState(model, { to: 2025, paths: 300, seed: 5 });
    expect(p.dates).toEqual(['2023-03-31', '2024-03-31', '2025-03-31']);
    const sim = p.simulation!;
    p.expected.total.forEach((v, i) => {
      expect(v).toBeGreaterThan(sim.total.intervals[1].lower[i]);
      expect(v).toBeLessThan(sim.total.intervals[1].upper[i]);
      expect(Math.abs(sim.total.mean[i] - v) / v).toBeLessThan(0.03);
    });
    const groups = Object.values(p.expected.byGroup).reduce((a, g) => a.map((x, i) => x + g[i]), [0, 0, 0]);
    groups.forEach((v, i) => expect(v).toBeCloseTo(p.expected.total[i], 8));
    const pop = [2017, 2018, 2019, 2020, 2021, 2022].map((year) => ({ year, value: 100_000 }));
    const mp = fitMultiState(data, { population: pop });
    expect(mp.entries.ratePer10k).toBeCloseTo((mp.entries.perDay * 365.25 * 10_000) / 100_000, 6);
    const p1 = projectMultiState(mp, { to: 2024, population: [2023, 2024].map((year) => ({ year, value: 100_000 })) });
    const p2 = projectMultiState(mp, { to: 2024, population: [2023, 2024].map((year) => ({ year, value: 200_000 })) });
    expect(p2.expected.entries[0]).toBeCloseTo(2 * p1.expected.entries[0], 8);
    const pt = projectMultiState(mp, { to: 2024, entryTrend: 0.1 });
    expect(pt.expected.entries[1]).toBeGreaterThan(1.05 * p1.expected.entries[1]);
  });
});

describe('bad options', () => {
  it('reports unknown groups, empty horizons and probabilities above 1', () => {
    const m = multiStateModelFromRates({ exitRates: 0.5, moveRates: [[0]] });
    expect(() => projectMultiState(m, {})).toThrow(CarecastInputError);
    expect(() => projectMultiState(m, { days: 3, initial: [{ dob: 0, group: 'nowhere' }] })).toThrow(/unknown group 'nowhere'/);
    const big = multiStateModelFromRates({ groups: ['a', 'b'], exitRates: 0.7, moveRates: [[0, 0.5], [0.1, 0]] });
    expect(() => projectMultiState(big, { days: 2 })).toThrow(/add to 1.2/);
    expect(() => multiStateModelFromRates({ exitRates: [0.1, 0.2] })).toThrow(/2 exit rates for 1 states/);
  });
});
