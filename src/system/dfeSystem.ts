/**
 * The system dynamics fitted on every LA of the bundled DfE panel at its
 * latest year (`seeds/dfe-system.json`, made by
 * `benchmarks/make-dfe-system.ts`): what `projectSystem` uses by default,
 * and what a dataset outside the panel borrows.
 *
 * @module
 */
import { readCheckedSeed } from '../data/dfe/bundled.js';
import type { DfePanel } from '../data/dfe/panelTypes.js';
import { CarecastInputError } from '../data/errors.js';
import { loadDfePanel } from '../data/panel.js';
import { DFE_SYSTEM_DIMENSIONS, dfeSystemPanel } from './dfeInput.js';
import { fitSystemDynamics, parseSystemDynamics, type SystemDynamics } from './dynamics.js';

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

/**
 * The recipe of `seeds/dfe-system.json`: the system dynamics fitted on
 * every LA of a DfE panel at its latest year, with the pre-registered
 * reference and derived groups ({@link DFE_SYSTEM_DIMENSIONS}).
 * `benchmarks/make-dfe-system.ts` saves it; the tests check that the
 * bundled file is what it gives.
 *
 * @param panel - the panel (default: the bundled one)
 * @param origin - the last year used (default: the panel's last; an earlier one gives the fit as known then)
 * @returns the dynamics
 * @example
 * ```ts
 * dfeSystemFit().flows?.beta;                    // = loadDfeSystem().flows?.beta
 * dfeSystemFit(loadDfePanel(), 2021).dimensions; // as known at 2021
 * ```
 */
export function dfeSystemFit(panel: DfePanel = loadDfePanel(), origin = panel.years[panel.years.length - 1]): SystemDynamics {
  const inputs = dfeSystemPanel(panel);
  return fitSystemDynamics(inputs, {
    origin,
    description: `every local authority of the DfE panel (${inputs.size} LAs; flows 2019-${origin}, placement groups 2020-${origin}, provider and age groups 2011-2017 and 2020-${origin})`,
    references: Object.fromEntries(Object.entries(DFE_SYSTEM_DIMENSIONS).map(([d, spec]) => [d, spec.reference])),
    derived: Object.fromEntries(Object.entries(DFE_SYSTEM_DIMENSIONS).map(([d, spec]) => [d, spec.derived])),
  });
}
