/**
 * Accuracy measures: hand calculations on tiny arrays, edge cases, and R's
 * forecast::accuracy() (test/golden/accuracy.json, made by
 * test/golden/accuracy-golden.R).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  bias,
  coverage,
  forecastErrors,
  mae,
  mape,
  mase,
  maseScale,
  meanWinklerScore,
  rmse,
  smape,
  winklerScore,
} from '../../src/evaluate/metrics.js';
import { errorOf } from '../helpers/inputError.js';

describe('point measures by hand', () => {
  // actual 10, 20; forecast 12, 15 -> errors (forecast - actual) +2, -5
  const y = [10, 20];
  const f = [12, 15];

  it('errors are forecast - actual (positive = too high)', () => {
    expect(forecastErrors(y, f)).toEqual([2, -5]);
  });

  it('MAE, RMSE, bias', () => {
    expect(mae(y, f)).toBe(3.5); // (2 + 5) / 2
    expect(rmse(y, f)).toBeCloseTo(Math.sqrt(14.5), 14); // sqrt((4 + 25) / 2)
    expect(bias(y, f)).toBe(-1.5); // (2 - 5) / 2: under-forecast on average
    expect(bias([10], [13])).toBe(3); // over-forecast is positive
  });

  it('MAPE leaves zero actuals out and counts them', () => {
    // |2|/10 = 20%, |-5|/20 = 25%; the pair (0, 3) has no percentage error
    expect(mape([10, 0, 20], [12, 3, 15])).toEqual({ value: 22.5, n: 2, skipped: 1 });
    expect(mape([0, 0], [1, 2])).toEqual({ value: NaN, n: 0, skipped: 2 });
  });

  it('sMAPE (Hyndman): 200|f - y| / (|y| + |f|), pairs of two zeros left out', () => {
    // 200*2/22 = 18.1818..., 200*5/35 = 28.5714...; mean 23.3766...
    const s = smape(y, f);
    expect(s.value).toBeCloseTo((400 / 22 + 1000 / 35) / 2, 12);
    expect(s.n).toBe(2);
    // (0, 0) skipped; (0, 4): 200*4/4 = 200, the maximum
    expect(smape([0, 0], [0, 4])).toEqual({ value: 200, n: 1, skipped: 1 });
  });

  it('MASE: MAE over the training data mean absolute lag-1 change', () => {
    // training 1, 3, 2, 5, 4: |2| + |-1| + |3| + |-1| = 7 over 4 changes = 1.75
    expect(maseScale([1, 3, 2, 5, 4])).toBe(1.75);
    // test 6, 3 with naive forecast 4, 4: MAE (2 + 1) / 2 = 1.5; 1.5 / 1.75
    expect(mase([6, 3], [4, 4], [1, 3, 2, 5, 4])).toBeCloseTo(1.5 / 1.75, 14);
    // a flat training series has scale 0: Infinity, as in R
    expect(maseScale([5, 5, 5])).toBe(0);
    expect(mase([6], [5], [5, 5, 5])).toBe(Infinity);
  });

  it('accuracy() gives them all with the counts they rest on', () => {
    const a = accuracy([6, 0, 3], [4, 1, 4], [1, 3, 2, 5, 4]);
    // errors -2, +1, +1
    expect(a.n).toBe(3);
    expect(a.mae).toBeCloseTo(4 / 3, 14);
    expect(a.rmse).toBeCloseTo(Math.sqrt(6 / 3), 14);
    expect(a.bias).toBeCloseTo(0, 14);
    expect(a.mape).toBeCloseTo((100 * (2 / 6) + 100 * (1 / 3)) / 2, 12);
    expect(a.mapeN).toBe(2);
    expect(a.smape).toBeCloseTo((400 / 10 + 200 / 1 + 200 / 7) / 3, 12);
    expect(a.smapeN).toBe(3);
    expect(a.mase).toBeCloseTo(4 / 3 / 1.75, 14);
    expect(a.maseN).toBe(3);
    const noTraining = accuracy([6], [4]);
    expect(noTraining.mase).toBeNaN();
    expect(noTraining.maseN).toBe(0);
  });

  it('empty input gives NaN', () => {
    expect(mae([], [])).toBeNaN();
    expect(rmse([], [])).toBeNaN();
    expect(bias([], [])).toBeNaN();
    expect(coverage([], [], [])).toBeNaN();
    expect(accuracy([], []).n).toBe(0);
  });
});

describe('interval measures by hand', () => {
  it('coverage: share inside [lo, hi], ends included', () => {
    // 10 in [8, 12]; 20 below [21, 25]; 30 in [25, 35]
    expect(coverage([10, 20, 30], [8, 21, 25], [12, 25, 35])).toBeCloseTo(2 / 3, 14);
    expect(coverage([10, 12], [10, 8], [11, 12])).toBe(1);
  });

  it('Winkler score: width, plus 2/alpha times the miss', () => {
    // 80%: alpha 0.2, penalty factor 10
    expect(winklerScore(100, 90, 105, 80)).toBe(15); // inside: width only
    expect(winklerScore(110, 90, 105, 80)).toBe(15 + 10 * 5); // above by 5
    expect(winklerScore(80, 90, 105, 80)).toBe(15 + 10 * 10); // below by 10
    // 95%: alpha 0.05, factor 40
    expect(winklerScore(110, 90, 105, 95)).toBeCloseTo(15 + 40 * 5, 10);
    expect(winklerScore(90, 90, 105, 95)).toBe(15); // on the bound: no penalty
  });

  it('mean Winkler score, raw and scaled by the MASE scale', () => {
    // (15 + 65) / 2 = 40; scaled by 20: 2
    expect(meanWinklerScore([100, 110], [90, 90], [105, 105], 80)).toBe(40);
    expect(meanWinklerScore([100, 110], [90, 90], [105, 105], 80, 20)).toBe(2);
  });
});

describe('bad arguments throw CarecastInputError naming the field', () => {
  it.each([
    ['forecast', () => mae([1, 2], [1])],
    ['actual', () => mae([1, NaN], [1, 2])],
    ['forecast', () => rmse([1, 2], [1, Infinity])],
    ['training', () => maseScale([1])],
    ['training', () => mase([1], [1], [1, NaN])],
    ['lower', () => coverage([1], [3], [2])],
    ['upper', () => coverage([1, 2], [0, 0], [3])],
    ['level', () => winklerScore(1, 0, 2, 100)],
    ['level', () => winklerScore(1, 0, 2, 0)],
    ['scale', () => meanWinklerScore([1], [0], [2], 80, 0)],
  ])('%s', (field, fn) => {
    expect(errorOf(fn).problems[0].field).toBe(field);
  });
});

interface GoldenCase {
  train: number[];
  test: number[];
  method: string;
  mean: number[];
  lower80: number[];
  upper80: number[];
  lower95: number[];
  upper95: number[];
  ME: number;
  RMSE: number;
  MAE: number;
  MAPE: number;
  MASE: number;
  scale: number;
  smape: number;
  coverage80: number;
  coverage95: number;
  winkler80: number;
  winkler95: number;
}
const golden = JSON.parse(readFileSync(new URL('../golden/accuracy.json', import.meta.url), 'utf8')) as { cases: Record<string, GoldenCase> };

describe.each(Object.entries(golden.cases))("R's forecast::accuracy: %s", (_name, c) => {
  // R writes 15 significant digits
  const close = (a: number, e: number) => expect(Math.abs(a - e)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(e)));

  it('MAE, RMSE, MAPE, MASE agree; bias is -ME', () => {
    close(mae(c.test, c.mean), c.MAE);
    close(rmse(c.test, c.mean), c.RMSE);
    close(mape(c.test, c.mean).value, c.MAPE);
    close(mase(c.test, c.mean, c.train), c.MASE);
    close(maseScale(c.train), c.scale);
    close(bias(c.test, c.mean), -c.ME);
    const a = accuracy(c.test, c.mean, c.train);
    close(a.mase, c.MASE);
    close(a.bias, -c.ME);
  });

  it("sMAPE, coverage and Winkler agree with their definitions applied in R to R's intervals", () => {
    close(smape(c.test, c.mean).value, c.smape);
    close(coverage(c.test, c.lower80, c.upper80), c.coverage80);
    close(coverage(c.test, c.lower95, c.upper95), c.coverage95);
    close(meanWinklerScore(c.test, c.lower80, c.upper80, 80), c.winkler80);
    close(meanWinklerScore(c.test, c.lower95, c.upper95, 95), c.winkler95);
  });
});
