/**
 * Reading tidy CSV and JSON files by path (Node only). A CSV file is read a
 * piece at a time and streamed through {@link tidyCsvReader} (the reader
 * behind {@link readTidyCsv}), so a large file is never held whole; a JSON
 * file's text is handed to {@link readTidyJson}.
 *
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { CarecastInputError } from '../errors.js';
import type { Dataset } from '../schemas.js';
import { loadText } from './textFile.js';
import { readTidyJson, tidyCsvReader, type TidyReadOptions } from './tidy.js';

/** Options for reading a tidy CSV file: the reading options, and progress. */
export interface TidyLoadOptions extends TidyReadOptions {
  /** Called after each piece of the file is read, with the bytes read so far and the file's size. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** How much of the file is read at a time. */
const CHUNK_BYTES = 1 << 20;

function readProblem(path: string, e: unknown): CarecastInputError {
  const code = (e as { code?: string }).code;
  return new CarecastInputError([
    {
      source: path,
      message: `cannot read the file${code ? ` (${code})` : ''}`,
      fix: code === 'ENOENT' ? 'check the path and the file name' : 'check that the path is a readable file',
    },
  ]);
}

/**
 * Read a tidy CSV file from disk; see {@link readTidyCsv} for the format and
 * the checks. The file is read 1 MiB at a time and each row is validated and
 * added to its series as it is read, so memory holds the series (compactly
 * while reading), not the file's text or its rows.
 *
 * @param path - path to the CSV file
 * @param options - `allowGaps`, `partsTolerance`, and `onProgress(bytesRead, totalBytes)`
 * @returns the datasets
 * @throws `CarecastInputError` listing every problem found, or when the file cannot be read
 * @example
 * ```ts
 * const datasets = loadTidyCsv('data/derby.csv', { allowGaps: true });
 * ```
 */
export function loadTidyCsv(path: string, options: TidyLoadOptions = {}): Dataset[] {
  const { onProgress, ...readOptions } = options;
  let fd: number;
  let size: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw readProblem(path, e);
  }
  try {
    const reader = tidyCsvReader(basename(path), readOptions);
    // bytes decoded as decodeText decodes them (the byte-order mark kept for the reader to remove)
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    const buf = new Uint8Array(CHUNK_BYTES);
    let done = 0;
    try {
      size = fstatSync(fd).size;
    } catch (e) {
      throw readProblem(path, e);
    }
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, CHUNK_BYTES, null);
      } catch (e) {
        throw readProblem(path, e);
      }
      if (n === 0) break;
      done += n;
      reader.push(decoder.decode(buf.subarray(0, n), { stream: true }));
      onProgress?.(done, Math.max(size, done));
    }
    reader.push(decoder.decode());
    return reader.end();
  } finally {
    closeSync(fd);
  }
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
