/**
 * The multi-state model's numbers on the fixture returns, pinned to the last
 * digit: fit, expected projection and seeded simulation. Written before the
 * model's file was split by concept and before the loader and fit were made
 * faster (issues 13, 14), so that neither change can move a number; any
 * deliberate change to the model must update them with its reason.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSsda903Folder } from '../../src/data/loaders/ssda903Folder.js';
import { fitMultiState, projectMultiState } from '../../src/system/multiState.js';

const dir = fileURLToPath(new URL('../fixtures/ssda903/', import.meta.url));
const data = loadSsda903Folder(dir, { area: 'Synthetic LA' });
const sum = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0);

describe('the multi-state model on the fixture returns, pinned', () => {
  const m = fitMultiState(data);
  const s = m.states.indexOf('10_15|fostering');

  it('fit: exposures, counts, rates, starters and starting stock', () => {
    expect(m.states).toHaveLength(25);
    expect(sum(m.exposureDays)).toBe(74839);
    expect(sum(m.exitCounts)).toBe(97);
    expect(m.agedOut).toBe(0);
    expect(m.entries.count).toBe(31);
    expect(m.initial).toHaveLength(11);
    expect(m.exposureDays[s]).toBe(39494);
    expect(m.exitRates[s]).toBe(0.0009368511672659138);
    expect(m.moveRates[s]).toEqual([0, 0.0003798045272699651, 0.00015192181090798603, 0.00015192181090798603, 0.00002532030181799767]);
    expect(m.entries.perDay).toBe(0.016986301369863014);
    expect(m.entries.mix[10]).toEqual([0.0967741935483871, 0, 0, 0, 0]);
  });

  it('expected projection and seeded simulation', () => {
    const p = projectMultiState(m, { to: 2025, paths: 50, seed: 3 });
    expect(p.dates).toEqual(['2023-03-31', '2024-03-31', '2025-03-31']);
    expect(p.expected.total).toEqual([10.065794223817864, 10.180573228767946, 10.541098537225446]);
    expect(p.expected.exits).toEqual([6.530329775635544, 5.343802105517392, 5.362224935340978]);
    expect(p.expected.byGroup.fostering).toEqual([6.428645213683368, 6.927307982764286, 7.18482854921169]);
    const sim = p.simulation!;
    expect(sim.total.mean).toEqual([9.7, 10.54, 10.62]);
    expect(sim.total.intervals[0].lower).toEqual([7, 7, 6]);
    expect(Array.from(sim.totalPaths.values.slice(0, 9))).toEqual([14, 10, 10, 11, 12, 9, 10, 10, 8]);
  });

  it('placement x provider groups, a later window', () => {
    const q = fitMultiState(data, { groupBy: 'placementProvider', from: '2018-04-01' });
    expect(sum(q.exposureDays)).toBe(49268);
    expect(sum(q.moveCounts.flat())).toBe(75);
    expect(projectMultiState(q, { to: 2024 }).expected.total).toEqual([5.973447583627419, 4.315528895774413]);
  });
});
