/**
 * Derbyshire placements, 2023-2035: the statement's published projections beside carecast's own.
 * Run with `npx tsx examples/derbyshire-placements.ts`.
 *
 * 1. What the 2024 sufficiency statement published (fostering +35%, residential +148%, internal +9%,
 *    private/voluntary +94%) and whether its method can be reproduced from the figures in the documents.
 * 2. carecast's system projection of Derbyshire from the DfE data bundled with carecast: children in
 *    care (anchored to the default forecast), starters and leavers, placement groups and in-house /
 *    external providers, all read off one set of simulated paths, with 80% and 95% bands, and the
 *    change 2023-2035 with its 80% band.
 */
import { loadDfePanelArea, loadSeed, projectSystem } from '../src/index.js'; // 'carecast' once installed
import { alignTable } from '../src/output/index.js'; // 'carecast/output'
import { formatReproductionTable, reproduceDerbyshirePlacementProjections } from '../src/reproduce/index.js'; // 'carecast/reproduce'
import { dfeSystemInput } from '../src/system/index.js'; // 'carecast/system'

// 1. The published projections, and the closest documented methods on the seed inputs.
const rep = reproduceDerbyshirePlacementProjections(loadSeed('derbyshire'));
console.log(formatReproductionTable(rep));
console.log('');

// 2. carecast: the whole system from one set of paths.
const sys = projectSystem(dfeSystemInput(loadDfePanelArea('Derbyshire')), { to: 2035, paths: 4000, seed: 2024 });
const i = sys.years.indexOf(2035);
const H = sys.years.length;
const fmt = (v: number): string => Math.round(v).toLocaleString('en-GB');
const signed = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(0)}%`;
const published = new Map(rep.figures.map((f) => [f.figure, f.published.percentChange]));

/** The type-7 quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  return sorted[lo] + (pos - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

/** Median and 80% band of the % change from the 2023 count to each path's 2035 count. */
function change(base: number, values: ArrayLike<number>): string {
  const c: number[] = [];
  for (let p = 0; p < values.length / H; p++) c.push((values[p * H + i] / base - 1) * 100);
  c.sort((a, b) => a - b);
  return `${signed(quantile(c, 0.5))} (${signed(quantile(c, 0.1))} to ${signed(quantile(c, 0.9))})`;
}

const rows: string[][] = [];
const add = (label: string, base: number, b: { point: readonly number[]; intervals: readonly { lower: readonly number[]; upper: readonly number[] }[] }, values: ArrayLike<number>, pub: string): void => {
  rows.push([label, fmt(base), pub, fmt(b.point[i]), `${fmt(b.intervals[0].lower[i])}-${fmt(b.intervals[0].upper[i])}`, `${fmt(b.intervals[1].lower[i])}-${fmt(b.intervals[1].upper[i])}`, change(base, values)]);
};
const count2023 = (dim: string, group: string): number => {
  const bd = sys.breakdowns[dim];
  const y = bd.history.find((h) => h.year === 2023);
  if (!y) throw new Error(`no ${dim} groups in 2023`);
  const parts = bd.derived[group] ?? [group];
  return parts.reduce((s, g) => s + y.counts[bd.groups.indexOf(g)], 0);
};
const stock2023 = (loadDfePanelArea('Derbyshire').childrenInCare.points.find((p) => p.year === 2023)?.value ?? Number.NaN) as number;
add('children in care', stock2023, sys.stock, sys.paths.stock.values, '(1373 by 2028)');
for (const [dim, group, figure, label] of [
  ['placement', 'fostering', 'fostering', 'fostering'],
  ['placement', 'residential', 'residential', 'residential (homes, secure, semi-independent)'],
  ['provider', 'in_house', 'internal', 'in-house (own LA)'],
  ['provider', 'external', 'privateVoluntary', 'external (private, voluntary, other LA)'],
] as const) {
  add(label, count2023(dim, group), sys.breakdowns[dim].byGroup[group], sys.breakdowns[dim].paths[group].values, `+${published.get(figure)}%`);
}
console.log(`carecast's system projection of Derbyshire (DfE data; ${sys.paths.stock.paths.toLocaleString('en-GB')} paths), 2023 to 2035:\n`);
console.log(alignTable(['', '2023', 'published change', 'carecast 2035', '80% band', '95% band', 'change (80% band)'], rows));
console.log(`\nStarters in 2035: ${fmt(sys.started?.point[i] ?? Number.NaN)}; leavers: ${fmt(sys.ceased?.point[i] ?? Number.NaN)} (medians of the paths).`);
console.log(`On every path the groups add up to the total (largest gap ${sys.breakdowns.placement.maxIncoherence.toExponential(1)} children) and stock = previous stock + starters - leavers.`);
console.log(`\n${sys.summary}`);
console.log('\nCaveats:');
for (const c of sys.caveats) console.log(`- ${c}`);
