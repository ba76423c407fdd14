/** Price basis and levers in plain words: what every output says about the money. */
import { describe, expect, it } from 'vitest';
import { describeLever, priceBasisOf } from '../../src/finance/describe.js';
import type { CostModel } from '../../src/finance/costs.js';

const model = (inflation?: CostModel['inflation']): CostModel => ({ dimension: 'finance', priceYear: 2023, weekly: { a: 100 }, ...(inflation ? { inflation } : {}) });

describe('priceBasisOf', () => {
  it('cash with inflation, real without; the price year as a financial year', () => {
    expect(priceBasisOf(model({ rate: 0.03 }))).toEqual({ basis: 'cash', priceYear: '2022/23', inflation: '3.0% a year', text: 'cash: 2022/23 prices uprated by 3.0% a year' });
    expect(priceBasisOf(model())).toEqual({ basis: 'real', priceYear: '2022/23', inflation: 'none', text: 'real: constant 2022/23 prices (no inflation)' });
    // zero rates are no inflation
    expect(priceBasisOf(model({ rate: 0 })).basis).toBe('real');
    expect(priceBasisOf(model({ rates: { 2024: 0, 2025: 0 } })).basis).toBe('real');
  });

  it('names rates per year and index series', () => {
    expect(priceBasisOf(model({ rate: 0.02, rates: { 2025: 0.05, 2024: 0.06 } })).inflation).toBe('2023/24 6.0%, 2024/25 5.0%; other years 2.0%');
    expect(priceBasisOf(model({ index: { 2023: 100, 2024: 104, 2030: 130 } })).text).toBe('cash: 2022/23 prices uprated by an index series (2022/23 to 2029/30, rescaled to 1 in 2022/23)');
  });
});

describe('describeLever', () => {
  it('says each kind in words, with financial years', () => {
    expect(describeLever({ kind: 'admissions', change: -0.1, from: 2026 })).toBe('admissions: starters -10% from 2025/26');
    expect(describeLever({ kind: 'exitRate', change: 0.05, from: 2027, phaseYears: 2 })).toBe('exitRate: exit rate +5% from 2026/27, phased in over 2 years');
    expect(describeLever({ kind: 'uasc', change: 20, from: 2026, to: 2028 })).toBe('uasc: +20 starters a year from 2025/26 to 2027/28');
    expect(describeLever({ kind: 'stepDown', fromGroup: 're', toGroup: 'fi', children: 10, from: 2026, years: 3, retention: 0.8 })).toBe(
      'stepDown: 10 children a year from re to fi from 2025/26 for 3 years, 80% still stepped down a year later',
    );
    expect(describeLever({ kind: 'capacity', pool: 'residential', change: -4, from: 2027 })).toBe('capacity: -4 places in the residential pool from 2026/27');
    expect(describeLever({ kind: 'costInflation', rate: 0.02, from: 2027, groups: ['re'] })).toBe("costInflation: unit costs +2% a year above the model's inflation from 2026/27 (re)");
  });
});
