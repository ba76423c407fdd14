/**
 * Benchmark: the open-episode rule (issue 14) judged on known truth.
 *
 * Evaluation rule, fixed before the first run:
 *
 * - **Data.** `generateSyntheticEpisodes` with its default rates,
 *   `entriesPerDay` 0.3 (about 170 children in care), returns to 31 March
 *   2015-2023 (nine returns, ten-year burn-in), seeds 1-`--seeds` (default 10).
 *   Two ways of writing the returns from the same history (same seed):
 *   `complete` (every episode open in a return's year is in it) and
 *   two ways LAs' files miss children (`omitFromNextReturn` 0.2: a child in
 *   care at a year end is missing from the next return with probability 0.2,
 *   as about 1 in 5 are in the `cs-demand-model` samples; the value is that
 *   count, not tuned): `missing at random` (any such child, including one
 *   who leaves care in that year and so is never seen again) and `missing
 *   while in care` (`omitOnlyStaying`: only children still in care at the
 *   next 31 March, so every child missing is still looked after, as in the
 *   samples, where each such child is in a later return).
 * - **Forecasts.** Cut after the returns to 31 March 2020, 2021 and 2022 (the
 *   returns after the cut are not given). Read the cut with each rule
 *   (`openNotInLaterReturn` `'keep'`, the default and the peers' rule, and
 *   `'close'`); `fitMultiState` with two fit windows, the last year before
 *   the cut (as in the comparison) and the whole data at the cut
 *   (carecast's default); `projectMultiState` 1 and 2 years ahead, to 2023
 *   at most (five forecasts per seed: 2020->2021, 2020->2022, 2021->2022,
 *   2021->2023, 2022->2023), expected totals and `--paths` (default 500)
 *   simulated paths, seed 1.
 * - **Truth.** Children in care at the target 31 March in the generated
 *   history (`truth.inCare`), not read from any return.
 * - **Scores**, over all seeds and forecasts: bias (mean of expected minus
 *   truth), MAE, and the share of forecasts whose truth lies in the
 *   simulated 80% and 95% bands; also the error of the stock at the cut
 *   itself (children in care at the cut's 31 March as read, minus truth).
 *   No result is compared with a target; both rules are reported.
 *
 * Usage: `npx tsx benchmarks/ssda903-known-truth.ts [--seeds 10] [--paths 500]`
 *
 * @module
 */
import os from 'node:os';
import { childrenInCareOn } from '../src/data/episodes.js';
import { marchEnd } from '../src/data/calendar.js';
import { readSsda903, type OpenEpisodeRule } from '../src/data/loaders/ssda903.js';
import { generateSyntheticEpisodes } from '../src/data/syntheticEpisodes.js';
import { createRng } from '../src/math/rng.js';
import { fitMultiState, projectMultiState } from '../src/system/multiState.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SEEDS = arg('seeds', 10);
const PATHS = arg('paths', 500);
const FIRST = 2015;
const YEARS = 9;
const LAST = FIRST + YEARS - 1;
const CUTS = [2020, 2021, 2022];
const MODES = [
  { label: 'complete', omit: 0, staying: false },
  { label: 'missing at random (omitFromNextReturn 0.2)', omit: 0.2, staying: false },
  { label: 'missing while in care (omitFromNextReturn 0.2, omitOnlyStaying)', omit: 0.2, staying: true },
] as const;
const RULES: readonly OpenEpisodeRule[] = ['keep', 'close'];
const WINDOWS = ['last year', 'whole cut'] as const;

interface Acc {
  errors: number[];
  c80: number;
  c95: number;
  stockErr: number[];
  affected: number[];
}
const key = (m: string, r: string, w: string): string => `${m}|${r}|${w}`;
const acc = new Map<string, Acc>();
const get = (k: string): Acc => {
  let a = acc.get(k);
  if (!a) acc.set(k, (a = { errors: [], c80: 0, c95: 0, stockErr: [], affected: [] }));
  return a;
};

const t0 = Date.now();
for (let seed = 1; seed <= SEEDS; seed++) {
  for (const mode of MODES) {
    const syn = generateSyntheticEpisodes({ firstYear: FIRST, years: YEARS, entriesPerDay: 0.3, omitFromNextReturn: mode.omit, omitOnlyStaying: mode.staying }, createRng(seed));
    const truth = (year: number): number => syn.truth.inCare[year - FIRST];
    for (const cut of CUTS) {
      const returns = syn.returns.filter((r) => (r.year ?? Infinity) <= cut);
      for (const rule of RULES) {
        const data = readSsda903(returns, { openNotInLaterReturn: rule });
        const affected = data.fixes.filter((f) => f.kind === 'open_kept' || f.kind === 'open_closed').length;
        const stockErr = childrenInCareOn(data, marchEnd(cut)).length - truth(cut);
        for (const window of WINDOWS) {
          const a = get(key(mode.label, rule, window));
          a.stockErr.push(stockErr);
          a.affected.push(affected);
          const model = fitMultiState(data, window === 'last year' ? { from: marchEnd(cut - 1) } : {});
          const p = projectMultiState(model, { to: Math.min(cut + 2, LAST), paths: PATHS, seed: 1 });
          const sim = p.simulation;
          if (!sim) throw new Error('no simulation');
          const [i80, i95] = sim.total.intervals;
          p.expected.total.forEach((v, h) => {
            const t = truth(cut + 1 + h);
            a.errors.push(v - t);
            if (t >= i80.lower[h] && t <= i80.upper[h]) a.c80++;
            if (t >= i95.lower[h] && t <= i95.upper[h]) a.c95++;
          });
        }
      }
    }
  }
}

const mean = (v: readonly number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
const sgn = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;
console.log('carecast: the open-episode rule on known truth (synthetic returns, issue 14)');
console.log(`- Machine: ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${os.platform()}; node ${process.version}; load average ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}`);
console.log(`- Date: ${new Date().toISOString()}; ${((Date.now() - t0) / 1000).toFixed(0)} s`);
console.log(`- Command: npx tsx benchmarks/ssda903-known-truth.ts --seeds ${SEEDS} --paths ${PATHS}`);
console.log(`- Returns ${FIRST}-${LAST}, entriesPerDay 0.3, seeds 1-${SEEDS}; cuts ${CUTS.join(', ')}; ${SEEDS * 5} forecasts 1-2 years ahead per row\n`);
console.log('| returns | rule | fit window | episodes the rule applies to, per cut | stock at the cut, read minus true | bias | MAE | 80% band held | 95% band held |');
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|');
for (const mode of MODES) {
  for (const rule of RULES) {
    for (const window of WINDOWS) {
      const a = get(key(mode.label, rule, window));
      const n = a.errors.length;
      console.log(`| ${mode.label} | ${rule} | ${window} | ${mean(a.affected).toFixed(1)} | ${sgn(mean(a.stockErr))} | ${sgn(mean(a.errors))} | ${mean(a.errors.map(Math.abs)).toFixed(1)} | ${((100 * a.c80) / n).toFixed(0)}% | ${((100 * a.c95) / n).toFixed(0)}% |`);
    }
  }
}
