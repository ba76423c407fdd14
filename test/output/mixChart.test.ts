/** Placement-mix and cost charts: rows, specs that compile and render, input checks. */
import { describe, expect, it } from 'vitest';
import { CarecastInputError, findSeries, loadSeed, projectSystem, renderSvg } from '../../src/index.js';
import { reproduceDerbyshirePlacementProjections } from '../../src/reproduce/index.js';
import { costChartSpec, mixChartRows, mixChartSpec, type CostChartRow } from '../../src/output/mixChart.js';

function derbyshireSystem() {
  const seed = loadSeed('derbyshire');
  const ds = seed.dataset;
  const rep = reproduceDerbyshirePlacementProjections(seed);
  const inputs = (figure: string) => rep.figures.find((f) => f.figure === figure)?.primary.points.map((p) => ({ year: p.year, value: p.value })) ?? [];
  return projectSystem(
    {
      stock: findSeries(ds, 'children_in_care'),
      started: findSeries(ds, 'started'),
      ceased: findSeries(ds, 'ceased'),
      breakdowns: { placement: { fostering: inputs('fostering'), residential: inputs('residential') } },
    },
    { to: 2030, paths: 500, seed: 7 },
  );
}
const sys = derbyshireSystem();

describe('mixChartRows', () => {
  const rows = mixChartRows(sys, 'placement');
  it('has the observed history, skipping years without group counts', () => {
    const observedYears = [...new Set(rows.filter((r) => r.phase === 'observed').map((r) => r.year))];
    expect(observedYears).toEqual([2018, 2019, 2020, 2023]); // 2021-2022 interpolated, 2024 not published by group
    expect(rows.find((r) => r.year === 2018 && r.group === 'fostering')).toMatchObject({ count: 521, phase: 'observed' });
  });
  it('projected counts are the medians of the groups\' paths (which add up to the total on every path)', () => {
    const bd = sys.breakdowns.placement;
    sys.years.forEach((year, i) => {
      const projected = rows.filter((r) => r.year === year && r.phase === 'projected');
      expect(projected.map((r) => r.group)).toEqual(bd.groups);
      for (const r of projected) expect(r.count).toBe(bd.byGroup[r.group].point[i]);
    });
    expect(bd.maxIncoherence).toBeLessThan(1e-9 * 2000);
  });
  it('can leave the history out', () => {
    expect(mixChartRows(sys, 'placement', false).every((r) => r.phase === 'projected')).toBe(true);
  });
  it('names the breakdowns it has when asked for another', () => {
    expect(() => mixChartRows(sys, 'provider')).toThrow(CarecastInputError);
    expect(() => mixChartRows(sys, 'provider')).toThrow(/it has: placement/);
  });
});

describe('mixChartSpec', () => {
  it('renders to SVG with every group, the band and the years', async () => {
    const svg = await renderSvg(mixChartSpec(sys, 'placement'));
    expect(svg.startsWith('<svg')).toBe(true);
    for (const t of ['fostering', 'residential', 'unallocated', 'observed', 'projected', '2018', '2030', 'children']) expect(svg).toContain(t);
    expect(svg).toContain('80% band');
    // bars: one per group per shown year (4 observed + 6 projected years, 3 groups)
    expect(svg.match(/aria-roledescription="bar"/g)).toHaveLength(30);
    // the total's band: one rule and two ticks per projected year
    expect(svg.match(/aria-roledescription="rule mark"/g)).toHaveLength(6);
    expect(svg.match(/aria-roledescription="tick"/g)).toHaveLength(12);
  });
  it('lets the band level, title and size be set, and rejects a level the projection lacks', () => {
    const spec = mixChartSpec(sys, 'placement', { level: 95, title: 'T', width: 400, height: 200 }) as { title: string; width: number; layer: unknown[] };
    expect(spec.title).toBe('T');
    expect(spec.width).toBe(400);
    expect(spec.layer).toHaveLength(4);
    expect(() => mixChartSpec(sys, 'placement', { level: 50 })).toThrow(/no 50% band/);
  });
});

describe('costChartSpec', () => {
  const rows: CostChartRow[] = [2026, 2027, 2028].flatMap((year, i) => [
    { year, p10: 60e6 + i * 1e6, p50: 70e6 + i * 2e6, p90: 80e6 + i * 4e6 },
    { year, p10: 55e6 + i * 1e6, p50: 64e6 + i * 2e6, p90: 74e6 + i * 4e6, scenario: 'more in-house fostering' },
  ]);
  it('renders one fan per scenario with financial-year labels in £m', async () => {
    const spec = costChartSpec(rows) as { data: { values: { fy: string; scenario: string; p50: number }[] } };
    expect(spec.data.values[0]).toMatchObject({ fy: '2025/26', scenario: 'baseline', p50: 70 });
    const svg = await renderSvg(costChartSpec(rows));
    for (const t of ['2025/26', '2027/28', 'baseline', 'more in-house fostering', '£ million a year']) expect(svg).toContain(t);
  });
  it('uses financial_year labels when given (costRecords rows)', () => {
    const spec = costChartSpec([{ year: 2026, financial_year: 'FY26', p10: 1, p50: 2, p90: 3 }], { scale: 1 }) as { data: { values: { fy: string; p50: number }[] } };
    expect(spec.data.values[0]).toMatchObject({ fy: 'FY26', p50: 2 });
  });
  it('rejects empty, duplicated, non-finite and unordered rows', () => {
    expect(() => costChartSpec([])).toThrow(CarecastInputError);
    expect(() => costChartSpec([rows[0], rows[0]])).toThrow(/two rows for scenario "baseline" and year 2026/);
    expect(() => costChartSpec([{ year: 2026, p10: Number.NaN, p50: 1, p90: 2 }])).toThrow(/p10/);
    expect(() => costChartSpec([{ year: 2026, p10: 3, p50: 1, p90: 2 }])).toThrow(/out of order/);
  });
});
