/**
 * The system dynamics fitted on every LA of the bundled DfE panel at its
 * latest year (`seeds/dfe-system.json`, made by
 * `benchmarks/make-dfe-system.ts`): what `projectSystem` uses by default,
 * and what a dataset outside the panel borrows.
 *
 * @module
 */
import { readCheckedSeed } from '../data/dfe/bundled.js';
import { CarecastInputError } from '../data/errors.js';
import { parseSystemDynamics, type SystemDynamics } from './dynamics.js';

/** The file name of the bundled system dynamics in `seeds/`. */
export const DFE_SYSTEM_FILE = 'dfe-system.json';

let cache: SystemDynamics | undefined;

/**
 * The system dynamics fitted on every LA of the bundled DfE panel at 2024
 * (pre-registered in docs/preregistration/issue-13-system-model.md): the
 * flow rates' pooled mean reversion and correlated shocks, and the share
 * dynamics of the placement, provider and age groups. Read and checked
 * against `seeds/MANIFEST.json` once per process.
 *
 * @returns the dynamics
 * @throws CarecastInputError when the bundled file is missing, changed or invalid
 * @example
 * ```ts
 * const dyn = loadDfeSystem();
 * dyn.flows?.beta.exit;              // the exit rate's pooled mean reversion
 * dyn.dimensions.provider.model;     // 'S0', 'S1' or 'S2', chosen by evidence
 * ```
 */
export function loadDfeSystem(): SystemDynamics {
  if (!cache) {
    const source = `seeds/${DFE_SYSTEM_FILE}`;
    let json: { fit?: unknown };
    try {
      json = JSON.parse(readCheckedSeed(DFE_SYSTEM_FILE)) as { fit?: unknown };
    } catch (e) {
      if (e instanceof CarecastInputError) throw e;
      throw new CarecastInputError([{ source, message: `not JSON: ${(e as Error).message}`, fix: 'rebuild it with npx tsx benchmarks/make-dfe-system.ts' }]);
    }
    cache = parseSystemDynamics(json.fit, source);
  }
  return cache;
}
