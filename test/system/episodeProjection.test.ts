/**
 * `episodeSystemProjection`: the episode model's paths as a system
 * projection. Properties on the fixture returns: whatever the seed, window
 * end and UASC split, every breakdown adds up to the total and the stock
 * identity holds exactly on every path; points are path medians; the
 * observed history ends at the starting stock; costs read the same paths.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadSsda903Folder } from '../../src/data/loaders/ssda903Folder.js';
import { placementPathsOf } from '../../src/finance/placements.js';
import { episodeSystemProjection } from '../../src/system/episodeProjection.js';
import { pathBands } from '../../src/uncertainty/pathBands.js';

const data = loadSsda903Folder(fileURLToPath(new URL('../fixtures/ssda903/', import.meta.url)), { today: '2024-06-30' });

describe('episodeSystemProjection', () => {
  it('is coherent on every path, whatever the seed, window end and UASC split (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom(2019, 2020, 2022), fc.boolean(), (seed, until, splitUasc) => {
        const sp = episodeSystemProjection(data, { to: until + 3, paths: 100, seed, until: `${until}-03-31`, splitUasc, placementProvider: true });
        expect(sp.engine).toBe('episodes');
        expect(sp.years).toEqual([until + 1, until + 2, until + 3]);
        const H = 3;
        const S = sp.paths.stock.values;
        for (let k = 0; k < 100; k++) {
          let prev = sp.start.stock;
          for (let h = 0; h < H; h++) {
            const j = k * H + h;
            expect(S[j]).toBe(prev + sp.paths.started!.values[j] - sp.paths.ceased!.values[j]);
            prev = S[j];
          }
        }
        for (const bd of Object.values(sp.breakdowns)) {
          expect(bd.maxIncoherence).toBe(0);
          for (let j = 0; j < S.length; j++) {
            expect(bd.groups.reduce((a, g) => a + bd.paths[g].values[j], 0)).toBe(S[j]);
            if (S[j] > 0) expect(bd.groups.reduce((a, g) => a + bd.sharePaths[g].values[j], 0)).toBeCloseTo(1, 12);
          }
          // the history ends at the starting stock, counted as the model counts it
          const last = bd.history.at(-1)!;
          expect(last.year).toBe(until);
          expect(last.counts.reduce((a, b) => a + b, 0)).toBe(sp.start.stock);
        }
        expect(Object.keys(sp.breakdowns).sort()).toEqual(['age', 'placement', 'placement_provider', 'provider', ...(splitUasc ? ['uasc'] : [])].sort());
        // points are the paths' medians, the total's too
        expect(sp.stock.point).toEqual(pathBands(sp.paths.stock, [80, 95]).median);
        expect(sp.breakdowns.placement.byGroup.residential.point).toEqual(pathBands(sp.breakdowns.placement.paths.residential, [80]).median);
        // costs read the same paths, opening from the counts at the start
        const pp = placementPathsOf(sp, 'provider');
        expect(pp.stock).toBe(sp.paths.stock);
        expect(Object.values(pp.opening).reduce((a, b) => a + b, 0)).toBe(sp.start.stock);
      }),
      { numRuns: 4 },
    );
  }, 120_000);

  it('fitted on the fixture to 31 March 2019 (49 in care), it projects 44 and 41 for 2020-2021: the cut cohort shrinks faster (28, 19), as its rates held constant cannot know', () => {
    const sp = episodeSystemProjection(data, { to: 2021, seed: 1, until: '2019-03-31' });
    expect(sp.start).toEqual({ year: 2019, stock: 49 });
    expect(sp.stock.point).toEqual([44, 41]);
    expect(sp.caveats.some((c) => c.startsWith('Rates held constant at their averages over the fit window 2017-04-01 to 2019-03-31'))).toBe(true);
    expect(() => episodeSystemProjection(data, { to: 2021, levels: [120] })).toThrow(/levels/);
  });
});
