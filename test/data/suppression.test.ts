import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CarecastInputError } from '../../src/data/errors.js';
import { parseCount, parseSuppressionMarker, SUPPRESSION_MARKERS } from '../../src/data/suppression.js';

const ctx = { source: 'cla.csv', row: 7, field: 'number' };

function problemOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CarecastInputError);
    const err = e as CarecastInputError;
    expect(err.problems).toHaveLength(1);
    return { problem: err.problems[0], message: err.message };
  }
  throw new Error('expected a CarecastInputError');
}

describe('parseCount: numbers', () => {
  it('reads plain numbers, thousands separators and surrounding spaces', () => {
    expect(parseCount('1057', ctx)).toEqual({ value: 1057 });
    expect(parseCount('1,057', ctx)).toEqual({ value: 1057 });
    expect(parseCount('11,787,794', ctx)).toEqual({ value: 11787794 });
    expect(parseCount(' 59 ', ctx)).toEqual({ value: 59 });
    expect(parseCount('0', ctx)).toEqual({ value: 0 });
    expect(parseCount('12.0', ctx)).toEqual({ value: 12 });
  });

  it('reads decimals for rates when integer is false', () => {
    expect(parseCount('59.5', ctx, { integer: false })).toEqual({ value: 59.5 });
    expect(parseCount('1,234.25', ctx, { integer: false })).toEqual({ value: 1234.25 });
  });

  it('allows negatives only when asked', () => {
    expect(parseCount('-490', ctx, { allowNegative: true })).toEqual({ value: -490 });
  });

  it('property: any count written with or without separators reads back', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2_000_000_000 }), (n) => {
        expect(parseCount(String(n), ctx).value).toBe(n);
        expect(parseCount(n.toLocaleString('en-GB'), ctx).value).toBe(n);
      }),
    );
  });
});

describe('parseCount: markers', () => {
  it('reads every DfE marker as null with the marker, never zero', () => {
    for (const m of ['c', 'x', 'z', 'low', ':', '..', '*', 'u', 'k']) {
      const r = parseCount(m, ctx);
      expect(r.value).toBeNull();
      expect(r.suppressed).toEqual({ marker: m });
    }
  });

  it('is case-insensitive and canonicalises markers', () => {
    expect(parseCount('C', ctx).suppressed).toEqual({ marker: 'c' });
    expect(parseCount(' LOW ', ctx, { integer: false }).suppressed).toEqual({ marker: 'low' });
  });

  it('reads the bracketed markers of newer publications ([c], [x], [z], [low], [k]) as the bare marker, never zero', () => {
    for (const m of ['c', 'x', 'z', 'low', 'k']) {
      expect(parseCount(`[${m}]`, ctx)).toEqual({ value: null, suppressed: { marker: m } });
      expect(parseCount(` [ ${m.toUpperCase()} ] `, ctx).suppressed).toEqual({ marker: m });
    }
    expect(parseSuppressionMarker('[<11]')).toEqual({ marker: '<11', upper: 10 });
    // brackets around something that is not a marker are still an error
    expect(() => parseCount('[n/a]', ctx)).toThrow(CarecastInputError);
    expect(() => parseCount('[5]', ctx)).toThrow(CarecastInputError);
  });

  it('gives <N markers an upper bound of N-1 for counts and N for rates', () => {
    expect(parseCount('<11', ctx)).toEqual({ value: null, suppressed: { marker: '<11', upper: 10 } });
    expect(parseCount('<10', ctx)).toEqual({ value: null, suppressed: { marker: '<10', upper: 9 } });
    expect(parseCount('< 5', ctx)).toEqual({ value: null, suppressed: { marker: '<5', upper: 4 } });
    expect(parseCount('<0.5', ctx, { integer: false })).toEqual({ value: null, suppressed: { marker: '<0.5', upper: 0.5 } });
  });

  it('leaves c and x without an upper bound (DfE secondary suppression hides larger numbers)', () => {
    expect(parseCount('c', ctx).suppressed?.upper).toBeUndefined();
    expect(parseCount('x', ctx).suppressed?.upper).toBeUndefined();
  });

  it('reads an empty cell as missing: null without a marker', () => {
    expect(parseCount('', ctx)).toEqual({ value: null });
    expect(parseCount('   ', ctx)).toEqual({ value: null });
  });

  it('documents every marker', () => {
    for (const m of ['c', 'x', 'z', 'low', ':', '..', '*', 'u', 'partly_suppressed']) expect(SUPPRESSION_MARKERS[m]).toBeTruthy();
    expect(parseSuppressionMarker('n/a')).toBeUndefined();
    expect(parseSuppressionMarker('partly_suppressed')).toEqual({ marker: 'partly_suppressed' });
  });
});

describe('parseCount: errors name source, row, field, value and fix', () => {
  it('rejects text that is neither a number nor a marker', () => {
    const { problem, message } = problemOf(() => parseCount('#VALUE!', ctx));
    expect(problem).toMatchObject({ source: 'cla.csv', row: 7, field: 'number' });
    expect(problem.message).toContain('"#VALUE!"');
    expect(problem.fix).toBeTruthy();
    expect(message).toContain('cla.csv:7 [number]');
  });

  it('rejects negative counts', () => {
    const { problem } = problemOf(() => parseCount('-5', ctx));
    expect(problem.message).toMatch(/negative "-5"/);
  });

  it('rejects fractions where a whole number is required', () => {
    const { problem } = problemOf(() => parseCount('12.5', ctx));
    expect(problem.message).toMatch(/fraction "12.5"/);
    expect(problem.fix).toMatch(/whole numbers/);
  });

  it('rejects malformed thousands separators and other junk', () => {
    for (const bad of ['1,05', '1.057.3', '12a', 'n/a', '--5', '1e3']) {
      expect(() => parseCount(bad, ctx)).toThrow(CarecastInputError);
    }
  });
});
