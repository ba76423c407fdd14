/**
 * Derbyshire in 2035, recomputed independently of the system model's code: from the published DfE
 * counts (the bundled panel), the bundled dynamics' parameters and the same seeded random draws
 * (drawn here one by one with createRng, not through the model's fast generator), this file
 * rebuilds every path of the total (its forecast's quantile function through a random walk's
 * copula), of starters and leavers (the rates' mean reversion, then the gap to the stock split by
 * the flows' variances) and of the placement and provider shares (random walks of the log-ratios
 * with the Cholesky factor of their covariance), and compares the medians and 80% / 95% bands with
 * projectSystem's, number for number.
 */
import { describe, expect, it } from 'vitest';
import { loadDfePanelArea } from '../../src/data/panel.js';
import { dfeAreaPopulation } from '../../src/data/ons/panelPopulation.js';
import { pnorm } from '../../src/math/normal.js';
import { createRng, streamSeed } from '../../src/math/rng.js';
import { quantileOf } from '../../src/models/distribution.js';
import type { Distribution } from '../../src/models/types.js';
import { forecast } from '../../src/project/forecast.js';
import { dfeSystemInput } from '../../src/system/dfeInput.js';
import { loadDfeSystem } from '../../src/system/dfeSystem.js';
import { projectSystem } from '../../src/system/projectSystem.js';

const PATHS = 2000;
const SEED = 2024;
const TO = 2035;

/** R's type-7 quantile. */
function q7(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return lo + 1 < s.length ? s[lo] + (h - lo) * (s[lo + 1] - s[lo]) : s[lo];
}

/** Q(u) of a step: a sample interpolated between ((i - 1/2) / n, v_i), anything else its quantile function. */
function quantileFn(d: Distribution): (u: number) => number {
  if (d.type !== 'sample') return (u) => quantileOf(d, Math.min(1 - 1e-12, Math.max(1e-12, u)));
  const v = [...d.values].sort((a, b) => a - b);
  const n = v.length;
  return (u) => {
    const pos = u * n - 0.5;
    if (pos <= 0) return v[0];
    if (pos >= n - 1) return v[n - 1];
    const i = Math.floor(pos);
    return v[i] + (pos - i) * (v[i + 1] - v[i]);
  };
}

/** The lower Cholesky factor, written out. */
function cholesky(a: readonly (readonly number[])[]): number[][] {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = i === j ? Math.sqrt(s) : s / l[j][j];
    }
  }
  return l;
}

describe("Derbyshire's system in 2035, recomputed independently", () => {
  const series = loadDfePanelArea('Derbyshire');
  const sys = projectSystem(dfeSystemInput(series), { to: TO, paths: PATHS, seed: SEED });
  const H = sys.years.length;
  const i35 = H - 1;
  const dyn = loadDfeSystem();
  const value = (s: { points: readonly { year: number; value: number | null }[] } | undefined, year: number): number => {
    const v = s?.points.find((p) => p.year === year)?.value;
    if (v === null || v === undefined) throw new Error(`no value for ${year}`);
    return v;
  };

  // the total: forecast(stock) with no options, its distributions through the copula (stream 0)
  const total = forecast(series.childrenInCare, { to: TO });
  const S: number[][] = [];
  {
    const rng = createRng(streamSeed(SEED, 0));
    const Q = total.distributions.map(quantileFn);
    for (let p = 0; p < PATHS; p++) {
      let w = 0;
      const row: number[] = [];
      for (let h = 0; h < H; h++) {
        w += rng.normal();
        row.push(Math.max(0, Q[h](pnorm(w / Math.sqrt(h + 1)))));
      }
      S.push(row);
    }
  }
  const S0 = value(series.childrenInCare, 2024);

  it('the total: the default forecast\'s point, and the bands of its copula paths', () => {
    expect(sys.start).toEqual({ year: 2024, stock: S0 });
    expect(sys.stock.point).toEqual(total.point);
    const col = S.map((r) => r[i35]);
    expect(sys.stock.median[i35]).toBeCloseTo(q7(col, 0.5), 8);
    expect(sys.stock.intervals[0].lower[i35]).toBeCloseTo(q7(col, 0.1), 8);
    expect(sys.stock.intervals[0].upper[i35]).toBeCloseTo(q7(col, 0.9), 8);
    expect(sys.stock.intervals[1].upper[i35]).toBeCloseTo(q7(col, 0.975), 8);
  });

  it('starters and leavers: the rates by hand from the published counts, their paths, and the split of the gap by variances', () => {
    const f = dyn.flows!;
    const pop = dfeAreaPopulation(series)!;
    const P = (y: number): number => value({ points: pop.observed }, y);
    // the stock of 2018 was not published: filled on the straight line from 2017 to 2019
    const stock = (y: number): number => (y === 2018 ? (value(series.childrenInCare, 2017) + value(series.childrenInCare, 2019)) / 2 : value(series.childrenInCare, y));
    const years = [2019, 2020, 2021, 2022, 2023, 2024];
    const a = new Map(years.map((y) => [y, Math.log((10000 * value(series.started, y)) / P(y))]));
    const x = new Map(
      years.map((y) => {
        const risk = stock(y - 1) + value(series.started, y);
        const c = value(series.ceased, y) / risk;
        return [y, Math.log(c / (1 - c))];
      }),
    );
    const mean = (m: Map<number, number>, to: number): number => {
      const v = [to - 4, to - 3, to - 2, to - 1, to].filter((y) => m.has(y)).map((y) => m.get(y)!);
      return v.reduce((s, t) => s + t, 0) / v.length;
    };
    // the area's shock scales: its own residuals at the pooled beta (transitions 2021-2024: two years before each)
    const scale = (m: Map<number, number>, beta: number, sd: number): number => {
      const res = [2021, 2022, 2023, 2024].map((t) => m.get(t)! - m.get(t - 1)! - beta * (mean(m, t - 1) - m.get(t - 1)!));
      const own = Math.sqrt(res.reduce((s, r) => s + r * r, 0) / res.length);
      return Math.min(2, Math.max(0.5, 0.5 + (0.5 * own) / sd));
    };
    const sa = f.sd.entry * scale(a, f.beta.entry, f.sd.entry);
    const sx = f.sd.exit * scale(x, f.beta.exit, f.sd.exit);
    const ma = mean(a, 2024);
    const mx = mean(x, 2024);
    // the population: observed 2024 times the projection's ratio (mid-years 2024.. over mid-2023), held at its last year
    const proj = new Map(pop.projection.map((p) => [p.year, p.value as number]));
    const lastProj = Math.max(...proj.keys());
    const popAt = (h: number): number => (P(2024) * proj.get(Math.min(2024 + h - 1, lastProj))!) / proj.get(2023)!;
    const rng = createRng(streamSeed(SEED, 1));
    const E: number[][] = [];
    const C: number[][] = [];
    const rho = f.correlation;
    for (let p = 0; p < PATHS; p++) {
      let ra = a.get(2024)!;
      let rx = x.get(2024)!;
      const e: number[] = [];
      const c: number[] = [];
      for (let h = 1; h <= H; h++) {
        const u1 = rng.normal();
        const u2 = rng.normal();
        ra += f.beta.entry * (ma - ra) + sa * u1;
        rx += f.beta.exit * (mx - rx) + sx * (rho * u1 + Math.sqrt(1 - rho * rho) * u2);
        const starters = (Math.exp(ra) * popAt(h)) / 10000;
        const prev = h === 1 ? S0 : S[p][h - 2];
        e.push(starters);
        c.push((prev + starters) / (1 + Math.exp(-rx)));
      }
      E.push(e);
      C.push(c);
    }
    // the gap to the anchored stock, split by the model flows' variances across paths at each step
    for (let h = 0; h < H; h++) {
      const varOf = (m: number[][]): number => {
        const col = m.map((r) => r[h]);
        const mu = col.reduce((s, v) => s + v, 0) / col.length;
        return col.reduce((s, v) => s + (v - mu) ** 2, 0);
      };
      const wE = varOf(E) / (varOf(E) + varOf(C));
      for (let p = 0; p < PATHS; p++) {
        const prev = h === 0 ? S0 : S[p][h - 1];
        const D = S[p][h] - prev - (E[p][h] - C[p][h]);
        let e = E[p][h] + D * wE;
        let c = prev + e - S[p][h];
        if (e < 0) [e, c] = [0, prev - S[p][h]];
        else if (c < 0) [e, c] = [S[p][h] - prev, 0];
        E[p][h] = e;
        C[p][h] = c;
      }
    }
    const e35 = E.map((r) => r[i35]);
    const c35 = C.map((r) => r[i35]);
    expect(sys.started!.point[i35]).toBeCloseTo(q7(e35, 0.5), 6);
    expect(sys.started!.intervals[0].lower[i35]).toBeCloseTo(q7(e35, 0.1), 6);
    expect(sys.started!.intervals[0].upper[i35]).toBeCloseTo(q7(e35, 0.9), 6);
    expect(sys.ceased!.point[i35]).toBeCloseTo(q7(c35, 0.5), 6);
    expect(sys.ceased!.intervals[1].lower[i35]).toBeCloseTo(q7(c35, 0.025), 6);
    expect(sys.ceased!.intervals[1].upper[i35]).toBeCloseTo(q7(c35, 0.975), 6);
  });

  /** Share paths of a breakdown from its 2024 counts under a random walk of the log-ratios (stream 10 + k). */
  function shares(dim: 'placement' | 'provider', k: number, counts2024: Record<string, number>): Record<string, number[]> {
    const d = dyn.dimensions[dim];
    expect(d.model).toBe('S0'); // what the evidence chose (seeds/dfe-system.json): a random walk, recomputed here as such
    const ref = d.reference;
    const others = d.groups.filter((g) => g !== ref);
    const z0 = others.map((g) => Math.log(counts2024[g] / counts2024[ref]));
    const L = cholesky(d.covariance);
    const rng = createRng(streamSeed(SEED, k));
    const out: Record<string, number[]> = Object.fromEntries(d.groups.map((g) => [g, []]));
    for (let p = 0; p < PATHS; p++) {
      const z = [...z0];
      for (let h = 0; h < H; h++) {
        const u = others.map(() => rng.normal());
        for (let r = 0; r < z.length; r++) z[r] += L[r].reduce((s, l, c) => s + l * (u[c] ?? 0), 0);
        if (h !== i35) continue;
        const ez = z.map(Math.exp);
        const sum = 1 + ez.reduce((s, v) => s + v, 0);
        out[ref].push(S[p][h] / sum);
        others.forEach((g, r) => out[g].push((S[p][h] * ez[r]) / sum));
      }
    }
    return out;
  }

  it('placement in 2035: fostering and residential (homes and secure + independent and supported) from the 2024 counts', () => {
    const cat = (c: string, y: number): number => value(series.breakdowns.dfePlacement[c as 'fostering'], y);
    // 2024: other_residential and residential_schools were suppressed (both in "other"): the one group with a
    // suppressed category is the total minus the other groups
    const fostering = cat('fostering', 2024);
    const homes = cat('secure_childrens_homes', 2024);
    const ind = cat('independent_supported', 2024);
    const counts = { fostering, homes_secure: homes, independent_supported: ind, other: S0 - fostering - homes - ind };
    expect(sys.breakdowns.placement.history.at(-1)).toMatchObject({ year: 2024, counts: [fostering, homes, ind, counts.other] });
    const g = shares('placement', 10, counts);
    const residential = g.homes_secure.map((v, p) => v + g.independent_supported[p]);
    for (const [name, col] of [['fostering', g.fostering], ['residential', residential]] as const) {
      const b = sys.breakdowns.placement.byGroup[name];
      expect(b.point[i35]).toBeCloseTo(q7(col, 0.5), 6);
      expect(b.intervals[0].lower[i35]).toBeCloseTo(q7(col, 0.1), 6);
      expect(b.intervals[0].upper[i35]).toBeCloseTo(q7(col, 0.9), 6);
      expect(b.intervals[1].upper[i35]).toBeCloseTo(q7(col, 0.975), 6);
    }
  });

  it('provider in 2035: in-house (own LA) and external (private + voluntary + other LA) from the 2024 counts', () => {
    const cat = (c: string, y: number): number | null => (series.breakdowns.dfeProvider[c as 'own_la']?.points ?? []).find((p) => p.year === y)?.value ?? null;
    const upper = (c: string, y: number): number => (series.breakdowns.dfeProvider[c as 'own_la']?.points ?? []).find((p) => p.year === y)?.suppressed?.upper ?? Number.NaN;
    // 2024: other LA (external) and other public (other) suppressed: two groups unknown, so each suppressed category is half its bound
    expect(cat('other_la', 2024)).toBeNull();
    expect(cat('other_public', 2024)).toBeNull();
    const inHouse = cat('own_la', 2024)!;
    const external = cat('private', 2024)! + cat('voluntary', 2024)! + upper('other_la', 2024) / 2;
    const other = upper('other_public', 2024) / 2 + cat('parents', 2024)! + cat('not_reported', 2024)!;
    expect(sys.breakdowns.provider.history.at(-1)).toMatchObject({ year: 2024, counts: [inHouse, external, other] });
    const g = shares('provider', 11, { in_house: inHouse, external, other });
    for (const name of ['in_house', 'external'] as const) {
      const b = sys.breakdowns.provider.byGroup[name];
      expect(b.point[i35]).toBeCloseTo(q7(g[name], 0.5), 6);
      expect(b.intervals[0].lower[i35]).toBeCloseTo(q7(g[name], 0.1), 6);
      expect(b.intervals[0].upper[i35]).toBeCloseTo(q7(g[name], 0.9), 6);
    }
  });
});
