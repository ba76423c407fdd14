/**
 * What the CLI commands share: option parsing, data sources and writing
 * files only once everything has succeeded.
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CarecastInputError } from '../data/errors.js';
import { loadDfeEes } from '../data/loaders/dfeFiles.js';
import { loadTidyCsv } from '../data/loaders/tidyFiles.js';
import { loadSsda903Folder } from '../data/loaders/ssda903Folder.js';
import { deriveAnnualDataset } from '../data/episodes.js';
import { dfePanelDataset, loadDfePanel, loadDfePanelArea, type DfePanel } from '../data/panel.js';
import type { Dataset } from '../data/schemas.js';
import type { SeedProjection } from '../data/seedFile.js';
import { loadSeed, SEED_NAMES, type SeedName } from '../data/seeds.js';
import { loadDfeEvidence, parsePanelEvidence } from '../evaluate/evidenceFile.js';
import type { PanelEvidence } from '../models/selectMethod.js';

/**
 * An input error about a command-line option.
 *
 * @param field - the option, e.g. `--to`
 * @param message - what is wrong
 * @param fix - how to fix it
 * @returns the error to throw
 */
export function optionError(field: string, message: string, fix: string): CarecastInputError {
  return new CarecastInputError([{ source: 'command line', field, message, fix }]);
}

/**
 * Parse a whole-number option.
 *
 * @param name - the option name without dashes
 * @param raw - the text given (or undefined)
 * @returns the number, or undefined when not given
 * @throws CarecastInputError when it is not a whole number
 */
export function intOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isInteger(v)) throw optionError(`--${name}`, `expected a whole number, got "${raw}"`, `e.g. --${name} 2030`);
  return v;
}

/**
 * A file-name-safe version of a name: lower case, runs of other characters as `-`.
 *
 * @param s - the name
 * @returns the slug
 */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Where a command reads one area's data from. */
export interface SourceOptions {
  /** Bundled seed name. */
  readonly seed?: string;
  /** DfE EES file path. */
  readonly dfe?: string;
  /** Tidy CSV file path. */
  readonly tidy?: string;
  /** LA (or area) name or code: alone, an area of the bundled DfE panel; with `dfe` or `tidy`, an area of that file. */
  readonly la?: string;
  /** A folder of SSDA903 returns (episodes, header, uasc CSVs). */
  readonly ssda903?: string;
  /** Leave bad SSDA903 rows out (listing them) instead of failing. */
  readonly lenient?: boolean;
}

/**
 * Load one area's dataset from exactly one of `--la` alone (an area of the
 * DfE panel bundled with carecast: any English local authority, England or
 * a region, 2011-2024), `--seed`, `--dfe` (with `--la`), `--tidy` (with
 * `--la`) or `--ssda903` (a folder of returns; the annual series are
 * derived from the episodes).
 *
 * @param o - the source options
 * @returns the dataset, a file-name label, and (for seeds) the published projections
 * @throws CarecastInputError for no or several sources, an unknown seed or area
 */
export function loadSource(o: SourceOptions): { dataset: Dataset; label: string; published: readonly SeedProjection[] } {
  const sources = [o.seed, o.dfe, o.tidy, o.ssda903].filter((x) => x !== undefined).length;
  if (sources === 0 && o.la !== undefined) {
    const dataset = dfePanelDataset(loadDfePanelArea(o.la));
    return { dataset, label: slug(dataset.area.name), published: [] };
  }
  if (sources !== 1) throw optionError('--la/--seed/--dfe/--tidy/--ssda903', `give exactly one data source (got ${sources})`, 'e.g. --la "Derby" (the bundled DfE data), --seed derbyshire, --dfe file.csv --la "Derby", or --ssda903 returns/');
  if (o.ssda903 !== undefined) {
    const data = loadSsda903Folder(o.ssda903, { ...(o.lenient ? { lenient: true } : {}), ...(o.la ? { area: o.la } : {}) });
    const { dataset } = deriveAnnualDataset(data);
    return { dataset, label: slug(dataset.area.name), published: [] };
  }
  if (o.seed !== undefined) {
    if (!(SEED_NAMES as readonly string[]).includes(o.seed)) throw optionError('--seed', `unknown seed "${o.seed}"`, `use one of ${SEED_NAMES.join(', ')}`);
    const seed = loadSeed(o.seed as SeedName);
    return { dataset: seed.dataset, label: o.seed, published: seed.projections };
  }
  if (o.la === undefined) throw optionError('--la', 'a DfE or tidy file needs --la to name the local authority', 'e.g. --la "Derby" or --la E06000015');
  if (o.dfe !== undefined) {
    const dataset = loadDfeEes(o.dfe, o.la);
    return { dataset, label: slug(dataset.area.name), published: [] };
  }
  const all = loadTidyCsv(o.tidy as string);
  const want = o.la.toLowerCase();
  const dataset = all.find((d) => d.area.name.toLowerCase() === want || d.area.code?.toLowerCase() === want);
  if (!dataset) throw optionError('--la', `no area "${o.la}" in ${o.tidy}`, `use one of: ${all.map((d) => d.area.name).join(', ')}`);
  return { dataset, label: slug(dataset.area.name), published: [] };
}

/**
 * The DfE panel named by `--panel`: the bundled panel for a bare `--panel`
 * or `--panel dfe`, otherwise the panel built from a folder of raw DfE
 * files (`sfr_la_cla_2011_2017/` and the EES files, e.g. `ees_2024/`).
 *
 * @param dir - `true` (bare `--panel`), `dfe`, or the folder
 * @returns the panel
 * @throws CarecastInputError when the folder is missing or holds no DfE files
 */
export function loadPanelDir(dir: string | true): DfePanel {
  if (dir === true || dir === 'dfe') return loadDfePanel();
  if (!existsSync(dir)) throw optionError('--panel', `no folder "${dir}"`, 'give --panel alone (the bundled DfE panel) or a folder of raw DfE files (sfr_la_cla_2011_2017/ and the EES files)');
  return loadDfePanel({ dir });
}

/**
 * Write files all-or-nothing: each is written to a temporary name first,
 * then all are renamed, so a failure leaves no partial output.
 *
 * @param dir - the output folder (created if needed)
 * @param files - file name and text
 * @returns the paths written
 */
export function writeAll(dir: string, files: readonly (readonly [string, string])[]): string[] {
  mkdirSync(dir, { recursive: true });
  const paths = files.map(([name]) => join(dir, name));
  files.forEach(([, text], i) => writeFileSync(`${paths[i]}.tmp`, text));
  for (const p of paths) renameSync(`${p}.tmp`, p);
  return paths;
}

/**
 * The panel evidence named by `--evidence`: `dfe` (the bundled evidence from
 * every DfE LA's backtest) or a JSON file saved from `panelEvidence`.
 *
 * @param raw - the option text
 * @returns the evidence
 * @throws CarecastInputError when the file is missing, not JSON or not panel evidence
 */
export function evidenceOption(raw: string): PanelEvidence {
  if (raw === 'dfe') return loadDfeEvidence();
  if (!existsSync(raw)) throw optionError('--evidence', `no such file "${raw}"`, 'give dfe (the bundled DfE evidence) or a JSON file saved from panelEvidence(...)');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(raw, 'utf8'));
  } catch (e) {
    throw new CarecastInputError([{ source: raw, field: 'evidence', message: `not valid JSON: ${(e as Error).message}`, fix: 'save the result of panelEvidence(...) with JSON.stringify' }]);
  }
  return parsePanelEvidence(json, raw);
}
