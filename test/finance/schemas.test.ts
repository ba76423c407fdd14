/** The cost model and scenario files: strict keys, plausible units, unique names. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CarecastInputError, type InputProblem } from '../../src/data/errors.js';
import { parseCostModel } from '../../src/finance/costModelSchema.js';
import { parseScenarios } from '../../src/finance/scenarioSchema.js';

const example = (f: string): unknown => JSON.parse(readFileSync(new URL(`../../examples/data/${f}`, import.meta.url), 'utf8'));
const model = example('derbyshire-costs.json') as Record<string, unknown>;

function problems(f: () => unknown): InputProblem[] {
  try {
    f();
  } catch (e) {
    if (e instanceof CarecastInputError) return [...e.problems];
    throw e;
  }
  throw new Error('no error thrown');
}

describe('parseCostModel', () => {
  it('reads the example model', () => {
    const m = parseCostModel(model);
    expect(m.priceYear).toBe(2023);
    expect(m.inflation).toEqual({ rate: 0.03 });
    expect(m.capacity?.[0].utilisation).toBeCloseTo(34 / 47, 12);
  });

  it('refuses unknown keys, naming the key and the nearest valid one (a misspelt key once changed the results silently)', () => {
    const { inflation, ...rest } = model;
    const [p] = problems(() => parseCostModel({ ...rest, inflaton: inflation }, 'costs.json'));
    expect(p).toMatchObject({ source: 'costs.json', field: 'inflaton', message: 'unknown key "inflaton"' });
    expect(p.fix).toMatch(/^did you mean "inflation"\?/);
    const capacity = (model.capacity as Record<string, unknown>[]).map((c, i) => (i === 0 ? { ...c, utilization: c.utilisation, utilisation: undefined } : c));
    const [q] = problems(() => parseCostModel({ ...model, capacity: JSON.parse(JSON.stringify(capacity)) }));
    expect(q).toMatchObject({ field: 'capacity[0].utilization', message: 'unknown key "utilization"' });
    expect(q.fix).toMatch(/^did you mean "utilisation"\?/);
    expect(problems(() => parseCostModel({ ...model, inflation: { rat: 0.03 } }))[0].fix).toMatch(/did you mean "rate"/);
  });

  it('asks for fractions or explicit percentages: inflation 3 (300% a year) and utilisation 85 are refused, "3%" and "85%" read', () => {
    const [p] = problems(() => parseCostModel({ ...model, inflation: { rate: 3 } }));
    expect(p.field).toBe('inflation.rate');
    expect(p.message).toBe('3 read as a fraction is 300% a year, which looks like a percentage written as a number');
    expect(p.fix).toBe('give a fraction (0.03 for 3%) or a percentage as text ("3%"); to mean 3%, write "3%"');
    expect(parseCostModel({ ...model, inflation: { rate: '3%' } }).inflation).toEqual({ rate: 0.03 });
    expect(parseCostModel({ ...model, inflation: { rates: { 2026: '5%', 2027: 0.04 } } }).inflation).toEqual({ rates: { 2026: 0.05, 2027: 0.04 } });
    expect(problems(() => parseCostModel({ ...model, inflation: { rates: { 2026: 5 } } }))[0].field).toBe('inflation.rates.2026');
    expect(problems(() => parseCostModel({ ...model, inflation: { rate: '3 percent' } }))[0].message).toBe('"3 percent" is neither a number nor a percentage');
    expect(problems(() => parseCostModel({ ...model, inflation: { rate: '-150%' } }))[0].message).toBe('-150% a year is not possible: it must be above -100%');
    const cap = (u: unknown) => ({ ...model, capacity: [{ name: 'r', internalGroup: 'residential_internal', externalGroup: 'residential_external', places: 4, utilisation: u }] });
    expect(problems(() => parseCostModel(cap(85)))[0].message).toBe('85 read as a fraction is 8500% of places, which looks like a percentage written as a number');
    expect(parseCostModel(cap('85%')).capacity?.[0].utilisation).toBeCloseTo(0.85, 12);
    expect(problems(() => parseCostModel(cap('120%')))[0].message).toBe('120% of places is above 100%');
  });

  it('reads the price year as the year ending 31 March or as a financial year; inflation needs one form', () => {
    expect(parseCostModel({ ...model, priceYear: '2022/23' }).priceYear).toBe(2023);
    expect(problems(() => parseCostModel({ ...model, priceYear: '2022/24' }))[0].message).toBe('"2022/24" is not a financial year');
    expect(problems(() => parseCostModel({ ...model, inflation: {} }))[0].message).toBe('gives no rate, rates or index');
    expect(problems(() => parseCostModel({ ...model, inflation: { rate: 0.03, index: { 2023: 100 } } }))[0].message).toBe('gives an index and rates');
  });
});

describe('parseScenarios', () => {
  it('reads the example scenarios', () => {
    expect(parseScenarios(example('derbyshire-scenarios.json')).map((s) => s.name)).toEqual(['admissions -10% from 2026', '+2 in-house homes of 4 beds in 2027', 'Forward to Foster 10 a year']);
  });

  it('asks for fractions: admissions change 100 is refused, "-10%" reads as -0.1', () => {
    const [p] = problems(() => parseScenarios([{ name: 'x', levers: [{ kind: 'admissions', change: 100, from: 2026 }] }], 'sc.json'));
    expect(p).toMatchObject({ source: 'sc.json', field: '[0].levers[0].change', message: '100 read as a fraction is a change of 10000%, which looks like a percentage written as a number' });
    expect(p.fix).toMatch(/give a fraction \(-0\.1 for -10%\) or a percentage as text \("-10%"\); to mean 100%, write "100%"/);
    expect(parseScenarios([{ name: 'x', levers: [{ kind: 'admissions', change: '-10%', from: 2026 }] }])[0].levers[0]).toEqual({ kind: 'admissions', change: -0.1, from: 2026 });
    expect(parseScenarios([{ name: 'x', levers: [{ kind: 'exitRate', change: '150%', from: 2026 }] }])[0].levers[0]).toMatchObject({ change: 1.5 });
    expect(problems(() => parseScenarios([{ name: 'x', levers: [{ kind: 'costInflation', rate: 2, from: 2026 }] }]))[0].field).toBe('[0].levers[0].rate');
  });

  it('refuses unknown keys and kinds, a scenario named base, and names used twice, all at once', () => {
    const ps = problems(() =>
      parseScenarios([
        { name: 'a', levers: [{ kind: 'stepDown', fromGroup: 'x', toGroup: 'y', childern: 3, from: 2026 }] },
        { name: 'Base', levers: [] },
        { name: ' a ', levers: [{ kind: 'teleport', from: 2026 }] },
      ]),
    );
    expect(ps.map((p) => [p.field, p.message])).toEqual([
      ['[0].levers[0].childern', 'unknown key "childern"'],
      ['[2].levers[0].kind', 'unknown kind "teleport"'],
      ['[1].name', '"Base" is the name of the projection without levers'],
      ['[2].name', 'the name "a" is also the name of scenario [0]'],
    ]);
    expect(ps[0].fix).toMatch(/^did you mean "children"\?/);
    expect(ps[1].fix).toBe('use one of "admissions", "uasc", "exitRate", "stepDown", "capacity", "costInflation"');
  });
});
