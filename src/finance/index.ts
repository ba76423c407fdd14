/**
 * Finance: placement costs per financial year with bands, capacity and
 * sufficiency, and unit costs from the seeds.
 *
 * @module
 */
export * from './costs.js';
export * from './placements.js';
export * from './unitCosts.js';
export * from './costModelSchema.js';
export * from './levers.js';
export * from './scenario.js';
export * from './scenarioSchema.js';
