/**
 * Benchmark: what to do with an SSDA903 episode that is open at the end of
 * its return and missing from every later return (issue 14). carecast used to
 * close it on 1 April after the return (an exit); the LA data teams' demand
 * models (D2I's `cs-demand-model`, Social Finance's `ssda903` package) keep it
 * open. This script measures, on a folder of yearly returns:
 *
 * 1. **Are those children still in care?** The data are cut after the returns
 *    to 31 March 2019, 2020 and 2021 (the returns' years as the loader infers
 *    them). In each cut, the episodes the closing rule closes are listed
 *    (`open_closed` fixes), and their children are looked up in the full data
 *    read with the closing rule (so no child counts as in care only because
 *    the keep rule kept them): in care on 1 April after the cut, the day the
 *    closing rule ends them?
 * 2. **Backtest.** For each cut, `fitMultiState` (fit window: the last year
 *    before the cut, as in the issue's comparison; also the whole data at the
 *    cut, carecast's default) and `projectMultiState` 1 and 2 years ahead
 *    (to the last return at most: five forecasts), expected values and 1,000
 *    simulated paths (seed 1) for 80% and 95% band coverage, under each rule.
 *    The outcome is children in care at 31 March in the full data, read with
 *    each rule in turn (the rule decides the last years' outcome too: under
 *    the closing rule the 24 children missing from the last return have left).
 * 3. **One year on from the full data**, fit window 1 April 2019 to 31 March
 *    2022 (three years, as in the issue's side-by-side run with the peers, who
 *    project about 57): the expected total and the simulated median and 80%
 *    band at 31 March 2023, under each rule.
 * 4. **The whole-system projection** (`projectEpisodeSystem`) one year on
 *    under the keep rule, fitted on the last three years and on the whole
 *    data: the total and its parts (medians of the same paths).
 *
 * The synthetic returns (`shared/data/ssda903-synthetic`, data-to-insight's
 * samples) are for pipeline tests: their cohort shrinks every year, so these
 * are figures about the cleaning rule on those files, not accuracy claims.
 *
 * Usage: `npx tsx benchmarks/ssda903-open-episodes.ts --data DIR` (or
 * `$CARECAST_SSDA903_DIR`): a folder of yearly returns named like
 * `2017-episodes.csv`, `2017-header.csv`, `2017-uasc.csv`.
 *
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { childrenInCareOn } from '../src/data/episodes.js';
import { dayToIso, marchEnd } from '../src/data/calendar.js';
import { readSsda903, type OpenEpisodeRule, type Ssda903Data, type Ssda903ReturnText } from '../src/data/loaders/ssda903.js';
import type { SamplePaths } from '../src/models/types.js';
import { projectEpisodeSystem } from '../src/system/episodeSystem.js';
import { fitMultiState, projectMultiState } from '../src/system/multiState.js';
import { pathBands } from '../src/uncertainty/pathBands.js';

const argv = process.argv.slice(2);
const at = argv.indexOf('--data');
const DIR = at >= 0 ? argv[at + 1] : process.env.CARECAST_SSDA903_DIR;
if (!DIR) {
  console.error('give the folder of SSDA903 returns: --data DIR (or $CARECAST_SSDA903_DIR)');
  process.exit(2);
}
const PATHS = 1000;
const RULES: readonly OpenEpisodeRule[] = ['close', 'keep'];

/** The returns of the folder, grouped by the year in the file names, oldest first. */
function readFolder(dir: string): Ssda903ReturnText[] {
  const groups = new Map<string, Record<string, string>>();
  for (const f of readdirSync(dir).sort()) {
    const year = /(\d{4})/.exec(f)?.[1];
    const kind = /episodes/i.test(f) ? 'episodes' : /header/i.test(f) ? 'header' : /uasc/i.test(f) ? 'uasc' : undefined;
    if (!/\.csv$/i.test(f) || !year || !kind) continue;
    groups.set(year, { ...groups.get(year), [kind]: f });
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .filter(([, g]) => g.episodes)
    .map(([, g]) => ({
      episodes: readFileSync(join(dir, g.episodes), 'utf8'),
      ...(g.header ? { header: readFileSync(join(dir, g.header), 'utf8') } : {}),
      ...(g.uasc ? { uasc: readFileSync(join(dir, g.uasc), 'utf8') } : {}),
      sources: { episodes: g.episodes, header: g.header, uasc: g.uasc },
    }));
}

const returns = readFolder(DIR);
const fullBy = Object.fromEntries(RULES.map((r) => [r, readSsda903(returns, { openNotInLaterReturn: r })])) as Record<OpenEpisodeRule, Ssda903Data>;
const years = fullBy.keep.returns.map((r) => r.year);
const lastYear = years[years.length - 1];
const yearOfSource = new Map(fullBy.keep.returns.map((r) => [r.source, r.year]));
const cutAt = (y: number, rule: OpenEpisodeRule): Ssda903Data =>
  readSsda903(
    returns.filter((r) => (yearOfSource.get(r.sources?.episodes ?? '') ?? Infinity) <= y),
    { openNotInLaterReturn: rule },
  );
const stockOn = (data: Ssda903Data, year: number): number => childrenInCareOn(data, marchEnd(year)).length;
const cuts = [2019, 2020, 2021].filter((y) => y < lastYear && years.includes(y));

console.log('carecast: SSDA903 episodes open at the end of their return and missing from later returns');
console.log(`- Machine: ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${os.platform()}; node ${process.version}`);
console.log(`- Date: ${new Date().toISOString()}`);
console.log(`- Command: npx tsx benchmarks/ssda903-open-episodes.ts --data <folder> (${returns.length} returns: ${years.join(', ')})`);
console.log(`- Children in care at 31 March in the full data, closing rule: ${years.map((y) => `${y} ${stockOn(fullBy.close, y)}`).join(', ')}`);
console.log(`- The same, keep rule: ${years.map((y) => `${y} ${stockOn(fullBy.keep, y)}`).join(', ')}`);
const fullFixes = (rule: OpenEpisodeRule, kind: string): number => fullBy[rule].fixes.filter((f) => f.kind === kind).length;
console.log(`- Full data: ${fullFixes('close', 'open_closed')} episodes closed by the closing rule; ${fullFixes('keep', 'open_kept')} kept open by the keep rule`);

console.log('\n1. Children whose episodes the closing rule closes: still in care in the full data?\n');
console.log('| data cut after the return to 31 March | episodes closed | their children | in care on 1 April after, in the full data |');
console.log('|---|---:|---:|---:|');
for (const y of cuts) {
  const closed = cutAt(y, 'close').fixes.filter((f) => f.kind === 'open_closed');
  const kids = [...new Set(closed.map((f) => f.child))];
  const inCare = new Set(childrenInCareOn(fullBy.close, marchEnd(y) + 1).map((c) => c.child));
  console.log(`| ${y} | ${closed.length} | ${kids.length} | ${kids.filter((k) => inCare.has(k)).length} |`);
}

interface Row {
  readonly rule: OpenEpisodeRule;
  readonly window: string;
  readonly errors: Record<OpenEpisodeRule, number[]>;
  readonly covered: Record<OpenEpisodeRule, { c80: number; c95: number }>;
  readonly detail: string[];
}
const rows: Row[] = [];
for (const window of ['last year', 'whole cut'] as const) {
  for (const rule of RULES) {
    const row: Row = { rule, window, errors: { close: [], keep: [] }, covered: { close: { c80: 0, c95: 0 }, keep: { c80: 0, c95: 0 } }, detail: [] };
    for (const y of cuts) {
      const data = cutAt(y, rule);
      const model = fitMultiState(data, window === 'last year' ? { from: marchEnd(y - 1) } : {});
      const to = Math.min(y + 2, lastYear);
      const p = projectMultiState(model, { to, paths: PATHS, seed: 1 });
      const sim = p.simulation;
      if (!sim) throw new Error('no simulation');
      p.expected.total.forEach((v, h) => {
        const year = y + 1 + h;
        for (const truthRule of RULES) {
          const truth = stockOn(fullBy[truthRule], year);
          row.errors[truthRule].push(v - truth);
          const [i80, i95] = sim.total.intervals;
          if (truth >= i80.lower[h] && truth <= i80.upper[h]) row.covered[truthRule].c80++;
          if (truth >= i95.lower[h] && truth <= i95.upper[h]) row.covered[truthRule].c95++;
        }
        row.detail.push(`${y}->${year} ${v.toFixed(1)}`);
      });
    }
    rows.push(row);
  }
}
const mae = (e: readonly number[]): number => e.reduce((s, v) => s + Math.abs(v), 0) / e.length;
const bias = (e: readonly number[]): number => e.reduce((s, v) => s + v, 0) / e.length;
const n = rows[0].errors.close.length;
console.log(`\n2. Backtest: ${n} forecasts 1-2 years ahead (cuts ${cuts.join(', ')}), expected totals; coverage of the 80% / 95% bands of ${PATHS} paths\n`);
console.log('| rule in the forecast | fit window | outcome read with the closing rule: MAE, bias, 80% / 95% held | outcome read with the keep rule: MAE, bias, 80% / 95% held | forecasts (cut -> year: expected) |');
console.log('|---|---|---|---|---|');
for (const r of rows) {
  const cell = (t: OpenEpisodeRule): string => `${mae(r.errors[t]).toFixed(1)}, ${bias(r.errors[t]) >= 0 ? '+' : ''}${bias(r.errors[t]).toFixed(1)}, ${r.covered[t].c80}/${n} / ${r.covered[t].c95}/${n}`;
  console.log(`| ${r.rule} | ${r.window} | ${cell('close')} | ${cell('keep')} | ${r.detail.join('; ')} |`);
}
console.log(`Outcomes (children in care at 31 March): closing rule ${cuts.flatMap((y) => [y + 1, y + 2]).filter((v, i, a) => v <= lastYear && a.indexOf(v) === i).map((y) => `${y} ${stockOn(fullBy.close, y)}`).join(', ')}; keep rule ${[...new Set(cuts.flatMap((y) => [y + 1, y + 2]))].filter((y) => y <= lastYear).map((y) => `${y} ${stockOn(fullBy.keep, y)}`).join(', ')}`);

console.log(`\n3. One year on from the full data (fit ${dayToIso(marchEnd(lastYear - 3) + 1)} to ${dayToIso(marchEnd(lastYear))}; the peers project about 57)\n`);
console.log(`| rule | in care at 31 March ${lastYear} | starters a year (fit) | expected at 31 March ${lastYear + 1} | simulated median, 80% band |`);
console.log('|---|---:|---:|---:|---|');
for (const rule of RULES) {
  const model = fitMultiState(fullBy[rule], { from: marchEnd(lastYear - 3) });
  const p = projectMultiState(model, { to: lastYear + 1, paths: PATHS * 2, seed: 1 });
  const sim = p.simulation;
  if (!sim) throw new Error('no simulation');
  const [i80] = sim.total.intervals;
  console.log(`| ${rule} | ${model.initial.length} | ${(model.entries.perDay * 365.25).toFixed(1)} | ${p.expected.total[0].toFixed(1)} | ${sim.total.median[0]} (${i80.lower[0]}-${i80.upper[0]}) |`);
}

console.log(`\n4. The whole-system projection from the episodes (projectEpisodeSystem: age band x placement group x provider group, ${PATHS * 2} paths, seed 1), one year on, keep rule\n`);
console.log(`| fit window | children in care at 31 March ${lastYear + 1}: median (80% band) | starters | leavers | fostering | homes and secure | independent and supported | in-house | external |`);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [label, from] of [[`last three years (from ${dayToIso(marchEnd(lastYear - 3) + 1)})`, marchEnd(lastYear - 3)], ['the whole data (the default)', undefined]] as const) {
  const sys = projectEpisodeSystem(fullBy.keep, { to: lastYear + 1, paths: PATHS * 2, seed: 1, ...(from !== undefined ? { from } : {}) });
  const cell = (p: SamplePaths): string => {
    const b = pathBands(p, [80]);
    return `${b.median[0]} (${b.intervals[0].lower[0]}-${b.intervals[0].upper[0]})`;
  };
  const med = (p: SamplePaths): string => String(pathBands(p, [80]).median[0]);
  console.log(`| ${label} | ${cell(sys.total)} | ${med(sys.started)} | ${med(sys.ceased)} | ${med(sys.placement.fostering)} | ${med(sys.placement.homes_secure)} | ${med(sys.placement.independent_supported)} | ${med(sys.provider.in_house)} | ${med(sys.provider.external)} |`);
}
