/** The whole-system projection from episodes: every part read off the same simulated children, adding up on every path. */
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AGE_BANDS, PLACEMENT_CODES, PROVIDER_CODES, SYSTEM_PLACEMENT_GROUPS, SYSTEM_PROVIDER_GROUPS, placementGroupOf, systemPlacementGroupOf, systemProviderGroupOf } from '../../src/data/codes.js';
import { childrenInCareOn } from '../../src/data/episodes.js';
import { marchEnd } from '../../src/data/calendar.js';
import { readSsda903 } from '../../src/data/loaders/ssda903.js';
import { loadSsda903Folder } from '../../src/data/loaders/ssda903Folder.js';
import { generateSyntheticEpisodes } from '../../src/data/syntheticEpisodes.js';
import { createRng } from '../../src/math/rng.js';
import type { SamplePaths } from '../../src/models/types.js';
import { projectEpisodeSystem, type EpisodeSystemPaths } from '../../src/system/episodeSystem.js';
import { fitMultiState, projectMultiState } from '../../src/system/multiState.js';
import { errorOf } from '../helpers/inputError.js';

const at = (p: SamplePaths, path: number, step: number): number => p.values[path * p.horizon + step];

/** Every identity of the module notes, on every path and year; throws naming the first that fails. */
function checkAdditivity(s: EpisodeSystemPaths): void {
  const H = s.years.length;
  for (let i = 0; i < s.paths; i++) {
    let prev = s.start.stock;
    for (let h = 0; h < H; h++) {
      const total = at(s.total, i, h);
      const parts: [string, number][] = [
        ['placement', SYSTEM_PLACEMENT_GROUPS.reduce((a, g) => a + at(s.placement[g], i, h), 0)],
        ['provider', SYSTEM_PROVIDER_GROUPS.reduce((a, g) => a + at(s.provider[g], i, h), 0)],
        ['age', AGE_BANDS.reduce((a, b) => a + at(s.age[b], i, h), 0)],
        ['flows', prev + at(s.started, i, h) - at(s.ceased, i, h)],
      ];
      if (s.uasc) parts.push(['uasc', at(s.uasc.uasc, i, h) + at(s.uasc.not_uasc, i, h)]);
      for (const [name, v] of parts) if (v !== total) throw new Error(`path ${i}, ${s.years[h]}: ${name} ${v} != total ${total}`);
      if (at(s.agedOut, i, h) > at(s.ceased, i, h)) throw new Error('aged out above ceased');
      prev = total;
    }
  }
}

describe('the whole-system groups of SSDA903 codes', () => {
  it('placement: U1-U6 fostering; K1, K2 homes and secure; H5, P2, K3 independent and supported; the rest other', () => {
    const byGroup: Record<string, string[]> = {};
    for (const code of PLACEMENT_CODES.keys()) (byGroup[systemPlacementGroupOf(placementGroupOf(code)!.type)] ??= []).push(code);
    expect(byGroup).toEqual({
      fostering: ['U1', 'U2', 'U3', 'U4', 'U5', 'U6'],
      homes_secure: ['K1', 'K2'],
      independent_supported: ['H5', 'K3', 'P2'],
      other: ['A3', 'A4', 'A5', 'A6', 'P1', 'P3', 'R1', 'R2', 'R3', 'R5', 'S1', 'T0', 'T1', 'T2', 'T3', 'T4', 'Z1'],
    });
  });

  it('provider: in-house PR1; external PR2, PR4, PR5; other PR0, PR3 and not recorded', () => {
    expect([...PROVIDER_CODES.keys()].map((c) => [c, systemProviderGroupOf(c)])).toEqual([
      ['PR0', 'other'],
      ['PR1', 'in_house'],
      ['PR2', 'external'],
      ['PR3', 'other'],
      ['PR4', 'external'],
      ['PR5', 'external'],
    ]);
    expect(systemProviderGroupOf('')).toBe('other');
    expect(systemProviderGroupOf(' pr4 ')).toBe('external');
  });
});

describe('projectEpisodeSystem', () => {
  it('property: placement, provider, age and UASC groups add up to the total, and the flows to its change, on every path', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), fc.boolean(), fc.integer({ min: 2, max: 4 }), (genSeed, seed, split, horizon) => {
        const syn = generateSyntheticEpisodes({ firstYear: 2019, years: 2, burnInYears: 6, entriesPerDay: 0.25, uascShare: 0.5 }, createRng(genSeed));
        const data = readSsda903(syn.returns);
        const s = projectEpisodeSystem(data, { to: 2020 + horizon, paths: 12, seed, splitUasc: split });
        expect(s.years).toHaveLength(horizon);
        expect(s.start).toEqual({ year: 2020, date: '2020-03-31', stock: childrenInCareOn(data, marchEnd(2020)).length });
        checkAdditivity(s);
      }),
      // the first counterexample found: Gamma draws of a state with a day or two at risk gave daily probabilities above 1
      { numRuns: 8, examples: [[559, 1, false, 2]] },
    );
    // nine projections of generated returns: about 2 s of CPU, longer on a loaded machine
  }, 60_000);

  const dir = fileURLToPath(new URL('../fixtures/ssda903/', import.meta.url));
  const data = loadSsda903Folder(dir, { area: 'Synthetic LA' });

  it('reports progress after every path (both models of the UASC split as one run) and gives the same paths with or without it', () => {
    const calls: [number, number][] = [];
    const withBar = projectEpisodeSystem(data, { to: 2024, paths: 7, seed: 2, splitUasc: true, onProgress: (d, t) => calls.push([d, t]) });
    // 7 paths of the UASC children's model, then 7 of the others': 14 calls, counting 1..14 of 14
    expect(calls).toEqual(Array.from({ length: 14 }, (_, i) => [i + 1, 14]));
    const without = projectEpisodeSystem(data, { to: 2024, paths: 7, seed: 2, splitUasc: true });
    expect(Array.from(withBar.total.values)).toEqual(Array.from(without.total.values));
    expect(Array.from(withBar.placement.fostering.values)).toEqual(Array.from(without.placement.fostering.values));
  });

  it('on the fixture returns: starts from the 11 children in care at 31 March 2022; the paths agree with the expected values', () => {
    const s = projectEpisodeSystem(data, { to: 2025, paths: 2000, seed: 3 });
    expect(s.years).toEqual([2023, 2024, 2025]);
    expect(s.start).toEqual({ year: 2022, date: '2022-03-31', stock: 11 });
    checkAdditivity(s);
    // the same model's expected values (every date-of-birth cohort followed exactly): the mean of the paths within sampling error
    const expected = projectMultiState(fitMultiState(data, { groupBy: 'placementProvider' }), { to: 2025 }).expected.total;
    s.years.forEach((_, h) => {
      const v = Array.from({ length: s.paths }, (_, i) => at(s.total, i, h));
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
      // parameter uncertainty widens the paths but leaves their mean close to the expected values (the rates' posterior means)
      expect(Math.abs(mean - expected[h])).toBeLessThan(4 * (sd / Math.sqrt(v.length)) + 0.05 * expected[h] + 0.5);
    });
    // the same seed, the same paths
    expect(projectEpisodeSystem(data, { to: 2025, paths: 2000, seed: 3 }).total.values).toEqual(s.total.values);
    expect(s.notes[0]).toMatch(/^Whole-system projection from \d+ episodes: the multi-state model \(age band x placement group x provider group\) fitted on 2017-04-01 to 2022-03-31, 2000 simulated paths \(seed 3\) from 11 children in care on 2022-03-31\./);
  });

  it('split by UASC status: two models, the UASC part holds the UASC children', () => {
    const s = projectEpisodeSystem(data, { to: 2024, paths: 200, seed: 1, splitUasc: true });
    checkAdditivity(s);
    expect(s.models).toHaveLength(2);
    expect(s.models[0].notes.some((n) => n.startsWith('Fitted to unaccompanied asylum-seeking children only'))).toBe(true);
    const uascNow = childrenInCareOn(data, marchEnd(2022)).filter((c) => data.children.get(c.child)?.uasc).length;
    expect(s.models[0].initial).toHaveLength(uascNow);
  });

  it('bad options', () => {
    expect(errorOf(() => projectEpisodeSystem(data, { to: 2022 })).problems[0]).toMatchObject({ field: 'to' });
    expect(errorOf(() => projectEpisodeSystem(data, { to: 2024, until: '2021-12-31' })).problems[0]).toMatchObject({ field: 'until' });
    expect(errorOf(() => projectEpisodeSystem(data, { to: 2024, paths: 0 })).problems[0]).toMatchObject({ field: 'paths' });
    const noUasc = readSsda903(generateSyntheticEpisodes({ firstYear: 2019, years: 2, entriesPerDay: 0.2 }, createRng(1)).returns.map((r) => ({ ...r, uasc: undefined })));
    expect(errorOf(() => projectEpisodeSystem(noUasc, { to: 2022, splitUasc: true })).problems[0]).toMatchObject({ field: 'uasc' });
  });
});
