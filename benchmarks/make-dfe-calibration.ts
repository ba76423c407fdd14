/**
 * Build the bundled panel evidence `seeds/dfe-evidence.json` (which strategy forecast best across
 * every LA, by panelEvidence's rule) and the bundled conformal calibration `seeds/dfe-conformal.json`: the scale-free rolling-origin
 * errors of every method on every LA of the DfE panel (SFR 2011-2017 + EES 2019-2021 totals; every
 * origin each method's minimum training length allows, to 2020; steps 1-3; 2018 never scored), turned
 * into pooled conformal quantiles per step at 50, 80, 90 and 95%, with the coverage the methods' own
 * analytic bands had on the same forecasts. On this panel, such pooled bands held 79.7% / 96.8% of later outcomes at 80% / 95% when
 * calibrated only on errors known at the time (benchmarks/RESULTS.md, "Accuracy on the DfE panel").
 *
 * Run: npx tsx benchmarks/make-dfe-calibration.ts [--data DIR]
 */
import { writeFileSync } from 'node:fs';
import { loadDfePanel } from '../src/data/panel.js';
import type { SeriesInput } from '../src/data/yearValue.js';
import { backtestPanel } from '../src/evaluate/backtest.js';
import type { BacktestMethod, PanelBacktestResult } from '../src/evaluate/backtestTypes.js';
import { panelEvidence } from '../src/evaluate/panelEvidence.js';
import { calibrateConformal } from '../src/evaluate/conformalBacktest.js';

const args = process.argv.slice(2);
const i = args.indexOf('--data');
const DATA = (i >= 0 ? args[i + 1] : process.env.CARECAST_DFE_DIR ?? new URL('../../shared/data/dfe/', import.meta.url).pathname).replace(/\/?$/, '/');
const panel = loadDfePanel({ sfrDir: `${DATA}sfr_la_cla_2011_2017`, eesFile: `${DATA}cla_number_and_rate_per_10k_children_2019_2021.csv` });
const series = new Map<string, SeriesInput>([...panel.series].map(([name, s]) => [name, s.childrenInCare]));
const methods: BacktestMethod[] = ['auto', 'naive', 'drift', 'linear', 'loglinear', 'repeatGrowth', 'theta'];
const calibrations: Record<string, unknown> = {};
const analyticCoverage: Record<string, { level: number; coverage: number; n: number }[]> = {};
const backtests: PanelBacktestResult[] = [];
for (const method of methods) {
  const bt = backtestPanel(series, { methods: [method], horizon: 3 });
  backtests.push(bt);
  calibrations[method] = calibrateConformal(bt, { method, levels: [50, 80, 90, 95] });
  const all = bt.pooled.find((p) => p.h === null)!;
  analyticCoverage[method] = all.intervals.map((iv) => ({ level: iv.level, coverage: iv.coverage, n: iv.n }));
  console.log(`${method}: ${(calibrations[method] as { errors: number }).errors} errors from ${(calibrations[method] as { areas: number }).areas} LAs`);
}
const DATA_NOTE = 'DfE "Children looked after in England": SFR LA tables 2011-2017 and the EES number-and-rate file 2019-2021 (Open Government Licence v3.0); 2018 is not in the set';
const evidence = panelEvidence(backtests, { source: 'DfE panel of LA children in care, 2011-2021 (every origin, steps 1-3)' });
const evidenceFile = new URL('../seeds/dfe-evidence.json', import.meta.url);
writeFileSync(
  evidenceFile,
  `${JSON.stringify(
    {
      description:
        'Panel evidence (cross-learning): each method used for every LA, and per-series auto, scored on the same pooled rolling-origin forecasts of children in care at 31 March; the recommended strategy is the simplest within one standard error of the lowest mean absolute scaled error',
      data: DATA_NOTE,
      command: 'npx tsx benchmarks/make-dfe-calibration.ts',
      evidence,
    },
    null,
    2,
  )}\n`,
);
console.log(`evidence: ${evidence.method} (${evidence.scores.map((s) => `${s.strategy} ${s.mase.toFixed(3)}`).join(', ')}); wrote ${evidenceFile.pathname}`);
const file = new URL('../seeds/dfe-conformal.json', import.meta.url);
writeFileSync(
  file,
  `${JSON.stringify(
    {
      description:
        'Pooled conformal calibrations: scale-free rolling-origin errors (forecast - actual, divided by the training window\u2019s mean absolute yearly change) of each method on every LA of the DfE panel, children in care at 31 March',
      data: DATA_NOTE,
      command: 'npx tsx benchmarks/make-dfe-calibration.ts',
      origins: "training from 2011; every origin each method's minimum training length allows, to 2020 (naive and auto from 2012, drift, linear and loglinear from 2013, repeatGrowth from 2016, theta from 2017); steps 1-3; 2018 never scored",
      calibrations,
      analyticCoverage,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${file.pathname}`);
