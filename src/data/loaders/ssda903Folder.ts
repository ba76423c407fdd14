/**
 * Reading SSDA903 returns from a folder on disk (Node only): the folder's
 * file names grouped into returns by {@link groupSsda903Files}, as files
 * dropped in a browser are by {@link readSsda903Files}, each file read and
 * the returns handed to {@link readSsda903}.
 *
 * @module
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CarecastInputError } from '../errors.js';
import { readSsda903, type Ssda903Data, type Ssda903Options } from './ssda903.js';
import { groupSsda903Files, ssda903Returns } from './ssda903Files.js';
import { loadText } from './textFile.js';

/**
 * Load every SSDA903 return in a folder: files named with a year and
 * `episodes`, `header` or `uasc` (e.g. `2019-episodes.csv`,
 * `header_2019.csv`). The year in the name only groups the files; the
 * return's year (its 31 March) is inferred from the episodes' dates, since
 * naming conventions differ (the DfE's 2019/20 return may be called 2019 or
 * 2020). Other files in the folder are left alone.
 *
 * @param dir - the folder
 * @param options - `lenient`, `area`
 * @returns the cleaned data, as {@link readSsda903}
 * @throws CarecastInputError when the folder cannot be read, holds no episodes file, or any row is bad (unless `lenient`)
 * @example
 * ```ts
 * const data = loadSsda903Folder('path/to/ssda903'); // 2017-episodes.csv, 2017-header.csv, ...
 * data.returns.map((r) => r.year); // e.g. [2018, 2019, 2020, 2021, 2022]
 * ```
 */
export function loadSsda903Folder(dir: string, options: Ssda903Options = {}): Ssda903Data {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (e) {
    throw new CarecastInputError([{ source: dir, message: `cannot read the folder (${(e as { code?: string }).code ?? String(e)})`, fix: 'check the path' }]);
  }
  return readSsda903(ssda903Returns(groupSsda903Files(files), (name) => loadText(join(dir, name)), dir), options);
}
