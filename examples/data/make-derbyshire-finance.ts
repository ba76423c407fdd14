/**
 * Writes the inputs of the `carecast costs` example from the Derbyshire seed:
 * `npx tsx examples/data/make-derbyshire-finance.ts`.
 *
 * - derbyshire-finance.csv (tidy): children in care, starters and leavers (seed totals, with their
 *   source lines) and the finance cross (fostering/residential x internal/external) at March 2018,
 *   2019, 2020 (seed counts), 2023 (published percentages x 995, rounded) and 2024 (May 2024 dashboard,
 *   read as March 2024), as in examples/finance-scenarios.ts.
 * - derbyshire-costs.json: weekly costs derived from the seed's 2022/23 spend (unitCostsFromSeed),
 *   3% inflation a year (an illustrative assumption), capacity 47 children's home beds at 34/47
 *   utilisation and 322 fostering places.
 * - derbyshire-scenarios.json: admissions -10% from 2026; +2 homes of 4 beds in 2027; Forward to
 *   Foster 10 children a year from 2026.
 */
import { writeFileSync } from 'node:fs';
import { findSeries } from '../../src/data/breakdown.js';
import { datasetToTidyRecords, tidyRecordsToCsv } from '../../src/data/loaders/tidy.js';
import type { AnnualSeries, Dataset } from '../../src/data/schemas.js';
import { loadSeed } from '../../src/data/seeds.js';
import { unitCostsFromSeed } from '../../src/finance/unitCosts.js';

const seed = loadSeed('derbyshire');
const ds = seed.dataset;
const group = (name: string, values: [number, number][], note: string): AnnualSeries => ({
  frequency: 'annual',
  measure: 'children_in_care',
  kind: 'snapshot',
  unit: 'children',
  breakdown: { finance: name },
  area: 'Derbyshire',
  points: values.map(([year, value]) => ({ year, value, provenance: { source: 'examples/finance-scenarios.ts', note } })),
});
const note = '2018-2020 seed counts; 2023 = published share x 995; 2024 = May 2024 dashboard';
const finance: Dataset = {
  name: 'derbyshire-finance',
  area: ds.area,
  notes: [],
  series: [
    findSeries(ds, 'children_in_care'),
    findSeries(ds, 'started'),
    findSeries(ds, 'ceased'),
    group('fostering_internal', [[2018, 347], [2019, 379], [2020, 388], [2023, Math.round(0.36 * 995)], [2024, 356]], note),
    group('fostering_external', [[2018, 174], [2019, 222], [2020, 226], [2023, Math.round(0.28 * 995)], [2024, 309]], note),
    group('residential_internal', [[2018, 38], [2019, 34], [2020, 31], [2023, Math.round(0.028 * 995)], [2024, 34]], note),
    group('residential_external', [[2018, 59], [2019, 59], [2020, 74], [2023, Math.round(0.11 * 995)], [2024, 128]], note),
  ],
};
const here = new URL('./', import.meta.url);
writeFileSync(new URL('derbyshire-finance.csv', here), tidyRecordsToCsv(datasetToTidyRecords(finance)));
const unit = unitCostsFromSeed(seed);
const weekly = (g: string): number => Math.round(unit.latest[g].weekly * 100) / 100;
const model = {
  dimension: 'finance',
  priceYear: 2023,
  weekly: {
    fostering_internal: weekly('fostering_internal'),
    fostering_external: weekly('fostering_external'),
    residential_internal: weekly('residential_internal'),
    residential_external: weekly('residential_external'),
  },
  uncosted: ['unallocated'],
  inflation: { rate: 0.03 },
  capacity: [
    { name: 'residential', internalGroup: 'residential_internal', externalGroup: 'residential_external', places: [{ from: 2024, places: 47 }], utilisation: 34 / 47 },
    { name: 'fostering', internalGroup: 'fostering_internal', externalGroup: 'fostering_external', places: 322 },
  ],
  sources: Object.fromEntries(unit.derivations.filter((d) => d.year === 2023).map((d) => [d.group, `derived from the Derbyshire seed: ${d.formula} (${d.financialYear})`])),
};
writeFileSync(new URL('derbyshire-costs.json', here), `${JSON.stringify(model, null, 2)}\n`);
const scenarios = [
  { name: 'admissions -10% from 2026', levers: [{ kind: 'admissions', change: -0.1, from: 2026 }] },
  { name: '+2 in-house homes of 4 beds in 2027', levers: [{ kind: 'capacity', pool: 'residential', change: 8, from: 2027 }] },
  { name: 'Forward to Foster 10 a year', levers: [{ kind: 'stepDown', fromGroup: 'residential_external', toGroup: 'fostering_internal', children: 10, from: 2026 }] },
];
writeFileSync(new URL('derbyshire-scenarios.json', here), `${JSON.stringify(scenarios, null, 2)}\n`);
console.log('wrote examples/data/derbyshire-finance.csv, derbyshire-costs.json, derbyshire-scenarios.json');
