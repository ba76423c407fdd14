/** The SSDA903 code tables. */
import { describe, expect, it } from 'vitest';
import { ageBandOf, PLACEMENT_CODES, placementGroupOf, PROVIDER_CODES, providerGroupOf } from '../../src/data/codes.js';

describe('SSDA903 codes', () => {
  it('maps placement codes onto the seeds\u2019 groups', () => {
    for (const c of ['U1', 'U2', 'U3', 'U4', 'U5', 'U6']) expect(placementGroupOf(c)?.group).toBe('fostering');
    expect(placementGroupOf('K2')).toEqual({ type: 'childrens_home', group: 'residential' });
    expect(placementGroupOf('K1')).toEqual({ type: 'secure', group: 'residential' });
    for (const c of ['H5', 'P2', 'K3']) expect(placementGroupOf(c)).toEqual({ type: 'semi_independent', group: 'residential' });
    for (const c of ['A3', 'A4', 'A5', 'A6']) expect(placementGroupOf(c)?.group).toBe('adoption');
    expect(placementGroupOf('P1')?.group).toBe('parents');
    expect(placementGroupOf('S1')).toEqual({ type: 'residential_school', group: 'other' });
    for (const c of ['R1', 'R2', 'R3', 'R5', 'Z1']) expect(placementGroupOf(c)?.group).toBe('other');
    expect(placementGroupOf(' u4 ')?.group).toBe('fostering');
    expect(placementGroupOf('X9')).toBeUndefined();
    expect(PLACEMENT_CODES.size).toBe(28);
  });
  it('maps provider codes: internal = own LA + other LA', () => {
    expect(providerGroupOf('PR1')).toBe('internal');
    expect(providerGroupOf('PR2')).toBe('internal');
    expect(providerGroupOf('PR4')).toBe('private');
    expect(providerGroupOf('PR5')).toBe('voluntary');
    expect(providerGroupOf('PR3')).toBe('other');
    expect(providerGroupOf('PR0')).toBe('other');
    expect(providerGroupOf('PR9')).toBeUndefined();
    expect(PROVIDER_CODES.size).toBe(6);
  });
  it('age bands at the DfE boundaries', () => {
    expect([0, 0.9, 1, 4, 5, 9, 10, 15, 16, 17].map(ageBandOf)).toEqual(['under_1', 'under_1', '1_4', '1_4', '5_9', '5_9', '10_15', '10_15', '16_plus', '16_plus']);
    expect(() => ageBandOf(-1)).toThrow(RangeError);
  });
});
