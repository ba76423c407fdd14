/**
 * carecast's baseline methods against R's forecast package (values produced
 * by test/golden/make-golden.R, stored in test/golden/baseline.json).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fitMethod } from '../../src/models/registry.js';
import type { MethodName } from '../../src/models/types.js';

interface GoldenMethod {
  mean: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
  [k: string]: unknown;
}
interface GoldenSeries {
  years: number[];
  values: number[];
  h: number;
  methods: Record<string, GoldenMethod | { holt: GoldenMethod & Record<string, unknown>; ets: GoldenMethod & Record<string, unknown> }>;
}
const golden = JSON.parse(readFileSync(new URL('../golden/baseline.json', import.meta.url), 'utf8')) as {
  series: Record<string, GoldenSeries>;
};

function expectClose(actual: readonly number[], expected: readonly number[], rel: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    const tol = rel * Math.max(1, Math.abs(e));
    expect(Math.abs(a - e), `${what}[${i}]: carecast ${a} vs R ${e}`).toBeLessThanOrEqual(tol);
  });
}

const closedForm: readonly MethodName[] = ['naive', 'drift', 'linear', 'loglinear'];

describe.each(Object.entries(golden.series))('R golden values: %s', (name, s) => {
  it.each(closedForm)('%s: point forecast and 80/95% intervals agree with R to 1e-6 relative', (method) => {
    const g = s.methods[method] as GoldenMethod;
    const fc = fitMethod(method, s.values).forecast(s.h, { levels: [80, 95] });
    expectClose(fc.point, g.mean, 1e-6, `${name} ${method} mean`);
    expectClose(fc.intervals[0].lower, g.lower80, 1e-6, `${name} ${method} lower80`);
    expectClose(fc.intervals[0].upper, g.upper80, 1e-6, `${name} ${method} upper80`);
    expectClose(fc.intervals[1].lower, g.lower95, 1e-6, `${name} ${method} lower95`);
    expectClose(fc.intervals[1].upper, g.upper95, 1e-6, `${name} ${method} upper95`);
  });

  it('dampedTrend: ETS(A,Ad,N) agrees with R ets/holt(damped) within 1%, or is refused where R refuses', () => {
    const g = s.methods.dampedTrend as { holt: GoldenMethod & Record<string, unknown>; ets: GoldenMethod & Record<string, unknown> };
    if (g.ets.damped_used === false) {
      // R: "n <= npars + 4": ets refuses the damped model (and silently falls back to
      // HoltWinters without damping); carecast refuses with an explicit message.
      expect(() => fitMethod('dampedTrend', s.values)).toThrow(/at least 10 observations/);
      return;
    }
    const m = fitMethod('dampedTrend', s.values);
    const fc = m.forecast(s.h, { levels: [80, 95] });
    for (const ref of [g.ets, g.holt]) {
      expectClose(fc.point, ref.mean, 0.01, `${name} dampedTrend mean`);
      expectClose(fc.intervals[0].lower, ref.lower80, 0.01, `${name} dampedTrend lower80`);
      expectClose(fc.intervals[1].upper, ref.upper95, 0.01, `${name} dampedTrend upper95`);
    }
    // in practice the Nelder-Mead port lands on R's optimum exactly
    expectClose(fc.point, g.ets.mean, 1e-6, `${name} dampedTrend mean (tight)`);
    const p = m.diagnostics.params;
    expect(p.alpha).toBeCloseTo(g.ets.alpha as number, 5);
    expect(p.beta).toBeCloseTo(g.ets.beta as number, 5);
    expect(p.phi).toBeCloseTo(g.ets.phi as number, 5);
    expect(m.diagnostics.sigma2 / (g.ets.sigma2 as number)).toBeCloseTo(1, 6);
    expect(m.diagnostics.logLik).toBeCloseTo(g.ets.loglik as number, 4);
    expect(m.diagnostics.aic).toBeCloseTo(g.ets.aic as number, 4);
  });
});
