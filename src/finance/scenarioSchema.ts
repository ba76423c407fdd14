/**
 * Scenarios as data: a strict zod schema for reading named lists of levers
 * from JSON at the boundary (the `costs`/`scenario` command, example
 * files). Unknown keys and lever kinds are errors; changes and rates are
 * fractions (`-0.1`) or explicit percentages (`"-10%"`), and a bare number
 * that can only be a percentage (`change: 100`) is refused; names are
 * unique and `base` is kept for the projection without levers.
 *
 * @module
 */
import { z } from 'zod';
import { CarecastInputError } from '../data/errors.js';
import { schemaProblems } from '../data/loaders/jsonText.js';
import type { Scenario } from './levers.js';
import { fractionSchema, yearSchema } from './schemaParts.js';

const nonNeg = z.number().finite().nonnegative();
const change = fractionSchema({ what: (p) => `a change of ${p}`, above: -1, plausible: [-1, 1], example: -0.1 });
const phaseYears = z.number().int().positive().optional();

const LeverSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('admissions'), change, from: yearSchema, phaseYears }),
  z.strictObject({ kind: z.literal('uasc'), change: z.number().finite(), from: yearSchema, to: yearSchema.optional() }),
  z.strictObject({ kind: z.literal('exitRate'), change, from: yearSchema, phaseYears }),
  z.strictObject({
    kind: z.literal('stepDown'),
    fromGroup: z.string().min(1),
    toGroup: z.string().min(1),
    children: nonNeg,
    from: yearSchema,
    years: z.number().int().positive().optional(),
    retention: fractionSchema({ what: (p) => `${p} still stepped down a year later`, atLeast: 0, atMost: 1, plausible: [0, 1], example: 0.8 }).optional(),
  }),
  z.strictObject({ kind: z.literal('capacity'), pool: z.string().min(1), change: z.number().finite(), from: yearSchema }),
  z.strictObject({
    kind: z.literal('costInflation'),
    rate: fractionSchema({ what: (p) => `${p} a year`, above: -1, plausible: [-0.2, 0.3], example: 0.02 }),
    from: yearSchema,
    groups: z.array(z.string()).optional(),
  }),
]);

/** The name of the projection without levers, which no scenario may take. */
export const BASE_SCENARIO = 'base';

/**
 * A scenarios file: an array of `{ name, levers }`, each lever one of the
 * six kinds. Strict: unknown keys and kinds are errors, names are unique
 * (case and surrounding spaces ignored) and none is `base`.
 */
export const ScenariosFileSchema = z.array(z.strictObject({ name: z.string().trim().min(1), levers: z.array(LeverSchema) })).superRefine(
  (scenarios, ctx) => {
    const seen = new Map<string, number>();
    scenarios.forEach((s, i) => {
      // runs even when other parts of the file are wrong (every problem at once), so the value may be malformed
      if (typeof s?.name !== 'string') return;
      const key = s.name.trim().toLowerCase();
      if (key === BASE_SCENARIO) {
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${s.name}" is the name of the projection without levers`, params: { fix: 'give the scenario another name, e.g. "base + 2 homes"' } });
      }
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `the name "${s.name.trim()}" is also the name of scenario [${first}]`, params: { fix: 'give every scenario its own name: results, sheets and charts are labelled by it' } });
      } else seen.set(key, i);
    });
  },
  { when: () => true },
);

/** Where the scenarios' format is described, for messages. */
export const SCENARIOS_FIX = 'see the scenario levers in docs/guides/finance.md';

/**
 * Parse and check scenarios read from JSON.
 *
 * @param json - the parsed JSON
 * @param source - the file name, for messages (default `scenarios`)
 * @returns the scenarios
 * @throws CarecastInputError listing every problem (field path, message
 *   and fix; an unknown key suggests the nearest valid one)
 * @example
 * ```ts
 * const scenarios = parseScenarios(JSON.parse(readFileSync('scenarios.json', 'utf8')), 'scenarios.json');
 * ```
 */
export function parseScenarios(json: unknown, source = 'scenarios'): Scenario[] {
  const r = ScenariosFileSchema.safeParse(json);
  if (!r.success) throw new CarecastInputError(schemaProblems(r.error.issues, { source, schema: ScenariosFileSchema, data: json, fix: SCENARIOS_FIX }));
  return r.data as Scenario[];
}
