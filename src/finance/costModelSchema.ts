/**
 * The cost model as data: a strict zod schema for reading a
 * {@link CostModel} from JSON at the boundary (the `costs` command, example
 * files). Unknown keys are errors (a misspelt `inflaton` would otherwise be
 * ignored and change the results); rates and shares are fractions (`0.03`)
 * or explicit percentages (`"3%"`), and a bare number that can only be a
 * percentage (inflation `3`) is refused.
 *
 * @module
 */
import { z } from 'zod';
import { CarecastInputError } from '../data/errors.js';
import { schemaProblems } from '../data/loaders/jsonText.js';
import type { CostModel } from './costs.js';
import { financialYearSchema, fractionSchema, yearSchema } from './schemaParts.js';

const nonNeg = z.number().finite().nonnegative();
const yearKey = z.string().regex(/^\d{4}$/, 'keys are years ending 31 March, such as "2026" (for 2025/26)');
const inflationRate = fractionSchema({ what: (p) => `${p} a year`, above: -1, plausible: [-0.2, 0.3], example: 0.03 });

const InflationSchema = z
  .strictObject({
    rate: inflationRate.optional(),
    rates: z.record(yearKey, inflationRate).optional(),
    index: z.record(yearKey, z.number().finite().positive()).optional(),
  })
  .check((ctx) => {
    const v = ctx.value;
    if (v.index !== undefined && (v.rate !== undefined || v.rates !== undefined)) {
      ctx.issues.push({ code: 'custom', message: 'gives an index and rates', input: v, params: { fix: 'give either an index series or rates, not both' } });
    } else if (v.index === undefined && v.rate === undefined && v.rates === undefined) {
      ctx.issues.push({ code: 'custom', message: 'gives no rate, rates or index', input: v, params: { fix: 'give { "rate": 0.03 }, { "rates": { "2026": 0.05 } } or { "index": { "2023": 100, ... } }, or leave inflation out' } });
    }
  });

const CapacitySchema = z.strictObject({
  name: z.string().min(1),
  internalGroup: z.string().min(1),
  externalGroup: z.string().min(1),
  places: z.union([nonNeg, z.array(z.strictObject({ from: yearSchema, places: nonNeg }))]),
  utilisation: fractionSchema({ what: (p) => `${p} of places`, above: 0, atMost: 1, plausible: [0, 1], example: 0.85 }).optional(),
});

/**
 * A {@link CostModel} as JSON: weekly costs per group, price year (`2023`
 * or `"2022/23"`), inflation, capacity pools. Strict: unknown keys are
 * errors. Inflation rates are fractions between -0.2 and 0.3 (or
 * percentages as text, `"3%"`); utilisation a fraction in (0, 1] (or
 * `"85%"`).
 */
export const CostModelFileSchema = z.strictObject({
  dimension: z.string().min(1),
  weekly: z.record(z.string(), nonNeg),
  priceYear: financialYearSchema,
  inflation: InflationSchema.optional(),
  capacity: z.array(CapacitySchema).optional(),
  uncosted: z.array(z.string()).optional(),
  weeksPerYear: z.number().positive().max(53).optional(),
  sources: z.record(z.string(), z.string()).optional(),
});

/**
 * Parse and check a cost model read from JSON.
 *
 * @param json - the parsed JSON
 * @param source - the file name, for messages (default `cost model`)
 * @returns the cost model
 * @throws CarecastInputError listing every problem (field path, message
 *   and fix; an unknown key suggests the nearest valid one)
 * @example
 * ```ts
 * const model = parseCostModel(JSON.parse(readFileSync('costs.json', 'utf8')), 'costs.json');
 * ```
 */
export function parseCostModel(json: unknown, source = 'cost model'): CostModel {
  const r = CostModelFileSchema.safeParse(json);
  if (!r.success) throw new CarecastInputError(schemaProblems(r.error.issues, { source, schema: CostModelFileSchema, data: json, fix: COST_MODEL_FIX }));
  return r.data as CostModel;
}

/** Where the cost model's format is described, for messages. */
export const COST_MODEL_FIX = 'see the cost model format in docs/guides/finance.md';
