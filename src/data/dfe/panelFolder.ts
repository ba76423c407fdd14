/**
 * Reading the raw DfE files for the panel from a folder, with the size and
 * SHA-256 of each file checked against the folder's `SHA256SUMS` where
 * there is one.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CarecastInputError } from '../errors.js';
import { readDfeEes, type DfeEesTable } from '../loaders/dfeEes.js';
import { readDfeEesLong } from '../loaders/dfeEesLong.js';
import { readSfrFiles, SFR_FILE_PATTERN } from '../loaders/sfr.js';
import type { DfePanelSources } from './cells.js';

/** One raw file read for the panel. */
export interface DfeFileInfo {
  /** The path relative to the folder read (`/` separators), as named in provenance. */
  readonly name: string;
  /** Size in bytes. */
  readonly bytes: number;
  /** SHA-256 of the bytes, hex. */
  readonly sha256: string;
  /** The `SHA256SUMS` file the checksum was checked against (relative to the folder), if any. */
  readonly checkedAgainst?: string;
}

/** The files of a DfE folder, parsed, with their checksums. */
export interface DfePanelFolder {
  /** The parsed files, ready for `buildDfePanel`. */
  readonly sources: DfePanelSources;
  /** Every file read. */
  readonly files: readonly DfeFileInfo[];
}

const PATTERNS = {
  numberAndRate: /^cla_number_and_rate_per_10k_children.*\.csv$/i,
  timeSeries: /^cla_time_series_.*\.csv$/i,
  characteristics: /^la_cla_on_31_march_by_characteristics.*\.csv$/i,
  started: /^la_children_who_started_to_be_looked_after.*\.csv$/i,
  ceased: /^la_children_who_ceased.*\.csv$/i,
} as const;

function listCsv(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && depth < 2) walk(p, depth + 1);
      else if (e.isFile() && /\.csv$/i.test(e.name)) out.push(p);
    }
  };
  walk(dir, 0);
  return out.sort();
}

function readSums(dir: string): Map<string, string> {
  const sums = new Map<string, string>();
  const file = join(dir, 'SHA256SUMS');
  if (!existsSync(file)) return sums;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/i.exec(line.trim());
    if (m) sums.set(m[2].trim(), m[1].toLowerCase());
  }
  return sums;
}

/** The last year in a file name such as `..._2020_2024.csv`. */
function endYear(name: string): number {
  const ys = [...name.matchAll(/(?:^|_)(\d{4})(?=[_.])/g)].map((m) => Number(m[1]));
  return ys.length > 0 ? Math.max(...ys) : 0;
}

/**
 * Find and parse the DfE files in a folder (and its subfolders, two levels
 * deep): the SFR tables `la_cla_31_march_YYYY.csv`, every number-and-rate
 * file `cla_number_and_rate_per_10k_children*.csv` (each year is later
 * taken from the newest publication), the newest England time series
 * `cla_time_series_*.csv`, and the long characteristics, starters and
 * ceased files (the newest of each). Each file's SHA-256 is checked against
 * a `SHA256SUMS` file beside it when there is one.
 *
 * @param dir - the DfE data folder, e.g. `data/dfe` (holding `sfr_la_cla_2011_2017/` and `ees_2024/`)
 * @param options - `onProgress(bytesDone, bytesTotal)`, called after each file (the SFR tables together) is read and parsed
 * @returns the parsed sources and every file read, with size and checksum
 * @throws `CarecastInputError` when the folder cannot be read, holds none of the files, a checksum does not match, or a file is invalid
 * @example
 * ```ts
 * const { sources, files } = readDfePanelFolder('data/dfe');
 * buildDfePanel(sources);
 * ```
 */
export function readDfePanelFolder(dir: string, options: { readonly onProgress?: (bytesDone: number, bytesTotal: number) => void } = {}): DfePanelFolder {
  let paths: string[];
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    paths = listCsv(dir);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CarecastInputError([{ source: dir, message: `cannot read the folder${code ? ` (${code})` : ''}`, fix: 'give the DfE data folder holding sfr_la_cla_2011_2017/ and the EES files (e.g. ees_2024/)' }]);
  }
  const files: DfeFileInfo[] = [];
  const sums = new Map<string, Map<string, string>>();
  const problems: { source: string; message: string; fix: string }[] = [];
  const read = (path: string): string => {
    const buf = readFileSync(path);
    const name = relative(dir, path).split(sep).join('/');
    const sha256 = createHash('sha256').update(buf).digest('hex');
    const folder = path.slice(0, path.length - (path.split(sep).pop() ?? '').length);
    if (!sums.has(folder)) sums.set(folder, readSums(folder));
    const expected = sums.get(folder)!.get(path.split(sep).pop() ?? '');
    let checkedAgainst: string | undefined;
    if (expected !== undefined) {
      checkedAgainst = relative(dir, join(folder, 'SHA256SUMS')).split(sep).join('/');
      if (expected !== sha256) problems.push({ source: name, message: `SHA-256 ${sha256} does not match ${expected} in ${checkedAgainst}`, fix: 'the file has changed since it was published: fetch it again' });
    }
    files.push({ name, bytes: buf.length, sha256, ...(checkedAgainst ? { checkedAgainst } : {}) });
    return buf.toString('utf8');
  };
  const base = (p: string) => p.split(sep).pop() ?? p;
  const newest = (re: RegExp) => paths.filter((p) => re.test(base(p))).sort((a, b) => endYear(base(a)) - endYear(base(b)) || a.localeCompare(b)).at(-1);
  const nameOf = (p: string) => relative(dir, p).split(sep).join('/');
  const sfrPaths = paths.filter((p) => SFR_FILE_PATTERN.test(base(p)));
  const nrPaths = paths.filter((p) => PATTERNS.numberAndRate.test(base(p)));
  const ts = newest(PATTERNS.timeSeries);
  const ch = newest(PATTERNS.characteristics);
  const st = newest(PATTERNS.started);
  const ce = newest(PATTERNS.ceased);
  if (sfrPaths.length + nrPaths.length === 0 && !ts) {
    throw new CarecastInputError([
      { source: dir, message: 'no DfE files found (la_cla_31_march_YYYY.csv, cla_number_and_rate_per_10k_children*.csv, cla_time_series_*.csv)', fix: 'give the DfE data folder holding sfr_la_cla_2011_2017/ and the EES files (e.g. ees_2024/)' },
    ]);
  }
  const sources: { -readonly [K in keyof DfePanelSources]: DfePanelSources[K] } = {};
  // progress by the bytes of the files parsed (nothing is measured when no one asks)
  const { onProgress } = options;
  const sizeOf = (ps: readonly (string | undefined)[]): number => (onProgress ? ps.reduce((n, p) => n + (p ? statSync(p).size : 0), 0) : 0);
  const bytesTotal = sizeOf([...sfrPaths, ...nrPaths, ts, ch, st, ce]);
  let bytesDone = 0;
  const parsed = <T>(ps: readonly string[], parse: () => T): T => {
    const out = parse();
    if (onProgress) {
      bytesDone += sizeOf(ps);
      onProgress(bytesDone, bytesTotal);
    }
    return out;
  };
  if (sfrPaths.length > 0) sources.sfr = parsed(sfrPaths, () => readSfrFiles(sfrPaths.map((p) => ({ name: nameOf(p), text: read(p) }))));
  if (nrPaths.length > 0) sources.numberAndRate = nrPaths.map((p): DfeEesTable => parsed([p], () => readDfeEes(read(p), nameOf(p))));
  if (ts) sources.timeSeries = parsed([ts], () => readDfeEes(read(ts), nameOf(ts)));
  if (ch) sources.characteristics = parsed([ch], () => readDfeEesLong(read(ch), nameOf(ch), { measure: 'children_in_care' }));
  if (st) sources.started = parsed([st], () => readDfeEesLong(read(st), nameOf(st), { measure: 'started' }));
  if (ce) sources.ceased = parsed([ce], () => readDfeEesLong(read(ce), nameOf(ce), { measure: 'ceased' }));
  if (problems.length > 0) throw new CarecastInputError(problems);
  return { sources, files };
}
