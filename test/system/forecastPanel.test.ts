/** forecastPanel: a whole panel with one strategy, the same answer as forecast() for each series, and reconciliation with England. */
import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { loadDfePanelArea } from '../../src/data/panel.js';
import type { AnnualSeries } from '../../src/data/schemas.js';
import { fitGlobal } from '../../src/models/global/fitGlobal.js';
import { selectMethod, type PanelEvidence } from '../../src/models/selectMethod.js';
import { forecast } from '../../src/project/forecast.js';
import { forecastPanel } from '../../src/system/forecastPanel.js';

const NAMES = ['Derby', 'Derbyshire', 'Leicester', 'Nottingham', 'Rutland', 'Cumberland'];
const panel = new Map<string, AnnualSeries>(NAMES.map((n) => [n, loadDfePanelArea(n).childrenInCare]));

describe('forecastPanel', () => {
  const all = forecastPanel(panel, { to: 2030 });

  it("gives each series forecast()'s projection with the same options (the default strategy and bands)", () => {
    for (const n of NAMES.filter((x) => x !== 'Cumberland')) {
      const one = forecast(panel.get(n)!, { to: 2030 });
      const p = all.byArea.get(n)!;
      expect(p.method).toBe(one.method);
      expect(p.point).toEqual(one.point);
      expect(p.intervals).toEqual(one.intervals);
      expect(p.intervalBasis).toEqual(one.intervalBasis);
      expect(p.summary).toBe(one.summary);
      expect(p.caveats).toEqual(one.caveats);
    }
  });

  it("skips the series' own reference scores when the evidence fixes the method (forecast() keeps them)", () => {
    const p = all.byArea.get('Derby')!;
    expect(p.selection?.evidence).toBeDefined();
    expect(p.selection?.scores).toEqual([]);
    expect(p.selection?.rule).toMatch(/own choice was not scored/);
  });

  it('lists a series it cannot project (one year of data) with the reason, and projects the rest', () => {
    expect(all.byArea.has('Cumberland')).toBe(false);
    expect(all.skipped).toEqual([{ area: 'Cumberland', reason: expect.stringMatching(/at least 2 observations/) }]);
    expect(all.caveats.join(' ')).toMatch(/1 of 6 series could not be projected: Cumberland/);
    expect(all.reconciliation).toBeUndefined();
  });

  it("fit: 'panel' fits the global method on these series at their latest year; a fit given is used as it is", () => {
    const five = new Map([...panel].filter(([k]) => k !== 'Cumberland'));
    const own = forecastPanel(five, { to: 2027, method: 'panelGrowth', fit: 'panel' });
    const fit = fitGlobal('panelGrowth', five, { origin: 2024 });
    expect(own.byArea.get('Derby')!.globalFit?.growth).toEqual(fit.growth);
    expect(own.caveats).toContain('panelGrowth was fitted on these 5 series at 2024.');
    const given = forecastPanel(five, { to: 2027, method: 'panelGrowth', fit });
    expect(given.byArea.get('Derby')!.point).toEqual(own.byArea.get('Derby')!.point);
    expect(() => forecastPanel(five, { to: 2027, method: 'panelAR', fit })).toThrow(/the fit given is panelGrowth's, but the strategy uses panelAR/);
  });

  it('reconciles with the bundled England series: the LAs and the unallocated rest add up to England, and each says so', () => {
    const r = forecastPanel(panel, { to: 2027, reconcile: 'england' });
    const rec = r.reconciliation!;
    expect(rec.with).toBe('England');
    expect(rec.areas).toEqual(['Derby', 'Derbyshire', 'Leicester', 'Nottingham', 'Rutland']);
    // England minus these five LAs: the unallocated rest (the other LAs, and Cumberland, which could not be projected)
    const lastE = loadDfePanelArea('England').childrenInCare.points.at(-1)!.value!;
    const five = rec.areas.reduce((s, a) => s + panel.get(a)!.points.at(-1)!.value!, 0);
    expect(rec.unallocated.point[0]).toBe(lastE - five);
    r.england!.point.forEach((t, i) => {
      const sum = rec.areas.reduce((s, a) => s + r.byArea.get(a)!.point[i], rec.unallocated.reconciled[i]);
      expect(Math.abs(t - sum)).toBeLessThan(1e-6);
    });
    expect(r.byArea.get('Derby')!.summary).toMatch(/the point then reconciled with England \(MinT, shrinkage covariance of one-step errors\)/);
    expect(r.caveats.join(' ')).toMatch(/Cumberland could not be projected: its 2024 count is part of England's unallocated rest/);
    expect(r.england!.caveats.at(-1)).toMatch(/sum of the 5 areas' reconciled ones and the unallocated rest/);
  });

  it('refuses unknown options, mixed measures, an empty panel and an unknown reconciliation', () => {
    expect(() => forecastPanel(panel, { to: 2030, reconcil: 'england' } as never)).toThrow(/unknown option "reconcil"/);
    const mixed = new Map<string, AnnualSeries>([['Derby', loadDfePanelArea('Derby').childrenInCare], ['Derby starters', loadDfePanelArea('Derby').started!]]);
    expect(() => forecastPanel(mixed, { to: 2030 })).toThrow(/different measures \(children_in_care, e.g. Derby; started, e.g. Derby starters\)/);
    expect(() => forecastPanel(new Map(), { to: 2030 })).toThrow(CarecastInputError);
    expect(() => forecastPanel(panel, { to: 2030, reconcile: 'regions' as never })).toThrow(/unknown reconciliation "regions"/);
    const plain = new Map([['a', [{ year: 2020, value: 5 }, { year: 2021, value: 6 }]]]);
    expect(() => forecastPanel(plain, { to: 2023, reconcile: 'england' })).toThrow(/no England series of the measure "value" is bundled/);
  });
});

describe('selectMethod ownScores: false', () => {
  const y = [719, 802, 861, 899, 909, 995, 1057];
  const evidence = (method: PanelEvidence['method']): PanelEvidence => ({
    kind: 'panelEvidence',
    method,
    scores: [{ strategy: method, mase: 1.5, se: 0.1 }],
    excluded: [],
    forecasts: 100,
    areas: 10,
    asOf: null,
    maxStep: 3,
    source: 'test panel',
    rule: 'test',
  });

  it('chooses as with the scores, without scoring the series when the evidence fixes the method', () => {
    for (const m of ['naive', 'drift', 'theta'] as const) {
      const full = selectMethod(y, { evidence: evidence(m) });
      const quick = selectMethod(y, { evidence: evidence(m), ownScores: false });
      expect(quick.method).toBe(full.method);
      expect(full.scores.length).toBeGreaterThan(0);
      expect(quick.scores).toEqual([]);
      expect(quick.origins).toBeNull();
    }
    // the series is too short for dampedTrend, or the evidence says auto: the series still chooses, with its scores
    expect(selectMethod(y, { evidence: evidence('dampedTrend'), ownScores: false }).scores.length).toBeGreaterThan(0);
    expect(selectMethod(y, { evidence: evidence('auto'), ownScores: false }).scores.length).toBeGreaterThan(0);
    expect(selectMethod(y, { evidence: evidence('panelGrowth'), ownScores: false })).toMatchObject({ method: 'naive', scores: [] });
  });
});
