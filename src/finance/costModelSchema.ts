/**
 * The cost model as data: a zod schema for reading a {@link CostModel} from
 * JSON at the boundary (the `costs` command, example files).
 *
 * @module
 */
import { z } from 'zod';
import type { CostModel } from './costs.js';

const year = z.number().int().min(1990).max(2100);
const nonNeg = z.number().finite().nonnegative();
const yearRecord = z.record(z.string().regex(/^\d{4}$/, 'keys are years such as "2026"'), z.number().finite());

/** A {@link CostModel} as JSON: weekly costs per group, price year, inflation, capacity pools. */
export const CostModelFileSchema = z.object({
  dimension: z.string().min(1),
  weekly: z.record(z.string(), nonNeg),
  priceYear: year,
  inflation: z
    .union([
      z.object({ rate: z.number().finite(), rates: yearRecord.optional() }),
      z.object({ rate: z.number().finite().optional(), rates: yearRecord }),
      z.object({ index: yearRecord }),
    ])
    .optional(),
  capacity: z
    .array(
      z.object({
        name: z.string().min(1),
        internalGroup: z.string().min(1),
        externalGroup: z.string().min(1),
        places: z.union([nonNeg, z.array(z.object({ from: year, places: nonNeg }))]),
        utilisation: z.number().gt(0).max(1).optional(),
      }),
    )
    .optional(),
  uncosted: z.array(z.string()).optional(),
  weeksPerYear: z.number().positive().optional(),
  sources: z.record(z.string(), z.string()).optional(),
});


/**
 * Parse and check a cost model read from JSON.
 *
 * @param json - the parsed JSON
 * @returns the cost model
 * @throws ZodError listing every problem (field path and message)
 * @example
 * ```ts
 * const model = parseCostModel(JSON.parse(readFileSync('costs.json', 'utf8')));
 * ```
 */
export function parseCostModel(json: unknown): CostModel {
  return CostModelFileSchema.parse(json) as CostModel;
}
