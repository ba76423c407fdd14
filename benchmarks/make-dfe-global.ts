/**
 * Build `seeds/dfe-global.json`: the global (cross-learned) methods fitted on every local authority
 * of the bundled DfE panel at its latest origin (2024), for children looked after at 31 March
 * (2011-2024, 2018 filled by straight-line interpolation), starters and leavers (2019-2024); the rate
 * methods on the rate per 10,000 children (DfE's published 0-17 populations, the ONS 2018-based
 * projection matched by ONS code). `forecast(series, { method: 'panelGrowth' })` with no panel
 * borrows these (`loadDfeGlobal`). The file's size and SHA-256 are recorded in seeds/MANIFEST.json.
 *
 * The rules are fixed in docs/preregistration/issue-12-global-models.md; this script fits them,
 * it does not score them.
 *
 * Data: the DfE panel bundled with carecast (seeds/dfe-panel.json, `npm run build:seeds`).
 *
 * Run: npx tsx benchmarks/make-dfe-global.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dfePanelPopulations } from '../src/data/ons/panelPopulation.js';
import { loadDfePanel, panelSeries } from '../src/data/panel.js';
import type { DfePanelSeries } from '../src/data/dfe/panelTypes.js';
import type { AnnualSeries } from '../src/data/schemas.js';
import { fitGlobal } from '../src/models/global/fitGlobal.js';
import type { GlobalFit } from '../src/models/global/shared.js';
import { DFE_GLOBAL_FILE } from '../src/models/global/dfeGlobal.js';
import { GLOBAL_METHOD_NAMES } from '../src/models/types.js';
import { seedManifestWith } from '../scripts/seedManifest.js';

const panel = loadDfePanel();
const origin = panel.years[panel.years.length - 1];
const { populations, missing } = dfePanelPopulations(panel);
const measures: [string, (s: DfePanelSeries) => AnnualSeries | undefined][] = [
  ['children_in_care', (s) => s.childrenInCare],
  ['started', (s) => s.started],
  ['ceased', (s) => s.ceased],
];
const fits: Record<string, Record<string, GlobalFit>> = {};
for (const [measure, pick] of measures) {
  const series = panelSeries(panel, pick);
  const years = [...series.values()].flatMap((s) => s.points.filter((p) => p.value !== null).map((p) => p.year));
  const first = Math.min(...years);
  fits[measure] = {};
  for (const method of GLOBAL_METHOD_NAMES) {
    const t0 = performance.now();
    const fit = fitGlobal(method, series, {
      origin,
      population: populations,
      description: `every local authority of the DfE panel (${series.size} series, ${measure.replace(/_/g, ' ')} ${first}-${origin}${measure === 'children_in_care' ? ', 2018 filled' : ''})`,
    });
    const ms = performance.now() - t0;
    fits[measure][method] = fit;
    const p = fit.growth
      ? `w ${fit.growth.w}, phi ${fit.growth.phi}, G ${fit.growth.panelGrowth.toFixed(4)}, ${fit.growth.forecasts} inner forecasts`
      : `fitted ${fit.ar?.fitted}, a ${fit.ar?.intercept.toFixed(4)}, b1 ${fit.ar?.b1.toFixed(3)}, b2 ${fit.ar?.b2.toFixed(3)}, c ${fit.ar?.c?.toFixed(3)}, ${fit.ar?.rows} rows`;
    console.log(`${measure} ${method}: ${p}; band sd ${fit.bands.sd.map((v) => v.toFixed(2)).join(' ')} (k ${fit.bands.exponent.toFixed(2)}); ${fit.panel.eligible}/${fit.panel.atOrigin} eligible; ${ms.toFixed(0)} ms`);
  }
}
const text = `${JSON.stringify(
  {
    description: `The global methods fitted on every local authority of the DfE panel at ${origin}`,
    data:
      'DfE "Children looked after in England including adoptions" (the carecast DfE panel, seeds/dfe-panel.json; Open Government Licence v3.0); rates per 10,000 children from DfE\u2019s published 0-17 populations and the ONS 2018-based subnational population projection, principal (seeds/ons-population.json; Open Government Licence v3.0)' +
      `; no projection for ${missing.map((m) => m.area).join(', ')}`,
    command: 'npx tsx benchmarks/make-dfe-global.ts',
    origin,
    fits,
  },
  null,
  2,
)}\n`;
const SEEDS = fileURLToPath(new URL('../seeds/', import.meta.url));
const manifest = seedManifestWith(SEEDS, [[DFE_GLOBAL_FILE, text, 'Global methods fitted on every DfE LA at 2024 (loadDfeGlobal; what forecast() borrows for a series outside any panel)']]);
writeFileSync(`${SEEDS}${DFE_GLOBAL_FILE}`, text);
writeFileSync(`${SEEDS}MANIFEST.json`, manifest);
console.log(`wrote ${SEEDS}${DFE_GLOBAL_FILE} (${text.length} bytes) and MANIFEST.json`);
