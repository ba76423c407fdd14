/**
 * The parts the cost-model and scenario schemas share: rates and shares
 * given as fractions (`0.03`) or as explicit percentages (`"3%"`), with a
 * bare number outside the plausible range refused as a percentage written
 * by mistake (inflation `3` would be 300% a year); and years.
 *
 * @module
 */
import { z } from 'zod';

/** How a fraction is checked. */
export interface FractionRule {
  /** The value in words, from its percentage (e.g. `(p) => \`${p} a year\``), for messages. */
  readonly what: (percent: string) => string;
  /** Values must be above this (e.g. -1: above -100%). */
  readonly above?: number;
  /** Values must be at least this. */
  readonly atLeast?: number;
  /** Values must be at most this. */
  readonly atMost?: number;
  /** A bare number outside this range is taken for a percentage written as a number, and refused. */
  readonly plausible: readonly [number, number];
  /** An example fraction for messages (e.g. 0.03). */
  readonly example: number;
}

const PERCENT = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*%\s*$/;
const pct = (v: number): string => `${Number((v * 100).toPrecision(6))}%`;

/**
 * A fraction (`0.03`) or an explicit percentage (`"3%"`), as a number
 * (0.03). A bare number outside the rule's plausible range is refused with
 * a message that asks for a fraction or a percentage; the rule's limits
 * hold for both forms.
 *
 * @param rule - the limits, the plausible range and an example
 * @returns the schema
 */
export function fractionSchema(rule: FractionRule): z.ZodType<number, number | string> {
  return z.union([z.number(), z.string()]).transform((raw, ctx) => {
    const bad = (message: string, fix: string): never => {
      ctx.issues.push({ code: 'custom', message, input: raw, params: { fix } });
      return z.NEVER;
    };
    const askFor = `give a fraction (${rule.example} for ${pct(rule.example)}) or a percentage as text ("${pct(rule.example)}")`;
    let v: number;
    if (typeof raw === 'string') {
      const m = PERCENT.exec(raw);
      if (!m) return bad(`"${raw}" is neither a number nor a percentage`, askFor);
      v = Number(m[1]) / 100;
    } else {
      if (!Number.isFinite(raw)) return bad(`${raw} is not a finite number`, askFor);
      v = raw;
      if (v < rule.plausible[0] || v > rule.plausible[1]) {
        return bad(`${raw} read as a fraction is ${rule.what(pct(v))}, which looks like a percentage written as a number`, `${askFor}; to mean ${raw}%, write "${raw}%"`);
      }
    }
    if (rule.above !== undefined && !(v > rule.above)) return bad(`${rule.what(pct(v))} is not possible: it must be above ${pct(rule.above)}`, askFor);
    if (rule.atLeast !== undefined && v < rule.atLeast) return bad(`${rule.what(pct(v))} is below ${pct(rule.atLeast)}`, askFor);
    if (rule.atMost !== undefined && v > rule.atMost) return bad(`${rule.what(pct(v))} is above ${pct(rule.atMost)}`, askFor);
    return v;
  });
}

/** A year ending 31 March, 1990-2100 (`2026` is 2025/26). */
export const yearSchema = z.number().int().min(1990).max(2100);

/** A year given as the year ending 31 March (`2023`) or as a financial year (`"2022/23"`), as the former. */
export const financialYearSchema: z.ZodType<number, number | string> = z.union([yearSchema, z.string()]).transform((raw, ctx) => {
  if (typeof raw === 'number') return raw;
  const m = /^\s*(\d{4})\s*\/\s*(\d{2})\s*$/.exec(raw);
  const end = m ? Number(m[1]) + 1 : NaN;
  if (!m || end % 100 !== Number(m[2]) || end < 1990 || end > 2100) {
    ctx.issues.push({ code: 'custom', message: `"${raw}" is not a financial year`, input: raw, params: { fix: 'give the year ending 31 March (2023) or the financial year ("2022/23")' } });
    return z.NEVER;
  }
  return end;
});
