/** Splitting by UASC status: derived flows by status, and multi-state models of each status that add up to the whole. */
import { describe, expect, it } from 'vitest';
import { findSeries } from '../../src/data/breakdown.js';
import { dayOf } from '../../src/data/calendar.js';
import { deriveAnnualDataset, isUascOn } from '../../src/data/episodes.js';
import { readSsda903 } from '../../src/data/loaders/ssda903.js';
import { generateSyntheticEpisodes } from '../../src/data/syntheticEpisodes.js';
import { createRng } from '../../src/math/rng.js';
import { fitMultiState } from '../../src/system/multiState.js';
import { errorOf } from '../helpers/inputError.js';

const EP = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE';
const HD = 'CHILD,SEX,DOB';
const UA = 'CHILD,SEX,DOB,DUC';

describe('derived series by UASC status', () => {
  // U: UASC, 16 on arrival (1 June 2020), status to end on the 18th birthday (10 May 2022); leaves care on 10 May 2021
  // V: UASC until 1 January 2021 (status granted), in care throughout
  // N: not UASC; starts 1 July 2020, leaves 1 February 2021
  const data = readSsda903([
    {
      year: 2021,
      episodes: [EP, 'U,01/06/2020,S,C2,N1,H5,PR4,,,', 'V,01/05/2020,S,C2,N1,U4,PR1,,,', 'N,01/07/2020,S,C2,N1,U4,PR1,01/02/2021,E4A,'].join('\n'),
      header: [HD, 'U,1,10/05/2004', 'V,1,01/01/2005', 'N,2,01/01/2012'].join('\n'),
      uasc: [UA, 'U,1,10/05/2004,10/05/2022', 'V,1,01/01/2005,01/01/2021'].join('\n'),
    },
    {
      year: 2022,
      episodes: [EP, 'U,01/06/2020,S,C2,N1,H5,PR4,10/05/2021,E8,', 'V,01/05/2020,S,C2,N1,U4,PR1,,,'].join('\n'),
      header: [HD, 'U,1,10/05/2004', 'V,1,01/01/2005'].join('\n'),
      uasc: [UA, 'U,1,10/05/2004,10/05/2022', 'V,1,01/01/2005,01/01/2021'].join('\n'),
    },
  ]);
  const { dataset } = deriveAnnualDataset(data);
  const values = (measure: string, uasc?: 'uasc' | 'not_uasc'): (number | null)[] => findSeries(dataset, measure, uasc ? { uasc } : {}).points.map((p) => p.value);

  it('status is the UASC file and the date it ceased', () => {
    const v = data.children.get('V')!;
    expect(isUascOn(v, dayOf(2020, 12, 31))).toBe(true);
    expect(isUascOn(v, dayOf(2021, 1, 1))).toBe(false);
    expect(isUascOn(data.children.get('N')!, dayOf(2020, 12, 31))).toBe(false);
  });

  it('stock at 31 March, starters and leavers, each split by status on the day', () => {
    // years 2020 (stock only), 2021, 2022
    expect(values('children_in_care')).toEqual([0, 2, 1]);
    expect(values('children_in_care', 'uasc')).toEqual([0, 1, 0]); // U on 31 March 2021 (V's status ended 1 January 2021)
    expect(values('children_in_care', 'not_uasc')).toEqual([0, 1, 1]);
    expect(values('started')).toEqual([3, 0]);
    expect(values('started', 'uasc')).toEqual([2, 0]); // U and V were UASC when they started
    expect(values('started', 'not_uasc')).toEqual([1, 0]);
    expect(values('ceased')).toEqual([1, 1]);
    expect(values('ceased', 'uasc')).toEqual([0, 1]); // U, UASC on its last day in care
    expect(values('ceased', 'not_uasc')).toEqual([1, 0]);
  });
});

describe('multi-state models of UASC children and the others add up to the model of all children', () => {
  const syn = generateSyntheticEpisodes({ firstYear: 2019, years: 3, entriesPerDay: 0.6, uascShare: 0.4 }, createRng(5));
  const data = readSsda903(syn.returns);
  const all = fitMultiState(data);
  const u = fitMultiState(data, { uasc: true });
  const n = fitMultiState(data, { uasc: false });

  it('exposure, moves, exits, starters and the starting stock are split exactly', () => {
    expect(u.entries.count).toBeGreaterThan(20);
    expect(n.entries.count).toBeGreaterThan(u.entries.count);
    const sum = (a: readonly number[], b: readonly number[]): number[] => a.map((x, i) => x + b[i]);
    expect(sum(u.exposureDays, n.exposureDays)).toEqual(all.exposureDays);
    expect(sum(u.exitCounts, n.exitCounts)).toEqual(all.exitCounts);
    expect(u.moveCounts.map((r, s) => sum(r, n.moveCounts[s]))).toEqual(all.moveCounts);
    expect(u.entries.count + n.entries.count).toBe(all.entries.count);
    expect(u.agedOut + n.agedOut).toBe(all.agedOut);
    expect(u.initial.length + n.initial.length).toBe(all.initial.length);
    // UASC children start as teenagers (14-17 in the generator)
    expect(u.entries.mix.slice(0, 14).flat().every((v) => v === 0)).toBe(true);
    expect(u.notes.filter((x) => /^Fitted to unaccompanied asylum-seeking children only/.test(x))).toHaveLength(1);
  });

  it('a UASC model needs a UASC file', () => {
    const noUasc = readSsda903(syn.returns.map((r) => ({ ...r, uasc: undefined })));
    expect(errorOf(() => fitMultiState(noUasc, { uasc: true })).problems[0]).toMatchObject({ field: 'uasc', message: expect.stringMatching(/no child is in a UASC file/) });
    expect(fitMultiState(noUasc, { uasc: false }).entries.count).toBe(all.entries.count);
  });
});
