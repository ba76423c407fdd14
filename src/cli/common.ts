/**
 * What the CLI commands share: option parsing, data sources and writing
 * files only once everything has succeeded.
 *
 * @module
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CarecastInputError } from '../data/errors.js';
import { loadDfeEes } from '../data/loaders/dfeFiles.js';
import { loadTidyCsv } from '../data/loaders/tidyFiles.js';
import { dayToIso, parseSsda903Date } from '../data/calendar.js';
import type { OpenEpisodeRule, Ssda903Data } from '../data/loaders/ssda903.js';
import { loadSsda903Folder } from '../data/loaders/ssda903Folder.js';
import { deriveAnnualDataset } from '../data/episodes.js';
import { dfePanelDataset, loadDfePanel, loadDfePanelArea, type DfePanel } from '../data/panel.js';
import { findArea } from '../data/loaders/findArea.js';
import type { AnnualSeries, Dataset } from '../data/schemas.js';
import type { SeedProjection } from '../data/seedFile.js';
import { loadSeed, SEED_NAMES, type SeedName } from '../data/seeds.js';
import { loadDfeEvidence, parsePanelEvidence } from '../models/evidenceFile.js';
import type { PanelEvidence } from '../models/selectMethod.js';
import { NO_PROGRESS, type Progress } from './progress.js';

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

/** How far ahead a projection may go: at most this many years after the last observed year. */
export const MAX_YEARS_AHEAD = 30;

/**
 * Parse `--to`: a whole year after the last observed year and at most
 * {@link MAX_YEARS_AHEAD} years after it.
 *
 * @param raw - the text given (or undefined)
 * @param lastYear - the last observed year
 * @returns the year, or `lastYear + 10` when not given
 * @throws CarecastInputError when it is not a whole number or outside the range
 */
export function toOption(raw: string | undefined, lastYear: number): number {
  const to = intOption('to', raw) ?? lastYear + 10;
  const max = lastYear + MAX_YEARS_AHEAD;
  if (to <= lastYear || to > max) {
    throw optionError(
      '--to',
      `the projection must end after the last observed year ${lastYear} and at most ${MAX_YEARS_AHEAD} years after it (got ${to})`,
      `give a year from ${lastYear + 1} to ${max}`,
    );
  }
  return to;
}

/** The simulated paths `--paths` allows: enough for P10 and P90, few enough for memory. */
export const PATHS_RANGE = [100, 20000] as const;

/**
 * Parse `--paths`: a whole number of simulated paths in {@link PATHS_RANGE}.
 *
 * @param raw - the text given
 * @returns the number of paths
 * @throws CarecastInputError when it is not a whole number in the range
 */
export function pathsOption(raw: string): number {
  const v = Number(raw);
  const [lo, hi] = PATHS_RANGE;
  if (!(Number.isInteger(v) && v >= lo && v <= hi)) {
    throw optionError('--paths', `expected a whole number of simulated paths from ${lo.toLocaleString('en-GB')} to ${hi.toLocaleString('en-GB')}, got "${raw}"`, `e.g. --paths 2000 (the default); P10 and P90 need ${lo} paths at least`);
  }
  return v;
}

/**
 * Parse a random seed (`--random-seed`): a whole number, 0 or more.
 *
 * @param raw - the text given
 * @param option - the option's name, for messages
 * @returns the seed
 * @throws CarecastInputError when it is not a whole number from 0
 */
export function seedOption(raw: string, option = '--random-seed'): number {
  const v = Number(raw);
  if (!(raw.trim() !== '' && Number.isSafeInteger(v) && v >= 0)) throw optionError(option, `expected a whole number, 0 or more, got "${raw}"`, `e.g. ${option} 1 (the same seed gives the same numbers)`);
  return v;
}

/**
 * Check `--out` before any work: it must be a folder, or not exist yet (it
 * is then created when the outputs are written).
 *
 * @param dir - the folder
 * @throws CarecastInputError when it exists and is not a folder
 */
export function checkOutDir(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw optionError('--out', `"${dir}" is a file, not a folder`, 'give a folder for the outputs (it is created if it does not exist), e.g. --out out');
  }
}

/**
 * One area of a tidy file, found by name or code as `--la` gives it; an
 * unknown area suggests the nearest few names (never the whole list).
 *
 * @param all - the file's datasets
 * @param la - the area asked for
 * @param source - the file, for messages
 * @returns the dataset
 * @throws CarecastInputError when no area (or several) match
 */
export function tidyArea(all: readonly Dataset[], la: string, source: string): Dataset {
  if (all.length === 0) throw new CarecastInputError([{ source, field: 'area', message: 'the file has no rows', fix: 'give a tidy CSV with a header and rows' }]);
  return all[findArea(all.map((d) => d.area), la, source)];
}

/**
 * Check that the years of a series a command uses have no holes between
 * the first and the last (a tidy file is read allowing gaps, so that series
 * the command does not use may have them).
 *
 * @param series - the series used
 * @param source - the file, for messages
 * @throws CarecastInputError naming the missing years
 */
export function checkNoGaps(series: AnnualSeries, source: string): void {
  const years = new Set(series.points.map((p) => p.year));
  if (years.size === 0) return;
  const lo = Math.min(...years);
  const hi = Math.max(...years);
  const missing: number[] = [];
  for (let y = lo; y <= hi; y++) if (!years.has(y)) missing.push(y);
  if (missing.length > 0) {
    const bd = Object.entries(series.breakdown).map(([k, v]) => `${k}=${String(v)}`).join(';');
    throw new CarecastInputError([
      {
        source,
        field: 'period',
        message: `${series.measure}${bd ? ` [${bd}]` : ''} has no rows for ${missing.join(', ')} (between ${lo} and ${hi})`,
        fix: 'add rows for the missing years (an empty value with a marker such as x if the figure was not published)',
      },
    ]);
  }
}

/**
 * Check that a series has at least two observed years before a projection.
 *
 * @param series - the series (its points as used)
 * @param source - where it came from, for messages
 * @throws CarecastInputError naming the years it has
 */
export function needTwoYears(series: AnnualSeries, source: string): void {
  const observed = series.points.filter((p) => p.value !== null).map((p) => p.year);
  if (observed.length < 2) {
    throw new CarecastInputError([
      {
        source,
        field: series.measure,
        message: `a projection needs at least 2 observed years of ${series.measure}; it has ${observed.length}${observed.length > 0 ? ` (${observed.join(', ')})` : ''}`,
        fix: 'give the series for more years (or widen --from/--until)',
      },
    ]);
  }
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

/**
 * Parse `--open-episodes`: what to do with an SSDA903 episode open at the
 * end of its return and missing from every later return.
 *
 * @param raw - `keep` (the default) or `close`
 * @returns the rule
 * @throws CarecastInputError for anything else
 */
export function openEpisodesOption(raw: string | undefined): OpenEpisodeRule {
  if (raw === undefined || raw === 'keep') return 'keep';
  if (raw === 'close') return 'close';
  throw optionError('--open-episodes', `expected keep or close, got "${raw}"`, 'keep (the child is still looked after; the default) or close (closed on 1 April after the return)');
}

/**
 * Parse `--today`: the day SSDA903 dates are checked against. The command
 * line is the one place that reads the clock: without the option, the day it
 * runs (UTC).
 *
 * @param raw - a date (`yyyy-mm-dd` or `dd/mm/yyyy`), or undefined for the day it runs
 * @returns the date as `yyyy-mm-dd`
 * @throws CarecastInputError when it is not a date
 */
export function todayOption(raw: string | undefined): string {
  if (raw === undefined) return new Date().toISOString().slice(0, 10);
  const day = parseSsda903Date(raw);
  if (day === undefined) throw optionError('--today', `not a date: "${raw}"`, 'e.g. --today 2024-06-30');
  return dayToIso(day);
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
  /** SSDA903 episodes open at the end of their return and missing from later returns: `keep` (default) or `close`. */
  readonly openEpisodes?: string;
  /** With `ssda903`: the day dates are checked against (dates after it cannot be true); default the day the command runs. */
  readonly today?: string;
}

/**
 * Load one area's dataset from exactly one of `--la` alone (an area of the
 * DfE panel bundled with carecast: any English local authority, England or
 * a region, 2011-2024), `--seed`, `--dfe` (with `--la`), `--tidy` (with
 * `--la`) or `--ssda903` (a folder of returns; the annual series are
 * derived from the episodes).
 *
 * @param o - the source options
 * @param progress - where reading a tidy file (by bytes) or SSDA903 returns (by returns) reports progress (default: nowhere)
 * @returns the dataset, a file-name label, (for seeds) the published projections, and (for SSDA903) the cleaned returns
 * @throws CarecastInputError for no or several sources, an unknown seed or area
 */
export function loadSource(o: SourceOptions, progress: Progress = NO_PROGRESS): { dataset: Dataset; label: string; published: readonly SeedProjection[]; ssda903?: Ssda903Data } {
  const sources = [o.seed, o.dfe, o.tidy, o.ssda903].filter((x) => x !== undefined).length;
  if (sources === 0 && o.la !== undefined) {
    const dataset = dfePanelDataset(loadDfePanelArea(o.la));
    return { dataset, label: slug(dataset.area.name), published: [] };
  }
  if (sources !== 1) throw optionError('--la/--seed/--dfe/--tidy/--ssda903', `give exactly one data source (got ${sources})`, 'e.g. --la "Derby" (the bundled DfE data), --seed derbyshire, --dfe file.csv --la "Derby", or --ssda903 returns/');
  if (o.ssda903 !== undefined) {
    const data = loadSsda903Folder(o.ssda903, {
      ...(o.lenient ? { lenient: true } : {}),
      ...(o.la ? { area: o.la } : {}),
      openNotInLaterReturn: openEpisodesOption(o.openEpisodes),
      today: todayOption(o.today),
      onProgress: (d, t) => progress.update(d, t, 'reading SSDA903 returns'),
    });
    const { dataset } = deriveAnnualDataset(data);
    return { dataset, label: slug(dataset.area.name), published: [], ssda903: data };
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
  // gaps are checked in the series a command uses (checkNoGaps), not in every series of the file
  const dataset = tidyArea(loadTidyCsv(o.tidy as string, { allowGaps: true, onProgress: tidyProgress(o.tidy as string, progress) }), o.la, o.tidy as string);
  return { dataset, label: slug(dataset.area.name), published: [] };
}

/**
 * Progress of reading a tidy file, by bytes, as `loadTidyCsv`'s `onProgress`.
 *
 * @param path - the file
 * @param progress - where to report
 * @returns the callback
 */
export function tidyProgress(path: string, progress: Progress): (bytesRead: number, totalBytes: number) => void {
  const what = `reading ${basename(path)}`;
  return (done, total) => progress.update(done, total, what, 'bytes');
}

/**
 * The DfE panel named by `--panel`: the bundled panel for a bare `--panel`
 * or `--panel dfe`, otherwise the panel built from a folder of raw DfE
 * files (`sfr_la_cla_2011_2017/` and the EES files, e.g. `ees_2024/`).
 *
 * @param dir - `true` (bare `--panel`), `dfe`, or the folder
 * @param progress - where reading a folder reports progress, by the bytes of its files (default: nowhere)
 * @returns the panel
 * @throws CarecastInputError when the folder is missing or holds no DfE files
 */
export function loadPanelDir(dir: string | true, progress: Progress = NO_PROGRESS): DfePanel {
  if (dir === true || dir === 'dfe') return loadDfePanel();
  if (!existsSync(dir)) throw optionError('--panel', `no folder "${dir}"`, 'give --panel alone (the bundled DfE panel) or a folder of raw DfE files (sfr_la_cla_2011_2017/ and the EES files)');
  // when every file is read, the panel is built from them: the bar says so
  return loadDfePanel({ dir, onProgress: (d, t) => progress.update(d, t, d < t ? 'reading the DfE files' : 'building the DfE panel', 'bytes') });
}

/** A file-system error while writing the outputs, as an input error about `--out`. */
function writeProblem(e: unknown, dir: string): CarecastInputError {
  if (e instanceof CarecastInputError) return e;
  const code = (e as { code?: string }).code;
  return new CarecastInputError([
    {
      source: dir,
      field: '--out',
      message: `cannot write the outputs there${code ? ` (${code})` : ''}: ${(e as Error).message}`,
      fix: 'check that the folder can be written (permissions, free space), or give another --out',
    },
  ]);
}

/**
 * Write files all-or-nothing: every file is written to a temporary folder
 * inside `dir` first; only when all are written are they moved into
 * place, any file they replace kept aside until the last move has
 * succeeded. On any failure the files already moved are taken back, the
 * files they replaced restored, the temporary folder removed (and `dir`
 * too, if it was created), so a failure leaves the folder as it was.
 *
 * @param dir - the output folder (created if needed)
 * @param files - file name and content (text or bytes)
 * @returns the paths written
 * @throws CarecastInputError when `dir` is a file, a file's name is taken by
 *   a folder, or the files cannot be written (naming the error)
 */
export function writeAll(dir: string, files: readonly (readonly [string, string | Uint8Array])[]): string[] {
  checkOutDir(dir);
  const targets = files.map(([name]) => join(dir, name));
  for (const t of targets) {
    if (existsSync(t) && statSync(t).isDirectory()) throw optionError('--out', `"${t}" is a folder, so the file cannot be written there`, 'move or rename that folder, or give another --out');
  }
  let created: string | undefined;
  let stage: string | undefined;
  const moved: number[] = [];
  const kept = new Map<number, string>();
  try {
    created = mkdirSync(dir, { recursive: true });
    stage = mkdtempSync(join(dir, '.carecast-'));
    const staged = files.map(([name, data], i) => {
      const p = join(stage as string, `${i}-${name.replace(/[/\\]/g, '_')}`);
      writeFileSync(p, data);
      return p;
    });
    targets.forEach((t, i) => {
      if (existsSync(t)) {
        const aside = join(stage as string, `old-${i}`);
        renameSync(t, aside);
        kept.set(i, aside);
      }
      renameSync(staged[i], t);
      moved.push(i);
    });
  } catch (e) {
    // put the folder back as it was
    for (const i of moved) rmSync(targets[i], { force: true });
    for (const [i, aside] of kept) if (existsSync(aside)) renameSync(aside, targets[i]);
    if (stage) rmSync(stage, { recursive: true, force: true });
    if (created) rmSync(created, { recursive: true, force: true });
    throw writeProblem(e, dir);
  }
  rmSync(stage, { recursive: true, force: true });
  return targets;
}

/**
 * The panel evidence named by `--evidence`: `dfe` (the bundled evidence from
 * every DfE LA's backtest, for the measure) or a JSON file saved from
 * `panelEvidence`.
 *
 * @param raw - the option text
 * @param measure - the measure, for `dfe` (default `children_in_care`)
 * @returns the evidence
 * @throws CarecastInputError when the file is missing, not JSON or not panel evidence, or the measure has no bundled evidence
 */
export function evidenceOption(raw: string, measure = 'children_in_care'): PanelEvidence {
  if (raw === 'dfe') return loadDfeEvidence({ measure });
  if (!existsSync(raw)) throw optionError('--evidence', `no such file "${raw}"`, 'give dfe (the bundled DfE evidence) or a JSON file saved from panelEvidence(...)');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(raw, 'utf8'));
  } catch (e) {
    throw new CarecastInputError([{ source: raw, field: 'evidence', message: `not valid JSON: ${(e as Error).message}`, fix: 'save the result of panelEvidence(...) with JSON.stringify' }]);
  }
  return parsePanelEvidence(json, raw);
}
