/**
 * Reading the DfE files by path: thin wrappers that read the text (or the
 * folder) and hand it to the text readers ({@link readDfeEes},
 * {@link readDfeEesLong}, {@link readSfrFiles}), which do not touch the
 * file system.
 *
 * @module
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CarecastInputError } from '../errors.js';
import type { Dataset } from '../schemas.js';
import { dfeEesDataset, readDfeEes } from './dfeEes.js';
import { readDfeEesLong, type DfeEesLongOptions, type DfeEesLongTable } from './dfeEesLong.js';
import { readSfrFiles, SFR_FILE_PATTERN, type SfrPanel } from './sfr.js';
import { loadText } from './textFile.js';

/**
 * Read an EES file from disk and return one area's dataset; see
 * {@link readDfeEes} and {@link dfeEesDataset}. Provenance names the file
 * by its base name.
 *
 * @param path - path to `cla_number_and_rate_per_10k_children*.csv` (or the England time series)
 * @param la - a name, ONS code, DfE code, `England` or a region name
 * @returns the area's dataset
 * @throws `CarecastInputError` when the file cannot be read, is invalid, or the area is unknown or ambiguous
 * @example
 * ```ts
 * const derbyshire = loadDfeEes('data/cla_number_and_rate_per_10k_children_2020_2024.csv', 'Derbyshire');
 * ```
 */
export function loadDfeEes(path: string, la: string): Dataset {
  return dfeEesDataset(readDfeEes(loadText(path), basename(path)), la);
}

/**
 * Read a long EES file (characteristics at 31 March, starters or leavers)
 * from disk; see {@link readDfeEesLong}. Provenance names the file by its
 * base name.
 *
 * @param path - path to the CSV file
 * @param options - what the file counts, when it cannot be told from its groups or name
 * @returns the validated table
 * @throws `CarecastInputError` when the file cannot be read or is invalid
 * @example
 * ```ts
 * const t = loadDfeEesLong('data/la_children_who_ceased_during_the_year_2020_2024.csv');
 * t.measure; // 'ceased'
 * ```
 */
export function loadDfeEesLong(path: string, options: DfeEesLongOptions = {}): DfeEesLongTable {
  return readDfeEesLong(loadText(path), basename(path), options);
}

/**
 * Read every `la_cla_31_march_YYYY.csv` in a folder (this touches the file
 * system; {@link readSfrFiles} is the pure version).
 *
 * @param dir - the folder, e.g. `data/dfe/sfr_la_cla_2011_2017`
 * @returns the panel; `years` lists the years found and `missingYears` any year between the first and last without a file
 * @throws `CarecastInputError` when the folder cannot be read, holds no SFR files, or any file is invalid
 * @example
 * ```ts
 * const panel = loadSfrFolder('data/dfe/sfr_la_cla_2011_2017');
 * panel.years; // [2011, ..., 2017] (2018 is not in the set; EES files start in 2019)
 * ```
 */
export function loadSfrFolder(dir: string): SfrPanel {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => SFR_FILE_PATTERN.test(n));
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CarecastInputError([{ source: dir, message: `cannot read the folder${code ? ` (${code})` : ''}`, fix: 'check the path of the SFR folder' }]);
  }
  if (names.length === 0) {
    throw new CarecastInputError([{ source: dir, message: 'no la_cla_31_march_YYYY.csv files in the folder', fix: 'point at the folder holding the SFR local authority tables' }]);
  }
  return readSfrFiles(names.map((name) => ({ name, text: loadText(join(dir, name)) })));
}

/**
 * Read every `la_cla_31_march_YYYY.csv` in a folder. The same as
 * {@link loadSfrFolder} (the name the rest of carecast uses); it reads the
 * file system.
 *
 * @param dir - the folder
 * @returns the panel
 * @throws `CarecastInputError` when the folder cannot be read, holds no SFR files, or any file is invalid
 * @example
 * ```ts
 * const panel = readSfrFolder('data/dfe/sfr_la_cla_2011_2017');
 * ```
 */
export function readSfrFolder(dir: string): SfrPanel {
  return loadSfrFolder(dir);
}
