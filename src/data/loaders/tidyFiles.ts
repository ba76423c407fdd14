/**
 * Reading tidy CSV and JSON files by path (Node only): thin wrappers that
 * read the file and hand its text to {@link readTidyCsv} and
 * {@link readTidyJson}, which take text or bytes and run anywhere.
 *
 * @module
 */
import { basename } from 'node:path';
import type { Dataset } from '../schemas.js';
import { loadText } from './textFile.js';
import { readTidyCsv, readTidyJson, type TidyReadOptions } from './tidy.js';

/**
 * Read a tidy CSV file from disk; see {@link readTidyCsv}.
 *
 * @param path - path to the CSV file
 * @param options - `allowGaps`, `partsTolerance`
 * @returns the datasets
 * @throws `CarecastInputError` listing every problem found, or when the file cannot be read
 * @example
 * ```ts
 * const datasets = loadTidyCsv('data/derby.csv', { allowGaps: true });
 * ```
 */
export function loadTidyCsv(path: string, options: TidyReadOptions = {}): Dataset[] {
  return readTidyCsv(loadText(path), basename(path), options);
}

/**
 * Read a tidy JSON file from disk; see {@link readTidyJson}.
 *
 * @param path - path to the JSON file
 * @param options - `allowGaps`, `partsTolerance`
 * @returns the datasets
 * @throws `CarecastInputError` listing every problem found, or when the file cannot be read
 * @example
 * ```ts
 * const datasets = loadTidyJson('data/derby.json');
 * ```
 */
export function loadTidyJson(path: string, options: TidyReadOptions = {}): Dataset[] {
  return readTidyJson(loadText(path), basename(path), options);
}
