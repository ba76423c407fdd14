/**
 * What the command line adds for the global methods: the child population
 * a rate method needs, from the dataset (DfE's published 0-17 population)
 * and the ONS projection of the dataset's area.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import type { SeriesPopulation } from '../data/ons/panelPopulation.js';
import { loadPopulationProjection } from '../data/ons/population.js';
import type { AnnualSeries, Dataset } from '../data/schemas.js';

/**
 * The population of a dataset's area for `panelGrowthRate` / `panelARRate`:
 * its `population_0_17` series (as DfE publishes it, e.g. from `--la`) and
 * the ONS 2018-based projection of its area, found by ONS code or name.
 *
 * @param dataset - the loaded dataset
 * @param method - the method asked for (for the message)
 * @returns the population
 * @throws CarecastInputError when the dataset has no 0-17 population or its area has no projection
 */
export function datasetPopulation(dataset: Dataset, method: string): SeriesPopulation {
  const observed = dataset.series.find((s): s is AnnualSeries => s.frequency === 'annual' && s.measure === 'population_0_17' && Object.keys(s.breakdown).length === 0);
  if (!observed) {
    throw new CarecastInputError([{ source: '--method', field: 'method', message: `${method} works on the rate per 10,000 children and needs the area's 0-17 population, which this data source does not have`, fix: 'use --la (the bundled DfE panel has it), or a method on counts such as panelGrowth' }]);
  }
  const projection = loadPopulationProjection(dataset.area.code ?? dataset.area.name);
  return {
    observed: observed.points.map((p) => ({ year: p.year, value: p.value })),
    projection: projection.series.points.map((p) => ({ year: p.year, value: p.value })),
    source: `${dataset.name}: 0-17 population; ${projection.notes[0]}`,
  };
}
