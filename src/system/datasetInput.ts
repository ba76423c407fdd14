/**
 * A dataset's series as the system model's input: the one reading of a
 * tidy, DfE or SSDA903-derived dataset that `projectSystem` is given.
 *
 * @module
 */
import { breakdownKey } from '../data/breakdown.js';
import { CarecastInputError } from '../data/errors.js';
import type { AnnualSeries, Dataset } from '../data/schemas.js';
import type { SystemInput } from './input.js';

/**
 * A dataset's series as the system model's input: the children-in-care,
 * starters and leavers totals, and every breakdown of children in care by
 * one dimension (each group a series), or only the dimensions asked for.
 * The same reading as the CLI's for `--tidy`, `--dfe` and `--ssda903`.
 *
 * @param dataset - one area's dataset (e.g. `deriveAnnualDataset(data).dataset` of SSDA903 returns)
 * @param dimensions - the breakdowns to keep (default: every one-dimension breakdown of children in care)
 * @returns the input
 * @throws CarecastInputError when there is no children-in-care total
 * @example
 * ```ts
 * const { dataset } = deriveAnnualDataset(readSsda903(returns));
 * projectSystem(datasetSystemInput(dataset, ['placement', 'provider']), { to: 2030 });
 * ```
 */
export function datasetSystemInput(dataset: Dataset, dimensions?: readonly string[]): SystemInput {
  const total = (measure: string): AnnualSeries | undefined =>
    dataset.series.find((x): x is AnnualSeries => x.frequency === 'annual' && x.measure === measure && breakdownKey(x.breakdown) === '');
  const stock = total('children_in_care');
  if (!stock) {
    throw new CarecastInputError([{ source: dataset.area.name, field: 'children_in_care', message: 'no children_in_care total series', fix: 'the system model needs the children_in_care total (and, where known, started and ceased)' }]);
  }
  const breakdowns: Record<string, Record<string, AnnualSeries>> = {};
  for (const s of dataset.series) {
    if (s.frequency !== 'annual' || s.measure !== 'children_in_care') continue;
    const keys = Object.keys(s.breakdown);
    if (keys.length !== 1) continue;
    const dim = keys[0];
    if (dimensions && !dimensions.includes(dim)) continue;
    (breakdowns[dim] ??= {})[String((s.breakdown as Record<string, string>)[dim])] = s;
  }
  const started = total('started');
  const ceased = total('ceased');
  return { area: dataset.area.name, stock, ...(started ? { started } : {}), ...(ceased ? { ceased } : {}), breakdowns };
}
