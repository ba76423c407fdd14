/**
 * Build the bundled panel evidence `seeds/dfe-evidence.json` (which strategy forecast best across
 * every LA, by panelEvidence's rule) and the bundled conformal calibrations `seeds/dfe-conformal.json`,
 * per measure, from every local authority of the DfE panel:
 *
 * - measures: children looked after at 31 March (2011-2024, 2018 not published for LAs), children
 *   starting and ceasing to be looked after in the year (2019-2024);
 * - methods: `auto` and every method of the registry (`METHOD_NAMES`), plus the cross-learned (global)
 *   methods pre-registered for issue 12 (`GLOBAL_METHOD_NAMES`: `panelGrowth`, `panelAR`,
 *   `panelGrowthRate`, `panelARRate`), each fitted on the panel as known at each origin by
 *   `backtestPanel`, the rate methods with every LA's child population (DfE's published 0-17
 *   population moved forward by the ONS 2018-based projection, `dfePanelPopulations`; LAs without one
 *   are left out of them); a method that the panel is too short for is skipped with a message (and
 *   listed in the file);
 * - calibrations: the scale-free rolling-origin errors of each method (every origin its minimum training
 *   length allows, to 2023; 2018 never scored), pooled conformal quantiles per step 1-10 at 50, 80, 90 and
 *   95%, each step with at least 39 errors calibrated and the later ones extrapolated by the pre-registered
 *   power law (docs/preregistration/issue-12-global-models.md, "Bands"); with the coverage the methods'
 *   own analytic bands had on the same forecasts 1-3 years ahead;
 * - evidence: panelEvidence over steps 1-3 of the same backtests (auto backtested with a 3-year horizon,
 *   so it chooses as for a 3-year forecast).
 *
 * Both files' sizes and SHA-256 are recorded in seeds/MANIFEST.json.
 *
 * Data: the DfE panel bundled with carecast (seeds/dfe-panel.json, `npm run build:seeds`), or the
 * panel built from a folder of raw DfE files with --data DIR (or $CARECAST_DFE_DIR).
 *
 * Run: npx tsx benchmarks/make-dfe-calibration.ts [--data DIR]
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CarecastInputError } from '../src/data/errors.js';
import { dfePanelPopulations } from '../src/data/ons/panelPopulation.js';
import { loadDfePanel, panelSeries, type DfePanelSeries } from '../src/data/panel.js';
import type { AnnualSeries } from '../src/data/schemas.js';
import { backtestPanel } from '../src/evaluate/backtest.js';
import type { BacktestMethod, PanelBacktestResult } from '../src/evaluate/backtestTypes.js';
import { calibrateConformal } from '../src/evaluate/conformalBacktest.js';
import { panelEvidence } from '../src/evaluate/panelEvidence.js';
import { isAnyMethodName } from '../src/models/registry.js';
import { GLOBAL_METHOD_NAMES, METHOD_NAMES } from '../src/models/types.js';
import type { ConformalCalibration } from '../src/uncertainty/conformal.js';
import { seedManifestWith } from '../scripts/seedManifest.js';

const args = process.argv.slice(2);
const i = args.indexOf('--data');
const DATA = i >= 0 ? args[i + 1] : process.env.CARECAST_DFE_DIR;
const panel = DATA ? loadDfePanel({ dir: DATA }) : loadDfePanel();

/** The longest step calibrated (later steps are extrapolated). */
const MAX_STEP = 10;
/** The steps the evidence is scored on (panelEvidence's rule, pre-registered). */
const EVIDENCE_STEPS = 3;
const LEVELS = [50, 80, 90, 95];
const METHODS: string[] = ['auto', ...METHOD_NAMES, ...GLOBAL_METHOD_NAMES];
/** Every LA's child population, for the rate methods (by LA name, as the panel's series). */
const populations = dfePanelPopulations(panel);
const RATE_METHODS = new Set(['panelGrowthRate', 'panelARRate']);

const MEASURES: readonly { measure: string; words: string; pick: (s: DfePanelSeries) => AnnualSeries | undefined; what: string }[] = [
  { measure: 'children_in_care', words: 'children in care', pick: (s) => s.childrenInCare, what: 'children looked after at 31 March' },
  { measure: 'started', words: 'children starting care', pick: (s) => s.started, what: 'children who started to be looked after in the year ending 31 March' },
  { measure: 'ceased', words: 'children leaving care', pick: (s) => s.ceased, what: 'children who ceased to be looked after in the year ending 31 March' },
];

const SOURCES =
  'DfE "Children looked after in England including adoptions", per local authority: SFR LA tables 2011-2017, the 2023 publication for 2019 and the 2024 publication for 2020-2024 (the carecast DfE panel, seeds/dfe-panel.json; Open Government Licence v3.0); 2018 is not published for local authorities';

type Coverage = { level: number; coverage: number; n: number }[];
const calibrationFile: Record<string, { data: string; origins: string; calibrations: Record<string, ConformalCalibration>; analyticCoverage: Record<string, Coverage>; skipped: string[] }> = {};
const evidenceFile: Record<string, { data: string; origins: string; evidence: unknown }> = {};

/** Backtest one method on the panel, or say why it cannot be. */
function tryBacktest(series: Map<string, AnnualSeries>, method: string, horizon: number): PanelBacktestResult | string {
  if (method !== 'auto' && !isAnyMethodName(method)) return `${method}: not a carecast method`;
  try {
    // global methods are fitted on the panel as known at each origin; rate methods get each LA's population
    const bt = backtestPanel(series, { methods: [method as BacktestMethod], horizon, ...(RATE_METHODS.has(method) ? { populations: populations.populations } : {}) });
    const scored = [...bt.byArea.values()].reduce((s, r) => s + r.forecasts.filter((f) => f.scaledError !== null).length, 0);
    if (scored === 0) return `${method}: no scored forecast (${bt.skipped[0]?.reason ?? 'every area skipped'})`;
    return bt;
  } catch (e) {
    if (e instanceof CarecastInputError || e instanceof RangeError) return `${method}: ${e instanceof CarecastInputError ? e.problems.map((p) => p.message).join('; ') : e.message}`;
    throw e;
  }
}

for (const { measure, words, pick, what } of MEASURES) {
  const series = panelSeries(panel, pick);
  const years = [...new Set([...series.values()].flatMap((s) => s.points.filter((p) => p.value !== null).map((p) => p.year)))].sort((a, b) => a - b);
  const span = `${years[0]}-${years[years.length - 1]}`;
  const calibrations: Record<string, ConformalCalibration> = {};
  const analyticCoverage: Record<string, Coverage> = {};
  const skipped: string[] = [];
  const forEvidence: PanelBacktestResult[] = [];
  const firstOrigin: Record<string, number> = {};
  let lastOrigin = 0;
  for (const method of METHODS) {
    const bt = tryBacktest(series, method, MAX_STEP);
    if (typeof bt === 'string') {
      skipped.push(bt);
      console.log(`${measure}: skipped ${bt}`);
      continue;
    }
    const rows = [...bt.byArea.values()].flatMap((r) => r.forecasts);
    const maxH = Math.max(...rows.filter((f) => f.scaledError !== null).map((f) => f.h));
    const cal = calibrateConformal({ ...bt, horizon: maxH }, { method: method as BacktestMethod, levels: LEVELS });
    calibrations[method] = cal;
    const near = bt.pooled.filter((p) => p.h !== null && p.h <= EVIDENCE_STEPS);
    analyticCoverage[method] = bt.levels.map((level, j) => {
      const n = near.reduce((s, p) => s + p.intervals[j].n, 0);
      const inside = near.reduce((s, p) => s + p.intervals[j].coverage * p.intervals[j].n, 0);
      return { level, coverage: inside / n, n };
    });
    firstOrigin[method] = Math.min(...[...bt.byArea.values()].flatMap((a) => a.origins));
    lastOrigin = Math.max(lastOrigin, ...[...bt.byArea.values()].flatMap((a) => a.origins));
    // the evidence is scored 1-3 steps ahead; auto chooses as it would for a 3-year forecast
    forEvidence.push(method === 'auto' ? (tryBacktest(series, 'auto', EVIDENCE_STEPS) as PanelBacktestResult) : bt);
    const x = cal.extrapolation;
    console.log(
      `${measure} ${method}: ${cal.errors} errors from ${cal.areas} LAs, steps ${cal.steps.map((s) => s.n).join('/')}; calibrated 1-${x.calibratedSteps}; ` +
        `k ${x.exponents.map((e) => `${e.level}%: ${e.upper.toFixed(3)} (fitted ${e.fittedUpper.toFixed(3)})`).join(', ')}; ` +
        `analytic coverage 1-3 ahead ${analyticCoverage[method].map((c) => `${c.level}%: ${(100 * c.coverage).toFixed(1)}%`).join(', ')}`,
    );
  }
  const origins =
    `training from ${years[0]}; every origin each method's minimum training length allows, to ${lastOrigin} (${Object.entries(firstOrigin)
      .map(([m, o]) => `${m} from ${o}`)
      .join(', ')}); ` + `calibrations: steps 1-${MAX_STEP} where there are errors; evidence and analytic coverage: steps 1-${EVIDENCE_STEPS}; 2018 never scored`;
  const data = `${SOURCES}. Measure: ${what} (${measure}), ${span}.`;
  calibrationFile[measure] = { data, origins, calibrations, analyticCoverage, skipped };
  const evidence = panelEvidence(forEvidence, { maxStep: EVIDENCE_STEPS, source: `DfE LAs, ${words} ${span}` });
  evidenceFile[measure] = { data, origins, evidence };
  console.log(`${measure} evidence: ${evidence.method} (${evidence.scores.map((s) => `${s.strategy} ${s.mase.toFixed(3)} ± ${s.se.toFixed(3)}`).join(', ')}; ${evidence.forecasts} forecasts, ${evidence.areas} LAs)`);
}

const COMMAND = 'npx tsx benchmarks/make-dfe-calibration.ts';
const evidenceText = `${JSON.stringify(
  {
    description:
      'Panel evidence (cross-learning), per measure: each method used for every LA (the global methods fitted on the panel as known at each origin), and per-series auto, scored on the same pooled rolling-origin forecasts 1-3 years ahead; the recommended strategy is the simplest within one standard error of the lowest mean absolute scaled error, in the pre-registered order of simplicity. forecast() follows it by default.',
    command: COMMAND,
    measures: evidenceFile,
  },
  null,
  2,
)}\n`;
const conformalText = `${JSON.stringify(
  {
    description:
      'Pooled conformal calibrations, per measure and method: scale-free rolling-origin errors (forecast - actual, divided by the training window\u2019s mean absolute yearly change) of each method on every LA of the DfE panel (the global methods fitted on the panel as known at each origin); steps with at least 39 errors are calibrated, later ones extrapolated as q_h = q_H (h/H)^k (k fitted per level, at least 0.5); each step keeps its distribution of signed offsets (offsetQuantiles) for the CRPS. forecast() uses them for its bands by default.',
    command: COMMAND,
    measures: calibrationFile,
  },
  null,
  2,
)}\n`;
const SEEDS = fileURLToPath(new URL('../seeds/', import.meta.url));
const manifest = seedManifestWith(SEEDS, [
  ['dfe-evidence.json', evidenceText, 'Panel evidence from every DfE LA\u2019s backtest, per measure (loadDfeEvidence; the default strategy of forecast())'],
  ['dfe-conformal.json', conformalText, 'Pooled conformal calibrations from every DfE LA\u2019s backtest, per measure and method (loadDfeCalibration; the default bands of forecast())'],
]);
writeFileSync(`${SEEDS}dfe-evidence.json`, evidenceText);
writeFileSync(`${SEEDS}dfe-conformal.json`, conformalText);
writeFileSync(`${SEEDS}MANIFEST.json`, manifest);
console.log(`wrote ${SEEDS}dfe-evidence.json, dfe-conformal.json, MANIFEST.json`);
