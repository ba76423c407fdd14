/**
 * Panel evidence as JSON: checked on the way in, and the bundled evidence
 * from every LA of the DfE panel (`seeds/dfe-evidence.json`, made by
 * `benchmarks/make-dfe-calibration.ts`), per measure: which strategy
 * forecast children in care, children starting and children ceasing to be
 * looked after best across every LA. `forecast()` follows it by default.
 *
 * The bundled file is checked against its SHA-256 in `seeds/MANIFEST.json`
 * and read once per process.
 *
 * @module
 */
import { z } from 'zod';
import { readCheckedSeed } from '../data/dfe/bundled.js';
import { CarecastInputError } from '../data/errors.js';
import type { PanelEvidence } from './selectMethod.js';
import { GLOBAL_METHOD_NAMES, METHOD_NAMES } from './types.js';

const Strategy = z.enum([...METHOD_NAMES, ...GLOBAL_METHOD_NAMES, 'auto']);
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

const SOURCE = 'seeds/dfe-evidence.json';
/** The measure the bundled evidence describes when none is named. */
const DEFAULT_MEASURE = 'children_in_care';
const FileSchema = z.strictObject({
  description: z.string(),
  command: z.string(),
  measures: z.record(z.string(), z.strictObject({ data: z.string(), origins: z.string(), evidence: z.unknown() })),
});
let cache: ReadonlyMap<string, PanelEvidence> | undefined;

function bundled(): ReadonlyMap<string, PanelEvidence> {
  if (cache) return cache;
  const parsed = FileSchema.safeParse(JSON.parse(readCheckedSeed('dfe-evidence.json')));
  if (!parsed.success) {
    throw new CarecastInputError(
      parsed.error.issues.map((i) => ({ source: SOURCE, field: i.path.join('.'), message: i.message, fix: 'regenerate it with npx tsx benchmarks/make-dfe-calibration.ts' })),
    );
  }
  cache = new Map(Object.entries(parsed.data.measures).map(([m, x]) => [m, parsePanelEvidence(x.evidence, `${SOURCE} (${m})`)]));
  return cache;
}

/** Options naming the measure of the bundled DfE evidence. */
export interface DfeEvidenceOptions {
  /** The measure: `children_in_care` (default), `started` or `ceased`. */
  readonly measure?: string;
}

/**
 * The measures with bundled DfE panel evidence.
 *
 * @returns the measure names, e.g. `['children_in_care', 'started', 'ceased']`
 * @throws CarecastInputError when the bundled file is invalid or changed
 * @example
 * ```ts
 * dfeEvidenceMeasures().includes('children_in_care'); // true
 * ```
 */
export function dfeEvidenceMeasures(): readonly string[] {
  return [...bundled().keys()];
}

/**
 * Load the bundled panel evidence for a measure: which strategy forecast it
 * best across every LA of the DfE panel bundled with carecast (children in
 * care 2011-2024; children starting and ceasing to be looked after
 * 2019-2024; every rolling origin, steps 1-3), by `panelEvidence`'s rule.
 * `forecast(series)` follows it by default for a series of that measure
 * (`method` omitted, or `'evidence'`). It describes LA totals; for
 * placement groups, costs or other panels build evidence from your own
 * backtests.
 *
 * @param options - the measure (default `children_in_care`)
 * @returns the evidence
 * @throws CarecastInputError when the measure has no bundled evidence, or the bundled file is invalid or changed
 * @example
 * ```ts
 * const evidence = loadDfeEvidence();
 * evidence.method; // the strategy recommended for LA totals of children in care
 * loadDfeEvidence({ measure: 'started' }).method;
 * forecast(series, { to: 2030, evidence });
 * ```
 */
export function loadDfeEvidence(options: DfeEvidenceOptions = {}): PanelEvidence {
  const measure = options.measure ?? DEFAULT_MEASURE;
  const e = bundled().get(measure);
  if (!e) {
    throw new CarecastInputError([
      { source: SOURCE, field: 'measure', message: `no bundled evidence for the measure "${measure}"`, fix: `use one of ${dfeEvidenceMeasures().join(', ')}, or build evidence with panelEvidence on your own backtests` },
    ]);
  }
  return e;
}
