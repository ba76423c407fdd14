/**
 * Build the bundled data in `seeds/` from the raw files, with the library's
 * own loaders:
 *
 * - `seeds/dfe-panel.json`: the DfE panel as `panelFromCells` derives it
 *   from the published cells (SFR tables 2011-2017; EES number-and-rate
 *   2019 from the 2023 publication and 2020-2024 from the 2024
 *   publication; the long characteristics, starters and leavers files
 *   2020-2024; the England time series 1994-2024), so that loading it
 *   derives nothing;
 * - `seeds/ons-population.json`: the ONS 2018-based projection of persons
 *   aged 0-17 (principal, low and high population variants) and the
 *   mid-2024 estimate, per upper-tier local authority and England;
 * - `seeds/MANIFEST.json`: the size and SHA-256 of each bundled file.
 *
 * Every input file's size and SHA-256 are recorded, and checked against the
 * `SHA256SUMS` file beside it where there is one (a mismatch stops the
 * build). The documented cross-file checks must pass, and the bundle must
 * decode to exactly the panel derived from the raw files (deep-equal, and
 * the same JSON area by area, whole and one area at a time).
 *
 * Run: npx tsx scripts/build-seeds.ts [--data DIR] [--check]
 * (`npm run build:seeds`). DIR defaults to `../shared/data` relative to the
 * repository; it holds `dfe/` and `ons/`. With `--check`, nothing is
 * written: the script fails if the bundled files differ from what it
 * builds.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parseDfePanelBundle, readDfePanelBundle, type DfePanelBundleSource } from '../src/data/dfe/bundle.js';
import { dfePanelReader } from '../src/data/dfe/bundleDecode.js';
import { dfePanelBundleText, encodeDfePanel } from '../src/data/dfe/bundleEncode.js';
import { panelFromCells } from '../src/data/dfe/buildPanel.js';
import { dfeCellsFrom, type DfeCellSource } from '../src/data/dfe/cells.js';
import { dfeCellChecks } from '../src/data/dfe/checks.js';
import { readDfePanelFolder } from '../src/data/dfe/panelFolder.js';
import { seedManifestWith } from './seedManifest.js';
import { buildOnsPopulationFile, OnsPopulationFileSchema, type OnsRawFile } from '../src/data/ons/populationFile.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const at = args.indexOf('--data');
const DATA = resolve(at >= 0 ? args[at + 1] : join(ROOT, '..', 'shared', 'data'));
const CHECK = args.includes('--check');
const SEEDS = join(ROOT, 'seeds');
const OGL = 'Open Government Licence v3.0 (https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/)';

function fail(message: string): never {
  process.stderr.write(`build-seeds: ${message}\n`);
  process.exit(1);
}

if (!existsSync(join(DATA, 'dfe')) || !existsSync(join(DATA, 'ons'))) fail(`${DATA} must hold dfe/ and ons/ (give the data folder with --data DIR)`);

// ---------------------------------------------------------------------------
// DfE panel
// ---------------------------------------------------------------------------

const t0 = performance.now();
const folder = readDfePanelFolder(join(DATA, 'dfe'));
const set = dfeCellsFrom(folder.sources);
const publication = (s: DfeCellSource): string => {
  if (s.kind === 'sfr') return `DfE, Children looked after in England including adoptions: SFR local authority table, 31 March ${s.yearsInFile[0]} (Statistical First Release; copy from BenGoodair/childrens_social_care_data)`;
  const end = Math.max(...s.yearsInFile);
  const how = /ees_2024\/la_cla_on_31_march|ees_2024\/la_children_who_started/.test(s.name)
    ? ', converted to the EES long format from the processed data of DfE\u2019s children\u2019s social care outcomes and enablers dashboard'
    : '';
  return `DfE, Children looked after in England including adoptions, reporting year ${end} (Explore Education Statistics)${how}`;
};
const meta = new Map<string, Omit<DfePanelBundleSource, 'name' | 'kind' | 'yearsInFile' | 'years'>>();
for (const s of set.sources) {
  const f = folder.files.find((x) => x.name === s.name);
  if (!f) fail(`no file record for ${s.name}`);
  meta.set(s.name, { path: `dfe/${f.name}`, bytes: f.bytes, sha256: f.sha256, checkedAgainst: f.checkedAgainst ? `dfe/${f.checkedAgainst}` : null, publication: publication(s), licence: OGL });
}
const unchecked = set.sources.filter((s) => !meta.get(s.name)?.checkedAgainst).map((s) => s.name);

const checks = dfeCellChecks(set);
const failed = checks.filter((c) => c.mismatches.length > 0 || c.compared === 0);
for (const c of checks) console.log(`check: ${c.name}: ${c.compared} compared, ${c.mismatches.length} differ${c.exceptions.length > 0 ? `, ${c.exceptions.length} documented exception(s)` : ''}`);
if (failed.length > 0) fail(`checks failed:\n${failed.map((c) => `  ${c.name}: ${c.compared === 0 ? 'nothing compared' : c.mismatches.slice(0, 10).join('\n    ')}`).join('\n')}`);

const panel = panelFromCells(set);
const bundleSources: DfePanelBundleSource[] = set.sources.map((s) => {
  const m = meta.get(s.name)!;
  return { name: s.name, kind: s.kind, path: m.path, bytes: m.bytes, sha256: m.sha256, checkedAgainst: m.checkedAgainst, publication: m.publication, licence: m.licence, yearsInFile: [...s.yearsInFile], years: [...s.years] };
});
const bundle = encodeDfePanel(panel, bundleSources, {
  description:
    'The carecast DfE panel (loadDfePanel()), derived from the published cells by panelFromCells when the file was built: children looked after at 31 March, starters, leavers, 0-17 population and rate, and the placement, provider, age, UASC and reason breakdowns, for every English local authority, England and the regions, each point with its file, line, column and note. See seeds/README.md for the format.',
  licence: OGL,
  attribution: 'Contains public sector information licensed under the Open Government Licence v3.0: Department for Education, "Children looked after in England including adoptions".',
  command: 'npm run build:seeds (npx tsx scripts/build-seeds.ts --data <folder holding dfe/ and ons/>)',
  checks: checks.map((c) => ({ name: c.name, compared: c.compared, exceptions: [...c.exceptions] })),
});
const panelText = dfePanelBundleText(bundle);
// Decoding the file gives back exactly the panel derived from the raw files: deep-equal, and the same JSON (so the
// same key order), whole and area by area; read line by line from the text and (as loadDfePanel reads it) from
// the bytes, each area decoded alone, and read as plain JSON with the strict schema of the whole file.
const source = 'seeds/dfe-panel.json';
const back = dfePanelReader(readDfePanelBundle(panelText, source), source).panel();
const lone = dfePanelReader(readDfePanelBundle(Buffer.from(panelText, 'utf8'), source), source);
const asJson = dfePanelReader(parseDfePanelBundle(JSON.parse(panelText), source), source).panel();
const written = (p: typeof panel) => JSON.stringify({ ...p, series: [...p.series] });
if (!isDeepStrictEqual(panel, back) || !isDeepStrictEqual(panel, asJson)) fail('the panel decoded from the bundle differs from the panel derived from the raw files');
if (written(back) !== written(panel) || written(asJson) !== written(panel)) fail('the decoded panel is not written the same as the derived one (key order)');
for (let i = panel.areas.length - 1; i >= 0; i--) {
  const name = panel.areas[i].name;
  if (JSON.stringify(lone.area(i)) !== JSON.stringify(panel.series.get(name))) fail(`${name}: decoded on its own, the area differs from the derived one`);
}
console.log(`DfE panel: ${set.cells.length} cells from ${set.sources.length} files; ${panel.areas.filter((a) => a.level === 'local_authority').length} local authorities, England and ${panel.areas.filter((a) => a.level === 'region').length} regions; years ${panel.years.join(', ')}; missing ${panel.missingYears.join(', ') || 'none'}; ${(performance.now() - t0).toFixed(0)} ms`);
if (unchecked.length > 0) console.log(`no SHA256SUMS beside: ${unchecked.join(', ')} (size and SHA-256 recorded)`);

// ---------------------------------------------------------------------------
// ONS population
// ---------------------------------------------------------------------------

const onsSums = new Map<string, string>();
for (const line of readFileSync(join(DATA, 'ons', 'SHA256SUMS'), 'utf8').split(/\r?\n/)) {
  const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
  if (m) onsSums.set(m[2], m[1]);
}
const onsFile = (role: OnsRawFile['source']['role'], name: string, what: string): OnsRawFile => {
  const buf = readFileSync(join(DATA, 'ons', name));
  const sha256 = createHash('sha256').update(buf).digest('hex');
  const expected = onsSums.get(name);
  if (expected === undefined) fail(`ons/${name} is not in ons/SHA256SUMS`);
  if (expected !== sha256) fail(`ons/${name}: SHA-256 ${sha256} does not match ${expected} in ons/SHA256SUMS`);
  return { text: buf.toString('utf8'), source: { role, path: `ons/${name}`, bytes: buf.length, sha256, checkedAgainst: 'ons/SHA256SUMS', publication: what, licence: OGL } };
};
const dfeCodes = new Map<string, { oldCode: string; formerCodes: string[] }>();
for (const a of panel.areas) {
  if (a.level !== 'local_authority' || !a.oldCode || !a.code) continue;
  // Only authorities that still exist (April 2023 codes); abolished ones have no projection.
  dfeCodes.set(a.code, { oldCode: a.oldCode, formerCodes: [...(a.formerCodes ?? [])] });
}
const ons = buildOnsPopulationFile(
  {
    principal: onsFile('principal', 'snpp2018_principal_age0_17_lad23_county.csv', 'ONS 2018-based subnational population projections for England, principal projection (24 March 2020), single year of age 0-17, re-expressed on April 2023 codes (extract from The-Strategy-Unit/aging_pop_web_app)'),
    variants: onsFile('variants', 'snpp2018_custom_variants_age0_17_totals_lad23_county.csv', 'ONS 2018-based SNPP principal with national-variant ratios applied (The-Strategy-Unit/hmhc_app_inputs method), ages 0-17 totals'),
    estimate: onsFile('estimate', 'mye2024_mye2_persons_single_year_of_age.csv', 'ONS Estimates of the population for England and Wales: mid-2024 (July 2025), MYE2 persons by single year of age'),
    lookup: onsFile('lookup', 'lookup_ltla23_to_utla23_april2023.csv', 'ONS Open Geography Portal, Local Authority District to County and Unitary Authority (April 2023) Lookup in England and Wales'),
  },
  dfeCodes,
  {
    description:
      'ONS child population (persons aged 0-17) per English upper-tier local authority and England: the 2018-based subnational projection (principal, low_population, high_population), mid-2018 to mid-2043, and the mid-2024 estimate. Years are mid-years (30 June). See seeds/README.md.',
    licence: OGL,
    attribution: 'Source: Office for National Statistics licensed under the Open Government Licence v3.0.',
    command: 'npm run build:seeds (npx tsx scripts/build-seeds.ts --data <folder holding dfe/ and ons/>)',
  },
);
OnsPopulationFileSchema.parse(ons);
const onsText = `${JSON.stringify(ons)}\n`;
console.log(`ONS population: ${ons.areas.length} areas, ${ons.projection.firstYear}-${ons.projection.lastYear}; ${ons.areas.filter((a) => a.oldCode !== null).length} with a DfE code`);

// ---------------------------------------------------------------------------
// Write (or check)
// ---------------------------------------------------------------------------

const outputs: [string, string, string][] = [
  ['dfe-panel.json', panelText, 'DfE panel, derived from the published cells (loadDfePanel, loadDfePanelArea)'],
  ['ons-population.json', onsText, 'ONS population aged 0-17: 2018-based projection and mid-2024 estimate (loadPopulationProjection)'],
];
const manifestText = seedManifestWith(SEEDS, outputs);
const all: [string, string][] = [...outputs.map(([n, t]): [string, string] => [n, t]), ['MANIFEST.json', manifestText]];
if (CHECK) {
  const differ = all.filter(([name, text]) => !existsSync(join(SEEDS, name)) || readFileSync(join(SEEDS, name), 'utf8') !== text).map(([n]) => n);
  if (differ.length > 0) fail(`seeds differ from what the raw files give: ${differ.join(', ')} (run npm run build:seeds)`);
  console.log('seeds are up to date');
} else {
  for (const [name, text] of all) writeFileSync(join(SEEDS, name), text);
  for (const [name, text] of outputs) console.log(`wrote seeds/${name}: ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`);
}
