/**
 * Build `seeds/dfe-system.json`: the system model's dynamics fitted on every local authority of
 * the bundled DfE panel at its latest year (2024), as pre-registered in
 * docs/preregistration/issue-13-system-model.md (sections 2-4 and the decisions made during
 * implementation):
 *
 * - flows: the entry rate per 10,000 children (DfE's published 0-17 population; LAs without one
 *   use log starters) and the logit exit rate, 2019-2024 (2018's stock filled), pooled mean
 *   reversion and the shocks' covariance;
 * - shares: placement (fostering; children's homes and secure; independent/semi-independent and
 *   supported; other; EES 2020-2024), provider (in-house; external; other; SFR 2011-2017 and EES
 *   2020-2024) and age (five bands, SFR and EES), each with S0, S1 and S2 fitted and chosen by their
 *   1-3 year share errors as known at 2024.
 *
 * `projectSystem` uses this fit by default; a dataset outside the panel borrows it. The file's
 * size and SHA-256 are recorded in seeds/MANIFEST.json.
 *
 * Run: npm run build:system (npx tsx benchmarks/make-dfe-system.ts) [--check]. It reads only the
 * bundled panel (seeds/dfe-panel.json) and populations (seeds/ons-population.json), never ../shared,
 * and the fit is deterministic: with `--check` nothing is written and the script fails if the bundled
 * file differs from what it builds.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadDfePanel } from '../src/data/panel.js';
import { DFE_SYSTEM_FILE, dfeSystemFit } from '../src/system/dfeSystem.js';
import { seedManifestWith } from '../scripts/seedManifest.js';

const panel = loadDfePanel();
const origin = panel.years[panel.years.length - 1];
const t0 = performance.now();
const fit = dfeSystemFit(panel);
const ms = performance.now() - t0;
const f = fit.flows;
if (f) {
  console.log(
    `flows: beta entry ${f.beta.entry.toFixed(4)} (raw ${f.betaRaw.entry.toFixed(4)}), exit ${f.beta.exit.toFixed(4)} (raw ${f.betaRaw.exit.toFixed(4)}); ` +
      `sd entry ${f.sd.entry.toFixed(4)}, exit ${f.sd.exit.toFixed(4)}; correlation ${f.correlation.toFixed(4)}; rows ${f.rows.entry}/${f.rows.exit}/${f.rows.paired}; ` +
      `panel mean entry ${f.panelMean.entry.toFixed(4)} (${(Math.exp(f.panelMean.entry)).toFixed(1)} per 10,000), exit ${f.panelMean.exit.toFixed(4)}; ${f.areas} LAs`,
  );
}
for (const [dim, d] of Object.entries(fit.dimensions)) {
  console.log(
    `${dim}: ${d.model} (${d.scores.map((s) => `${s.model} ${s.mae === null ? 'n/a' : `${s.mae.toFixed(3)} ± ${(s.se ?? 0).toFixed(3)}`}`).join(', ')}; ${d.forecasts} forecasts); ` +
      `S1 beta ${d.beta ? d.beta.map((b) => b.toFixed(3)).join('/') : 'n/a'}; S2 w ${d.w}, phi ${d.phi}; lambda ${d.lambda.toFixed(3)}; ${d.rows} residual rows, ${d.areas} LAs`,
  );
}
console.log(`fitted in ${ms.toFixed(0)} ms`);
const text = `${JSON.stringify(
  {
    description: `The system model's dynamics fitted on every local authority of the DfE panel at ${origin} (docs/preregistration/issue-13-system-model.md)`,
    data:
      'DfE "Children looked after in England including adoptions" (the carecast DfE panel, seeds/dfe-panel.json; Open Government Licence v3.0): children looked after at 31 March, starters and leavers, placement, place provider and age breakdowns; DfE\u2019s published 0-17 populations',
    command: 'npm run build:system (npx tsx benchmarks/make-dfe-system.ts)',
    fit,
  },
  null,
  2,
)}\n`;
const SEEDS = fileURLToPath(new URL('../seeds/', import.meta.url));
if (process.argv.includes('--check')) {
  const same = readFileSync(`${SEEDS}${DFE_SYSTEM_FILE}`, 'utf8') === text;
  console.log(same ? `seeds/${DFE_SYSTEM_FILE} is what this script builds` : `seeds/${DFE_SYSTEM_FILE} differs from what this script builds: run npm run build:system`);
  process.exit(same ? 0 : 1);
}
const manifest = seedManifestWith(SEEDS, [[DFE_SYSTEM_FILE, text, 'The system model\u2019s dynamics fitted on every DfE LA at 2024 (loadDfeSystem; what projectSystem uses by default)']]);
writeFileSync(`${SEEDS}${DFE_SYSTEM_FILE}`, text);
writeFileSync(`${SEEDS}MANIFEST.json`, manifest);
console.log(`wrote ${SEEDS}${DFE_SYSTEM_FILE} (${text.length} bytes) and MANIFEST.json`);
