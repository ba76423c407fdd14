/**
 * Scenarios as data: a zod schema for reading named lists of levers from
 * JSON at the boundary (the `costs`/`scenario` command, example files).
 *
 * @module
 */
import { z } from 'zod';
import type { Scenario } from './levers.js';

const year = z.number().int().min(1990).max(2100);
const nonNeg = z.number().finite().nonnegative();

const LeverSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('admissions'), change: z.number().finite().gt(-1), from: year, phaseYears: z.number().int().positive().optional() }),
  z.object({ kind: z.literal('uasc'), change: z.number().finite(), from: year, to: year.optional() }),
  z.object({ kind: z.literal('exitRate'), change: z.number().finite().gt(-1), from: year, phaseYears: z.number().int().positive().optional() }),
  z.object({
    kind: z.literal('stepDown'),
    fromGroup: z.string().min(1),
    toGroup: z.string().min(1),
    children: nonNeg,
    from: year,
    years: z.number().int().positive().optional(),
    retention: z.number().min(0).max(1).optional(),
  }),
  z.object({ kind: z.literal('capacity'), pool: z.string().min(1), change: z.number().finite(), from: year }),
  z.object({ kind: z.literal('costInflation'), rate: z.number().finite(), from: year, groups: z.array(z.string()).optional() }),
]);

/** A scenarios file: an array of `{ name, levers }`, each lever one of the six kinds. */
export const ScenariosFileSchema = z.array(z.object({ name: z.string().min(1), levers: z.array(LeverSchema) }));


/**
 * Parse and check scenarios read from JSON.
 *
 * @param json - the parsed JSON
 * @returns the scenarios
 * @throws ZodError listing every problem (field path and message)
 * @example
 * ```ts
 * const scenarios = parseScenarios(JSON.parse(readFileSync('scenarios.json', 'utf8')));
 * ```
 */
export function parseScenarios(json: unknown): Scenario[] {
  return ScenariosFileSchema.parse(json) as Scenario[];
}
