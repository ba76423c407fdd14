/**
 * Panel evidence as JSON: checked on the way in, and the bundled evidence
 * from every LA of the DfE panel (`seeds/dfe-evidence.json`, made by
 * `benchmarks/make-dfe-calibration.ts`).
 *
 * @module
 */
import { z } from 'zod';
import { readCheckedSeed } from '../data/dfe/bundled.js';
import { CarecastInputError } from '../data/errors.js';
import type { PanelEvidence } from '../models/selectMethod.js';
import { METHOD_NAMES } from '../models/types.js';

const Strategy = z.enum([...METHOD_NAMES, 'auto']);
const EvidenceSchema = z
  .object({
    kind: z.literal('panelEvidence'),
    method: Strategy,
    scores: z.array(z.object({ strategy: Strategy, mase: z.number().finite().nonnegative(), se: z.number().nonnegative() })).min(1),
    excluded: z.array(Strategy),
    forecasts: z.number().int().positive(),
    areas: z.number().int().positive(),
    asOf: z.number().int().nullable(),
    maxStep: z.number().int().positive(),
    source: z.string(),
    rule: z.string(),
  })
  .refine((e) => e.scores.some((s) => s.strategy === e.method), { message: 'the recommended method has no score', path: ['method'] });

/**
 * Check panel evidence read from JSON (e.g. saved from `panelEvidence` with
 * `JSON.stringify`).
 *
 * @param json - the parsed JSON: a {@link PanelEvidence}, or an object with an `evidence` field holding one
 * @param source - the file name, for error messages
 * @returns the evidence
 * @throws CarecastInputError naming each bad field
 * @example
 * ```ts
 * const evidence = parsePanelEvidence(JSON.parse(readFileSync('evidence.json', 'utf8')), 'evidence.json');
 * forecast(series, { to: 2030, method: 'auto', evidence });
 * ```
 */
export function parsePanelEvidence(json: unknown, source: string): PanelEvidence {
  const inner = typeof json === 'object' && json !== null && 'evidence' in json ? (json as { evidence: unknown }).evidence : json;
  const parsed = EvidenceSchema.safeParse(inner);
  if (!parsed.success) {
    throw new CarecastInputError(
      parsed.error.issues.map((i) => ({
        source,
        field: i.path.join('.') || 'evidence',
        message: i.message,
        fix: 'save the result of panelEvidence(...) with JSON.stringify, or use the bundled loadDfeEvidence()',
      })),
    );
  }
  return parsed.data;
}

/**
 * Load the bundled panel evidence: which strategy forecast children in care
 * best across every LA of the DfE panel (children looked after at 31 March
 * 2011-2024, the panel bundled with carecast; every rolling origin, steps
 * 1-3), by `panelEvidence`'s rule.
 * Give it to `forecast(series, { method: 'auto', evidence })` for an LA's
 * total of children in care. It describes LA totals; for other measures
 * (flows, placement groups, costs) build evidence from their own backtests.
 *
 * @returns the evidence
 * @throws CarecastInputError when the bundled file is invalid
 * @example
 * ```ts
 * const evidence = loadDfeEvidence();
 * evidence.method; // the strategy recommended for LA totals
 * forecast(series, { to: 2030, method: 'auto', evidence });
 * ```
 */
export function loadDfeEvidence(): PanelEvidence {
  const source = 'seeds/dfe-evidence.json';
  return parsePanelEvidence(JSON.parse(readCheckedSeed('dfe-evidence.json')), source);
}
