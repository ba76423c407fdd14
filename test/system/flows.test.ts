/** The flows: mean reversion pooled by hand, the rates, the shock scales, and the split of the identity gap by variances. */
import { describe, expect, it } from 'vitest';
import { fitFlowDynamics, flowHistory, type FlowDynamics } from '../../src/system/flowFit.js';
import { flowStart, reconcileFlows, simulateFlows } from '../../src/system/flowPaths.js';
import { fitBeta, transitions, windowMean, type YearlySeries } from '../../src/system/meanReversion.js';
import { normalStream } from '../../src/math/rng.js';

const ys = (first: number, values: number[]): YearlySeries => ({ first, values: Float64Array.from(values) });

describe('mean reversion (section 2, decisions 4-5)', () => {
  it('windows: the mean of the years t-4..t that have a value', () => {
    expect(windowMean(ys(2018, [1, 2, Number.NaN, 4, 5, 6]), 2023)).toEqual({ mean: (2 + 4 + 5 + 6) / 4, n: 4 }); // 2019-2023
    expect(windowMean(ys(2018, [1]), 2025)).toEqual({ mean: Number.NaN, n: 0 });
  });

  it('transitions need y_{t-1}, y_t and 2 years in t-5..t-1; gap = m_{t-1} - y_{t-1}', () => {
    // 2019: 1, 2020: 3, 2021: 2, 2022: NaN, 2023: 4, 2024: 6
    const s = ys(2019, [1, 3, 2, Number.NaN, 4, 6]);
    const tr = transitions(s, 2024);
    // 2020: only 1 year before -> no; 2021: m = (1 + 3) / 2 = 2, y = 3 -> gap -1, dy -1
    // 2022, 2023: a value missing -> no; 2024: m over 2019-2023 = (1 + 3 + 2 + 4) / 4 = 2.5, y = 4 -> gap -1.5, dy 2
    expect(tr).toEqual([
      { year: 2021, dy: -1, gap: -1 },
      { year: 2024, dy: 2, gap: -1.5 },
    ]);
    expect(transitions(s, 2023)).toEqual([{ year: 2021, dy: -1, gap: -1 }]);
  });

  it('beta by least squares through the origin, by hand, clamped to [0, 1]', () => {
    // sum(dy gap) = (-1)(-1) + 2(-1.5) = 1 - 3 = -2; sum(gap^2) = 1 + 2.25 -> raw -0.615..., clamped to 0
    const f = fitBeta([{ year: 2021, dy: -1, gap: -1 }, { year: 2024, dy: 2, gap: -1.5 }]);
    expect(f.raw).toBeCloseTo(-2 / 3.25, 14);
    expect(f.beta).toBe(0);
    // (0.5 x 1 + 0.3 x 0.5) / (1 + 0.25) = 0.52
    expect(fitBeta([{ year: 1, dy: 0.5, gap: 1 }, { year: 2, dy: 0.3, gap: 0.5 }]).beta).toBeCloseTo(0.52, 14);
    expect(fitBeta([{ year: 1, dy: 3, gap: 1 }]).beta).toBe(1);
    expect(Number.isNaN(fitBeta([]).beta)).toBe(true);
  });
});

describe('flow rates (decisions 1, 9)', () => {
  it('entry per 10,000 children, exit on the children at risk (previous stock, 2018 filled), zeros as 0.5, impossible exits left out', () => {
    const stock = [
      { year: 2017, value: 100 },
      { year: 2019, value: 120 },
      { year: 2020, value: 130 },
      { year: 2021, value: 10 },
    ];
    const started = [
      { year: 2019, value: 40 },
      { year: 2020, value: 0 },
      { year: 2021, value: 50 },
    ];
    const ceased = [
      { year: 2019, value: 30 },
      { year: 2020, value: 20 },
      { year: 2021, value: 300 },
    ];
    const population = { observed: [2019, 2020, 2021].map((year) => ({ year, value: 20000 })), projection: [], source: 'test' };
    const h = flowHistory(stock, started, ceased, population, 2021);
    expect(h.entry.first).toBe(2019);
    expect(h.entry.values[0]).toBeCloseTo(Math.log((10000 * 40) / 20000), 14); // log 20
    expect(h.entry.values[1]).toBeCloseTo(Math.log((10000 * 0.5) / 20000), 14); // 0 starters taken as 0.5
    // 2019: the stock of 2018 is filled: (100 + 120) / 2 = 110; at risk 110 + 40 = 150; 30 / 150 = 0.2
    expect(h.exit.values[0]).toBeCloseTo(Math.log(0.2 / 0.8), 14);
    // 2020: at risk 120 + 0.5; 20 / 120.5
    expect(h.exit.values[1]).toBeCloseTo(Math.log(20 / 120.5 / (1 - 20 / 120.5)), 14);
    // 2021: 300 leavers of 130 + 50 at risk: left out
    expect(Number.isNaN(h.exit.values[2])).toBe(true);
    expect(h.notes.join(' ')).toMatch(/2021/);
    expect(h.lastYear).toBe(2020);
    // no population: log starters
    expect(flowHistory(stock, started, ceased, undefined, 2021).entry.values[0]).toBeCloseTo(Math.log(40), 14);
  });

  it('pooled fit, shock scales and the panel mean, by hand on two areas', () => {
    const area = (a: number[], x: number[]) => ({ entry: ys(2019, a), exit: ys(2019, x), perPopulation: true, lastYear: 2019 + a.length - 1, notes: [] });
    const A = area([1, 3, 2, 2], [0, 0, 1, 1]);
    const B = area([2, 2, 3, 1], [1, 1, 1, 0]);
    // A entry: 2021 m = 2, y = 3: gap -1, dy -1; 2022 m = 2, y = 2: gap 0, dy 0
    // B entry: 2021 m = 2, y = 2: gap 0, dy 1; 2022 m = 7/3, y = 3: gap -2/3, dy -2
    // beta = (1 + 0 + 0 + 4/3) / (1 + 0 + 0 + 4/9) = (7/3) / (13/9) = 21/13 > 1 -> 1
    const f = fitFlowDynamics([A, B], 2022);
    expect(f.betaRaw.entry).toBeCloseTo(21 / 13, 12);
    expect(f.beta.entry).toBe(1);
    // residuals with beta 1: A (-1 + 1, 0), B (1, -2 + 2/3): rms = sqrt((0 + 0 + 1 + 16/9) / 4)
    expect(f.sd.entry).toBeCloseTo(Math.sqrt((1 + 16 / 9) / 4), 12);
    // exit: A 2021 m = 0, y = 0 -> gap 0 dy 1; 2022 m = 1/3, y = 1 -> gap -2/3, dy 0; B 2021 gap 0 dy 0; 2022 gap 0 dy -1
    // beta = 0 / (4/9) = 0
    expect(f.beta.exit).toBe(0);
    expect(f.rows).toEqual({ entry: 4, exit: 4, paired: 4 });
    // correlation of the paired residuals (uncentred): entry (0, 0, 1, -4/3), exit (1, 0, 0, -1)
    expect(f.correlation).toBeCloseTo(4 / 3 / Math.sqrt((1 + 16 / 9) * 2), 12);
    // panel mean of the own means at 2022 (2018-2022): A entry 2, B entry 2; exit A 0.5, B 0.75
    expect(f.panelMean.entry).toBeCloseTo(2, 12);
    expect(f.panelMean.exit).toBeCloseTo(0.625, 12);
    // A's own shock scale: rms of its entry residuals (0, 0) = 0 -> 0.5 + 0 = 0.5 (the floor)
    const s = flowStart(A, f, 2022);
    expect(s?.scale.entry).toBe(0.5);
    expect(s?.mean.entry).toBeCloseTo(2, 12);
    expect(s?.entry).toBe(2);
    // B: its residuals (1, -4/3): rms sqrt((1 + 16/9) / 2) against the pool's sqrt((1 + 16/9) / 4): 0.5 + 0.5 sqrt(2)
    expect(flowStart(B, f, 2022)?.scale.entry).toBeCloseTo(0.5 + 0.5 * Math.SQRT2, 12);
  });

  it('an area with no flow year starts at the panel mean when it has a population, else has no flows', () => {
    const dyn: FlowDynamics = { beta: { entry: 0.5, exit: 0.5 }, betaRaw: { entry: 0.5, exit: 0.5 }, sd: { entry: 0.1, exit: 0.1 }, correlation: 0, panelMean: { entry: 3, exit: -1 }, rows: { entry: 9, exit: 9, paired: 9 }, areas: 3 };
    const empty = { entry: ys(0, []), exit: ys(0, []), lastYear: null, notes: [] };
    expect(flowStart({ ...empty, perPopulation: true }, dyn, 2024)).toMatchObject({ year: 2024, entry: 3, exit: -1, fromPanelMean: true });
    expect(flowStart({ ...empty, perPopulation: false }, dyn, 2024)).toBeNull();
  });
});

describe('the identity gap split by variances (decision 10)', () => {
  it('by hand: D goes to each flow in proportion to its variance across paths', () => {
    // one step, two paths; E = [10, 14] (variance sum 8), C = [5, 7] (variance sum 2): w_E = 0.8
    const E = Float64Array.from([10, 14]);
    const C = Float64Array.from([5, 7]);
    const r = reconcileFlows(E, C, Float64Array.from([110, 100]), 100, 2, 1);
    const rate = r.exitRate;
    expect(r.starterWeight[0]).toBeCloseTo(0.8, 14);
    expect(Array.from(r.gap)).toEqual([5, -7]);
    // path 0: D = 10 - (10 - 5) = 5 -> E' = 10 + 4 = 14, C' = 100 + 14 - 110 = 4 (= 5 - 1)
    expect([E[0], C[0]]).toEqual([14, 4]);
    // path 1: D = 0 - 7 = -7 -> E' = 14 - 5.6 = 8.4, C' = 100 + 8.4 - 100 = 8.4 (= 7 + 1.4)
    expect(E[1]).toBeCloseTo(8.4, 12);
    expect(C[1]).toBeCloseTo(8.4, 12);
    expect(rate[0]).toBeCloseTo(4 / 114, 14);
  });

  it('a flow that would go below 0 is 0 and the other takes the rest; the identity holds on every path and step', () => {
    // the same model flows on both paths: no variance, so equal halves
    const E = Float64Array.from([5, 5, 5, 5]);
    const C = Float64Array.from([1, 1, 1, 1]);
    const S = Float64Array.from([80, 200, 80, 200]); // paths x 2 steps
    reconcileFlows(E, C, S, 100, 2, 2);
    // step 1, path 0: D = -20 - 4 = -24, half each: E' = 5 - 12 = -7 < 0 -> E' = 0, C' = 100 - 80 = 20
    expect([E[0], C[0]]).toEqual([0, 20]);
    // step 2, path 0: D = 120 - 4 = 116 -> E' = 5 + 58 = 63, C' = 80 + 63 - 200 = -57 < 0 -> C' = 0, E' = 120
    expect([E[1], C[1]]).toEqual([120, 0]);
    for (let p = 0; p < 2; p++) {
      for (let h = 0; h < 2; h++) {
        const prev = h === 0 ? 100 : S[p * 2 + h - 1];
        expect(prev + E[p * 2 + h] - C[p * 2 + h]).toBeCloseTo(S[p * 2 + h], 10);
        expect(E[p * 2 + h]).toBeGreaterThanOrEqual(0);
        expect(C[p * 2 + h]).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('simulated flows reconcile with any stock paths; rates before the stock year are simulated, not reported', () => {
    const dyn: FlowDynamics = { beta: { entry: 0.5, exit: 0.7 }, betaRaw: { entry: 0.5, exit: 0.7 }, sd: { entry: 0.2, exit: 0.2 }, correlation: 0.3, panelMean: { entry: 3, exit: -1 }, rows: { entry: 9, exit: 9, paired: 9 }, areas: 3 };
    const start = { year: 2023, entry: Math.log(300), exit: -1, mean: { entry: Math.log(280), exit: -1.1 }, scale: { entry: 1, exit: 1 }, perPopulation: false, fromPanelMean: false };
    const n = 50;
    const H = 4;
    const stock = { paths: n, horizon: H, values: Float64Array.from({ length: n * H }, (_, k) => 900 + 37 * ((k * 7919) % 13)) };
    const f = simulateFlows(start, dyn, stock, 1000, 2024, undefined, normalStream(4));
    expect(f.started.horizon).toBe(H);
    for (let p = 0; p < n; p++) {
      for (let h = 0; h < H; h++) {
        const k = p * H + h;
        const prev = h === 0 ? 1000 : stock.values[k - 1];
        expect(prev + f.started.values[k] - f.ceased.values[k]).toBeCloseTo(stock.values[k], 9);
        expect(f.exitRate.values[k]).toBeCloseTo(f.ceased.values[k] / (prev + f.started.values[k]), 12);
      }
    }
    // the same stream gives the same flows
    expect(Array.from(simulateFlows(start, dyn, stock, 1000, 2024, undefined, normalStream(4)).started.values)).toEqual(Array.from(f.started.values));
  });
});
