/**
 * What `forecast()` uses when it is not told: the panel evidence and the
 * pooled conformal calibration bundled for the series' measure (from every LA
 * of the DfE panel), looked up without throwing, so that a series of a
 * measure with no bundled evidence or calibration falls back to per-series
 * choice and analytic bands.
 *
 * Both follow the bundled files: when they are rebuilt with other methods
 * (`benchmarks/make-dfe-calibration.ts`), the defaults follow with no change
 * here.
 *
 * @module
 */
import { dfeEvidenceMeasures, loadDfeEvidence } from '../models/evidenceFile.js';
import type { PanelEvidence } from '../models/selectMethod.js';
import type { AnyMethodName } from '../models/types.js';
import type { ConformalCalibration } from '../uncertainty/conformal.js';
import { dfeCalibrationMethods, loadDfeCalibration } from '../uncertainty/dfeCalibration.js';

/**
 * The bundled panel evidence for a measure, if there is one.
 *
 * @param measure - the series' measure, e.g. `children_in_care`
 * @returns the evidence, or `undefined` for a measure without bundled evidence
 * @throws CarecastInputError when the bundled file is invalid or changed
 * @example
 * ```ts
 * bundledEvidenceFor('children_in_care')?.method; // e.g. 'panelGrowth'
 * bundledEvidenceFor('value');                    // undefined: plain year-value pairs
 * ```
 */
export function bundledEvidenceFor(measure: string): PanelEvidence | undefined {
  return dfeEvidenceMeasures().includes(measure) ? loadDfeEvidence({ measure }) : undefined;
}

/**
 * The bundled pooled calibration of a method for a measure, if there is one.
 *
 * @param measure - the series' measure
 * @param method - the method in use (a single-series or global one), or `'auto'` when each series chooses its own
 * @returns the calibration, or `undefined` when the measure or method has none
 * @throws CarecastInputError when the bundled file is invalid or changed
 * @example
 * ```ts
 * bundledCalibrationFor('children_in_care', 'naive')?.extrapolation.calibratedSteps; // e.g. 10
 * ```
 */
export function bundledCalibrationFor(measure: string, method: AnyMethodName | 'auto'): ConformalCalibration | undefined {
  return dfeCalibrationMethods({ measure }).includes(method) ? loadDfeCalibration(method, { measure }) : undefined;
}

/**
 * Whether the bundled calibrations cover a measure at all (for any method).
 *
 * @param measure - the series' measure
 * @returns `true` when at least one method has a bundled calibration for it
 * @throws CarecastInputError when the bundled file is invalid or changed
 * @example
 * ```ts
 * hasBundledCalibrations('started'); // true
 * ```
 */
export function hasBundledCalibrations(measure: string): boolean {
  return dfeCalibrationMethods({ measure }).length > 0;
}
