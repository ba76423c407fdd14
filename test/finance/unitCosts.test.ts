/** Unit costs derived from the Derbyshire seed: spend / (placements x 52.18), with the derivation shown. */
import { describe, expect, it } from 'vitest';
import { loadSeed } from '../../src/data/seeds.js';
import { unitCostRecords, unitCostsFromSeed } from '../../src/finance/unitCosts.js';

describe('unitCostsFromSeed(derbyshire)', () => {
  const u = unitCostsFromSeed(loadSeed('derbyshire'));
  const d = (group: string, year: number) => {
    const x = u.derivations.find((r) => r.group === group && r.year === year);
    if (!x) throw new Error(`no derivation ${group} ${year}`);
    return x;
  };

  it('derives 2022/23 weekly costs from spend and the published shares x 995', () => {
    expect(d('fostering_external', 2023).weekly).toBeCloseTo(15_202_497 / (0.28 * 995 * 52.18), 8); // £1,045.75
    expect(d('fostering_internal', 2023).weekly).toBeCloseTo(8_615_990 / (0.36 * 995 * 52.18), 8); // £460.97
    expect(d('residential_external', 2023).weekly).toBeCloseTo(27_432_811 / (0.11 * 995 * 52.18), 8); // £4,803.42
    expect(d('residential_internal', 2023).weekly).toBeCloseTo(8_506_711 / (0.028 * 995 * 52.18), 8); // £5,851.63
  });

  it('derives 2020/21 weekly costs from the March 2020 counts and says it is one snapshot', () => {
    const f = d('fostering_internal', 2021);
    expect(f.weekly).toBeCloseTo(8_034_641 / (388 * 52.18), 8); // £396.85
    expect(f.formula).toBe('8,034,641 / (388 x 52.18) = 396.85');
    expect(f.caveats.join(' ')).toMatch(/opening snapshot \(31 March 2020\) only/);
    expect(f.caveats.join(' ')).toMatch(/running the fostering service/);
    expect(d('residential_external', 2021).weekly).toBeCloseTo(22_320_062 / (74 * 52.18), 8);
    // children's homes spend against the "Residential Placement (DCC)" count: flagged
    expect(d('residential_internal', 2021).caveats.join(' ')).toMatch(/not \{"placementType":"childrens_home"/);
  });

  it('shows every input with its source line', () => {
    const f = d('fostering_external', 2023);
    expect(f.inputs.map((i) => [i.name, i.value, i.source])).toEqual([
      ['spend 2022/23', 15_202_497, '001_d9ec82d55c6be5ca.txt:3715'],
      ['share 31 March 2023', 0.28, '001_d9ec82d55c6be5ca.txt:3622'],
      ['children in care 31 March 2023', 995, expect.stringMatching(/^00\d_[0-9a-f]+\.txt:\d+$/)],
      ['placements 31 March 2023', expect.closeTo(278.6, 9), 'derived'],
    ]);
  });

  it('passes the secure weekly range through at its middle', () => {
    const s = d('secure', 2025);
    expect(s.weekly).toBe((9263 + 11830) / 2);
    expect(s.inputs.map((i) => i.value).sort()).toEqual([11830, 9263]);
  });

  it('gives the latest cost per group, names the groups with none, and makes tidy rows', () => {
    expect(u.latest.fostering_external.year).toBe(2023);
    expect(u.missing).toEqual(['supported_accommodation']);
    const rows = unitCostRecords(u);
    expect(rows).toHaveLength(u.derivations.length);
    expect(rows[0].inputs).toContain('001_d9ec82d55c6be5ca.txt:3716');
  });
});
