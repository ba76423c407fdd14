/**
 * A quarterly series checked and laid out on the quarter index (gaps, suppression, provenance).
 *
 * Part of the quarterly tools (`periods.ts`, `history.ts`, `seasonality.ts`,
 * `forecast.ts`, `toAnnual.ts`, `annualHistory.ts`).
 *
 * @module
 */
import { breakdownKey } from '../../data/breakdown.js';
import { CarecastInputError, type InputProblem } from '../../data/errors.js';
import type { QuarterlyPoint, QuarterlySeries } from '../../data/schemas.js';
import { indexOf, label, periodLabel, periodLong, quarterOf, type QuarterLabel, yearOf } from './periods.js';

/** A series' name for error messages: `Derby started (quarterly)`. */
export function seriesLabel(series: QuarterlySeries): string {
  const key = breakdownKey(series.breakdown ?? {});
  return `${series.area} ${series.measure}${key ? `[${key}]` : ''} (quarterly)`;
}

interface CheckedPoint {
  readonly qi: number;
  readonly row: number;
  readonly point: QuarterlyPoint;
}

function provenanceText(p: QuarterlyPoint): string {
  const pr = p.provenance;
  return pr ? ` (from ${pr.source}${pr.line !== undefined ? `:${pr.line}` : ''})` : '';
}

/**
 * Check every point (year and quarter whole numbers, quarter 1-4, one value
 * per quarter, values finite and not negative) and sort by quarter.
 */
export function checkPoints(series: QuarterlySeries): CheckedPoint[] {
  const source = seriesLabel(series);
  const problems: InputProblem[] = [];
  const seen = new Map<number, number>();
  const out: CheckedPoint[] = [];
  series.points.forEach((p, i) => {
    const row = i + 1;
    let ok = true;
    if (!Number.isInteger(p.year)) {
      problems.push({ source, row, field: 'year', message: `year must be a whole number (the financial year's end), got ${p.year}${provenanceText(p)}`, fix: 'give the year in which the financial year ends, e.g. 2024 for 2023/24' });
      ok = false;
    }
    if (!Number.isInteger(p.quarter) || p.quarter < 1 || p.quarter > 4) {
      problems.push({
        source,
        row,
        field: 'quarter',
        message: `quarter must be 1, 2, 3 or 4, got ${p.quarter} in financial year ending ${p.year}${provenanceText(p)}`,
        fix: 'use financial-year quarters: Q1 = April-June, Q2 = July-September, Q3 = October-December, Q4 = January-March (ends 31 March)',
      });
      ok = false;
    }
    const where = ok ? periodLong(p.year, p.quarter) : `row ${row}`;
    if (p.value !== null && !Number.isFinite(p.value)) {
      problems.push({ source, row, field: 'value', message: `value for ${where} must be a finite number or null, got ${p.value}${provenanceText(p)}`, fix: 'use null for a missing or suppressed value' });
    } else if (p.value !== null && p.value < 0) {
      problems.push({ source, row, field: 'value', message: `negative value ${p.value} for ${where}${provenanceText(p)}`, fix: 'counts and amounts cannot be negative; check the source figure' });
    }
    if (!ok) return;
    const qi = indexOf(p.year, p.quarter);
    const prior = seen.get(qi);
    if (prior !== undefined) {
      problems.push({ source, row, field: 'quarter', message: `duplicate quarter ${periodLabel(p.year, p.quarter)}: rows ${prior} and ${row} both give it${provenanceText(p)}`, fix: 'keep one value per quarter' });
      return;
    }
    seen.set(qi, row);
    out.push({ qi, row, point: p });
  });
  if (problems.length > 0) throw new CarecastInputError(problems);
  return out.sort((a, b) => a.qi - b.qi);
}

/** One quarter of the history as the model saw it. */
export interface QuarterlyHistoryPoint extends QuarterLabel {
  /** The published value (`null` if missing or suppressed). */
  readonly value: number | null;
  /** The value the model used: the published one, or a straight-line interpolation for an interior gap. */
  readonly used: number;
  /** `true` when `used` was interpolated. */
  readonly imputed: boolean;
}

/** Build the gap-free history the model fits, or throw for gaps unless allowed. */
export function buildHistory(series: QuarterlySeries, allowGaps: boolean): { history: QuarterlyHistoryPoint[]; caveats: string[] } {
  const source = seriesLabel(series);
  const checked = checkPoints(series);
  const present = checked.filter((c) => c.point.value !== null);
  if (present.length === 0) {
    throw new CarecastInputError([{ source, field: 'value', message: 'no observed values in the series', fix: 'supply at least two quarters of data' }]);
  }
  const first = present[0].qi;
  const last = present[present.length - 1].qi;
  const byQi = new Map(checked.map((c) => [c.qi, c]));
  const caveats: string[] = [];
  const problems: InputProblem[] = [];
  const history: QuarterlyHistoryPoint[] = [];
  const imputed: string[] = [];
  const valueAt = (qi: number): number | null => byQi.get(qi)?.point.value ?? null;
  for (let qi = first; qi <= last; qi++) {
    const c = byQi.get(qi);
    const v = c?.point.value ?? null;
    if (v !== null) {
      history.push({ ...label(qi), value: v, used: v, imputed: false });
      continue;
    }
    let prev = qi - 1;
    while (valueAt(prev) === null) prev--;
    let next = qi + 1;
    while (valueAt(next) === null) next++;
    const what = c === undefined ? 'is missing' : `is ${c.point.suppressed ? `suppressed (${c.point.suppressed.marker})` : 'null'}`;
    problems.push({
      source,
      ...(c ? { row: c.row } : {}),
      field: c ? 'value' : 'quarter',
      message: `${periodLong(yearOf(qi), quarterOf(qi))} ${what}, inside the series (between ${periodLabel(yearOf(prev), quarterOf(prev))} and ${periodLabel(yearOf(next), quarterOf(next))})`,
      fix: 'supply the quarter\u2019s value, or pass allowGaps: true to fill it by straight-line interpolation (reported as a caveat)',
    });
    const a = valueAt(prev) as number;
    const b = valueAt(next) as number;
    history.push({ ...label(qi), value: null, used: a + ((b - a) * (qi - prev)) / (next - prev), imputed: true });
    imputed.push(periodLabel(yearOf(qi), quarterOf(qi)));
  }
  if (problems.length > 0 && !allowGaps) throw new CarecastInputError(problems);
  if (imputed.length > 0) {
    caveats.push(
      `No value for ${imputed.join(', ')}: filled by straight-line interpolation between the neighbouring quarters for fitting. ` +
        'The model treats the filled values as observed, so the bands are slightly too narrow.',
    );
  }
  const dropped = checked.filter((c) => c.point.value === null && (c.qi < first || c.qi > last)).map((c) => periodLabel(c.point.year, c.point.quarter));
  if (dropped.length > 0) caveats.push(`No value for ${dropped.join(', ')} at the ends of the series: not used.`);
  return { history, caveats };
}
