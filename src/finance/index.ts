/**
 * `carecast/finance`: the money side beyond `projectCosts`, `costRecords`,
 * `applyScenario` and `compareScenarios` (at the front door): inflation
 * indices and capacity steps, placement paths by group, unit costs derived
 * from the seeds, the scenario levers (`admissions`, `uasc`, `exitRate`,
 * `stepDown`, `capacity`, `costInflation`) and the JSON file formats of cost
 * models and scenarios that `carecast costs` reads.
 *
 * @example
 * ```ts
 * import { admissions } from 'carecast/finance';
 * import { applyScenario, compareScenarios } from 'carecast';
 *
 * const base = applyScenario(system, costModel, { name: 'base', levers: [] });
 * const fewer = applyScenario(system, costModel, { name: 'admissions -10%', levers: [admissions(-0.1, 2026)] });
 * compareScenarios(base, [fewer]); // differences in children and money per year, with P10/P50/P90
 * ```
 *
 * @module carecast/finance
 */
export {
  capacityPlaces,
  inflationIndex,
  WEEKS_PER_YEAR,
  type AssumptionRow,
  type CapacityRule,
  type CapacityStep,
  type CostOptions,
  type Inflation,
  type Sufficiency,
} from './costs.js';
export * from './placements.js';
export * from './unitCosts.js';
export * from './costModelSchema.js';
export { describeLever, priceBasisOf, type PriceBasis } from './describe.js';
export {
  admissions,
  capacity,
  costInflation,
  exitRate,
  stepDown,
  uasc,
  type AdmissionsLever,
  type CapacityLever,
  type CostInflationLever,
  type ExitRateLever,
  type Lever,
  type StepDownLever,
  type UascLever,
} from './levers.js';
export type { ApplyScenarioOptions, ComparisonRow } from './scenario.js';
export * from './scenarioSchema.js';
