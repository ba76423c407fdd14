/** Terminal tables of costs and sufficiency: the numbers by hand on toy paths, and never wider than asked. */
import { describe, expect, it } from 'vitest';
import type { CostModel } from '../../src/finance/costs.js';
import { admissions, capacity } from '../../src/finance/levers.js';
import { applyScenario } from '../../src/finance/scenario.js';
import { formatCostTable, formatSufficiencyTable, wrapText } from '../../src/output/costTable.js';
import { toyPaths } from '../finance/toy.js';

// weekly costs so that one child for a year costs £1m: 1e6 / 52.18 a week
const model: CostModel = {
  dimension: 'finance',
  priceYear: 2025,
  weekly: { a: 1e6 / 52.18, b: 1e6 / 52.18 },
  capacity: [{ name: 'pool', internalGroup: 'a', externalGroup: 'b', places: 10 }],
};

describe('formatCostTable', () => {
  it('prints P50 (P10-P90) in £m per financial year, base then S1, S2 ... with a legend', () => {
    const base = applyScenario(toyPaths(), model, { name: 'base', levers: [] });
    const fewer = applyScenario(toyPaths(), model, { name: 'admissions -10% from 2027', levers: [admissions(-0.1, 2027)] });
    const text = formatCostTable([base, fewer]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^financial year +base +S1$/);
    // 2025/26: average placements (10 + 12) / 2 = 11 in both paths: £11m, no spread
    expect(lines[2].trim().split(/\s{2,}/)).toEqual(['2025/26', '11.0 (11.0-11.0)', '11.0 (11.0-11.0)']);
    // 2026/27: (12 + 16) / 2 = 14 and (12 + 12) / 2 = 12; P50 13, P10 12.2, P90 13.8 (type-7 quantiles of two values)
    expect(lines[3].trim().split(/\s{2,}/)[1]).toBe('13.0 (12.2-13.8)');
    expect(lines.at(-1)).toBe('S1: admissions -10% from 2027');
  });

  it('splits a table wider than the terminal, repeating the year column, and wraps the legend', () => {
    const results = Array.from({ length: 9 }, (_, i) => applyScenario(toyPaths(), model, { name: i === 0 ? 'base' : `scenario ${i} ${'with a long name '.repeat(i)}`, levers: [] }));
    const text = formatCostTable(results, { width: 60 });
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(60);
    const headers = text.split('\n').filter((l) => l.startsWith('financial year'));
    expect(headers.length).toBeGreaterThan(1);
    expect(headers.join(' ').match(/\bS\d\b/g)).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8']);
  });
});

describe('formatSufficiencyTable', () => {
  it('gives each year the demand, the places and the gap with its band', () => {
    const more = applyScenario(toyPaths(), model, { name: 'more places', levers: [capacity('pool', 4, 2027)] });
    const lines = formatSufficiencyTable(more.costs).split('\n');
    expect(lines[0]).toMatch(/^year +pool demand +places +gap \(P10 to P90\)$/);
    // 2026: demand a + b = 12 in both paths, 10 places: gap 2; 2027: demand 16 and 12 (P50 14), 14 places:
    // gaps 2 and -2, P10 -2 + 0.1 x 4 = -1.6, P90 1.6, shown rounded
    expect(lines[2].trim().split(/\s{2,}/)).toEqual(['2026', '12', '10', '2 (2 to 2)']);
    expect(lines[3].trim().split(/\s{2,}/)).toEqual(['2027', '14', '14', '0 (-2 to 2)']);
  });
});

describe('wrapText', () => {
  it('wraps at the width with a hanging indent, and keeps a long word whole', () => {
    expect(wrapText('aa bb cc dd', 8, '- ')).toEqual(['- aa bb', '  cc dd']);
    expect(wrapText('x'.repeat(12), 8)).toEqual(['x'.repeat(12)]);
    expect(wrapText('', 8, '- ')).toEqual(['- ']);
  });
});
