/**
 * Build the bundled panel evidence `seeds/dfe-evidence.json` (which strategy forecast best across
 * every LA, by panelEvidence's rule) and the bundled conformal calibration `seeds/dfe-conformal.json`:
 * the scale-free rolling-origin errors of every method on every local authority of the DfE panel
 * (children looked after at 31 March 2011-2024, 2018 not published; every origin each method's
 * minimum training length allows, to 2023; steps 1-3; 2018 never scored), turned into pooled
 * conformal quantiles per step at 50, 80, 90 and 95%, with the coverage the methods' own analytic
 * bands had on the same forecasts. Both files' sizes and SHA-256 are recorded in seeds/MANIFEST.json.
 *
 * Data: the DfE panel bundled with carecast (seeds/dfe-panel.json, `npm run build:seeds`), or the
 * panel built from a folder of raw DfE files with --data DIR (or $CARECAST_DFE_DIR).
 *
 * Run: npx tsx benchmarks/make-dfe-calibration.ts [--data DIR]
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadDfePanel, panelSeries } from '../src/data/panel.js';
import type { SeriesInput } from '../src/data/yearValue.js';
import { backtestPanel } from '../src/evaluate/backtest.js';
import type { BacktestMethod, PanelBacktestResult } from '../src/evaluate/backtestTypes.js';
import { panelEvidence } from '../src/evaluate/panelEvidence.js';
import { calibrateConformal } from '../src/evaluate/conformalBacktest.js';
import { seedManifestWith } from '../scripts/seedManifest.js';

const args = process.argv.slice(2);
const i = args.indexOf('--data');
const DATA = i >= 0 ? args[i + 1] : process.env.CARECAST_DFE_DIR;
const panel = DATA ? loadDfePanel({ dir: DATA }) : loadDfePanel();
const series = new Map<string, SeriesInput>(panelSeries(panel));
const methods: BacktestMethod[] = ['auto', 'naive', 'drift', 'linear', 'loglinear', 'repeatGrowth', 'theta'];
const calibrations: Record<string, unknown> = {};
const analyticCoverage: Record<string, { level: number; coverage: number; n: number }[]> = {};
const backtests: PanelBacktestResult[] = [];
const firstOrigin: Record<string, number> = {};
for (const method of methods) {
  const bt = backtestPanel(series, { methods: [method], horizon: 3 });
  backtests.push(bt);
  calibrations[method] = calibrateConformal(bt, { method, levels: [50, 80, 90, 95] });
  const all = bt.pooled.find((p) => p.h === null)!;
  analyticCoverage[method] = all.intervals.map((iv) => ({ level: iv.level, coverage: iv.coverage, n: iv.n }));
  firstOrigin[method] = Math.min(...[...bt.byArea.values()].flatMap((a) => a.origins));
  console.log(`${method}: ${(calibrations[method] as { errors: number }).errors} errors from ${(calibrations[method] as { areas: number }).areas} LAs`);
}
const lastOrigin = Math.max(...backtests.flatMap((bt) => [...bt.byArea.values()].flatMap((a) => a.origins)));
const DATA_NOTE =
  'DfE "Children looked after in England including adoptions", children looked after at 31 March per local authority: SFR LA tables 2011-2017, the 2023 publication for 2019 and the 2024 publication for 2020-2024 (the carecast DfE panel, seeds/dfe-panel.json; Open Government Licence v3.0); 2018 is not published for local authorities';
const origins = `training from 2011; every origin each method's minimum training length allows, to ${lastOrigin} (${methods.map((m) => `${m} from ${firstOrigin[m]}`).join(', ')}); steps 1-3; 2018 never scored`;
const evidence = panelEvidence(backtests, { source: `DfE panel of LA children in care, ${panel.years[0]}-${panel.years[panel.years.length - 1]} (every origin, steps 1-3)` });
const evidenceText = `${JSON.stringify(
  {
    description:
      'Panel evidence (cross-learning): each method used for every LA, and per-series auto, scored on the same pooled rolling-origin forecasts of children in care at 31 March; the recommended strategy is the simplest within one standard error of the lowest mean absolute scaled error',
    data: DATA_NOTE,
    command: 'npx tsx benchmarks/make-dfe-calibration.ts',
    origins,
    evidence,
  },
  null,
  2,
)}\n`;
console.log(`evidence: ${evidence.method} (${evidence.scores.map((s) => `${s.strategy} ${s.mase.toFixed(3)} ± ${s.se.toFixed(3)}`).join(', ')}; ${evidence.forecasts} forecasts, ${evidence.areas} LAs)`);
const conformalText = `${JSON.stringify(
  {
    description:
      'Pooled conformal calibrations: scale-free rolling-origin errors (forecast - actual, divided by the training window\u2019s mean absolute yearly change) of each method on every LA of the DfE panel, children in care at 31 March',
    data: DATA_NOTE,
    command: 'npx tsx benchmarks/make-dfe-calibration.ts',
    origins,
    calibrations,
    analyticCoverage,
  },
  null,
  2,
)}\n`;
for (const m of methods) console.log(`${m} analytic coverage: ${analyticCoverage[m].map((c) => `${c.level}%: ${(100 * c.coverage).toFixed(1)}% (n ${c.n})`).join(', ')}`);
const SEEDS = fileURLToPath(new URL('../seeds/', import.meta.url));
const manifest = seedManifestWith(SEEDS, [
  ['dfe-evidence.json', evidenceText, 'Panel evidence from every DfE LA\u2019s backtest (loadDfeEvidence, --evidence dfe)'],
  ['dfe-conformal.json', conformalText, 'Pooled conformal calibrations from every DfE LA\u2019s backtest (loadDfeCalibration, --intervals conformal)'],
]);
writeFileSync(`${SEEDS}dfe-evidence.json`, evidenceText);
writeFileSync(`${SEEDS}dfe-conformal.json`, conformalText);
writeFileSync(`${SEEDS}MANIFEST.json`, manifest);
console.log(`wrote ${SEEDS}dfe-evidence.json, dfe-conformal.json, MANIFEST.json`);
