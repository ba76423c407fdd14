/**
 * Scenarios: named, composable what-if levers on a projection, and their
 * comparison with the base.
 *
 * @module
 */
export * from './levers.js';
export * from './scenario.js';
export * from './scenarioSchema.js';
