/**
 * Derbyshire placement costs 2025/26-2034/35 with P10/P50/P90 budgets, and four scenarios:
 * base, admissions -10% from 2026, +2 in-house homes of 4 beds in 2027, Forward to Foster 10 children a year.
 * Run with `npx tsx examples/finance-scenarios.ts` (writes out/finance-scenarios.xlsx and .csv).
 *
 * Inputs, all from the Derbyshire seed (seeds/derbyshire.json, with source lines):
 * - children in care, starters and leavers 2018-2024 (stock-flow model);
 * - the finance cross (fostering/residential x in-house/external) at March 2018, 2019, 2020, 2023
 *   (published percentages x the total) and May 2024 (the placement-type dashboard, taken as March 2024);
 *   everyone else (adoption, parents, supported accommodation, secure, other) is the `unallocated` group,
 *   which is not costed: the seeds have no weekly cost for it;
 * - weekly costs derived from 2022/23 spend / placements (unitCostsFromSeed: the derivation is printed);
 * - in-house capacity: 47 children's home beds (2024), of which 34 were used in May 2024 (utilisation 0.72);
 *   foster carers: 230 carers with 322 children (April 2024) as 322 places.
 * Inflation (3% a year from 2022/23 prices) is an illustrative assumption, not from the seeds.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// 'carecast' once installed
import {
  applyScenario,
  compareScenarios,
  findSeries,
  loadSeed,
  loadTidyCsv,
  projectSystem,
  toCsv,
  writeWorkbook,
  type AnnualSeries,
} from '../src/index.js';
import { parseCostModel, parseScenarios, unitCostRecords, unitCostsFromSeed } from '../src/finance/index.js'; // 'carecast/finance'
import { alignTable, comparisonTableRows, costWorkbook } from '../src/output/index.js'; // 'carecast/output'
import { pathBands } from '../src/uncertainty/index.js'; // 'carecast/uncertainty'

const seed = loadSeed('derbyshire');

// inputs: examples/data/ (made from the seed by examples/data/make-derbyshire-finance.ts), the same
// files `carecast costs` reads
const dataDir = new URL('./data/', import.meta.url);
const [ds] = loadTidyCsv(fileURLToPath(new URL('derbyshire-finance.csv', dataDir)), { allowGaps: true });
const model = parseCostModel(JSON.parse(readFileSync(new URL('derbyshire-costs.json', dataDir), 'utf8')));
const scenarioDefs = parseScenarios(JSON.parse(readFileSync(new URL('derbyshire-scenarios.json', dataDir), 'utf8')));
const finance = Object.fromEntries(
  ds.series
    .filter((x) => x.frequency === 'annual' && x.measure === 'children_in_care' && x.breakdown.finance !== undefined)
    .map((x) => [String(x.breakdown.finance), x as AnnualSeries]),
);
const sys = projectSystem(
  { stock: findSeries(ds, 'children_in_care'), started: findSeries(ds, 'started'), ceased: findSeries(ds, 'ceased'), breakdowns: { finance } },
  { to: 2035, paths: 2000, seed: 2024 },
);

// unit costs from the seed, with the derivation (derbyshire-costs.json holds these, rounded to pence)
const unit = unitCostsFromSeed(seed);
console.log('Weekly unit costs derived from the Derbyshire seed (spend / (placements x 52.18)):\n');
console.log(alignTable(['group', 'year', 'derivation'], unit.derivations.map((d) => [d.group, d.financialYear, d.formula])));
console.log(`No seed cost for: ${unit.missing.join(', ')}.\n`);

const base = applyScenario(sys, model, { name: 'base', levers: [] });
const scenarios = scenarioDefs.map((sc) => applyScenario(sys, model, sc));

const m = (v: number): string => `${v < 0 ? "-" : ""}£${(Math.abs(v) / 1e6).toFixed(1)}m`;
const shown = base.costs.years.map((y, i) => [y, i] as const).filter(([y]) => y >= 2026);
for (const s of [base, ...scenarios]) {
  console.log(`${s.name}: cost of fostering and residential placements (2,000 paths; P10 / P50 / P90)`);
  const c = s.costs;
  console.log(alignTable(
    ['financial year', 'P10', 'P50', 'P90', 'children 31 Mar (P50)', 'residential gap (P50)'],
    shown.map(([, i]) => [c.financialYears[i], m(c.total.quantiles.p10[i]), m(c.total.quantiles.p50[i]), m(c.total.quantiles.p90[i]),
      Math.round(pathMedian(s.placements.stock.values, i, s.placements.years.length)).toString(),
      (c.sufficiency[0].gap.quantiles.p50[i]).toFixed(0)]),
  ));
  console.log('');
}

function pathMedian(values: Float64Array, h: number, H: number): number {
  const col: number[] = [];
  for (let k = h; k < values.length; k += H) col.push(values[k]);
  col.sort((a, b) => a - b);
  return col[Math.floor((col.length - 1) / 2)];
}

const rows = compareScenarios(base, scenarios);
console.log('Differences from the base (same random numbers; P10 / P50 / P90 of the path-by-path difference):');
// the ten-year total (2025/26-2034/35), path by path, so its P10/P50/P90 are those of the sum
const tenYearPaths = (c: typeof base.costs): Float64Array => {
  const H = c.years.length;
  const out = new Float64Array(c.paths.total.paths);
  for (let p = 0; p < out.length; p++) for (const [, i] of shown) out[p] += c.paths.total.values[p * H + i];
  return out;
};
const baseTen = tenYearPaths(base.costs);
const q = (v: Float64Array) => pathBands({ paths: v.length, horizon: 1, values: v }).quantiles;
const bt = q(baseTen);
console.log(`Base, ten years 2025/26-2034/35: P10 ${m(bt.p10[0])}, P50 ${m(bt.p50[0])}, P90 ${m(bt.p90[0])}`);
const tenYear = scenarios.map((s) => {
  const t = tenYearPaths(s.costs);
  const d = q(t.map((v, k) => v - baseTen[k]));
  const own = q(t);
  const r = rows.filter((x) => x.scenario === s.name && x.measure === 'cost' && x.group === 'total' && x.year === 2035)[0];
  const kids = rows.find((x) => x.scenario === s.name && x.measure === 'children_in_care' && x.year === 2035);
  return [s.name, `${m(own.p10[0])} / ${m(own.p50[0])} / ${m(own.p90[0])}`, `${m(d.p10[0])} / ${m(d.p50[0])} / ${m(d.p90[0])}`,
    `${m(r.diff_p10)} / ${m(r.diff_p50)} / ${m(r.diff_p90)}`, kids ? kids.diff_p50.toFixed(0) : ''];
});
console.log(alignTable(['scenario', 'ten-year cost P10 / P50 / P90', 'ten-year diff P10 / P50 / P90', '2034/35 diff P10 / P50 / P90', 'children 2035 (P50 diff)'], tenYear));

mkdirSync('out', { recursive: true });
// the same sheets as `carecast costs --xlsx` (summary, difference from base with bands, costs, comparison,
// assumptions with the levers, caveats), plus the unit-cost derivations
const book = costWorkbook({ results: [base, ...scenarios], caveats: sys.caveats });
await writeWorkbook(
  [...book.tables, { name: 'Unit costs', rows: unitCostRecords(unit), currencyColumns: ['weekly_cost'], numberFormats: { weekly_cost: '£#,##0.00' } }],
  book.assumptions,
  'out/finance-scenarios.xlsx',
  { caveats: book.caveats },
);
writeFileSync('out/finance-scenarios-comparison.csv', toCsv(comparisonTableRows([base, ...scenarios])));
console.log('\nWrote out/finance-scenarios.xlsx and out/finance-scenarios-comparison.csv.');
console.log('Unit cost caveats:');
for (const d of unit.derivations.filter((x) => x.year === 2023)) for (const c of d.caveats) console.log(`- ${d.group}: ${c}`);
