/**
 * Reading a text file by its path (Node only): the bytes read from disk and
 * decoded by {@link decodeText}, as the text readers decode bytes given to
 * them, with a file-system error turned into a `CarecastInputError`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { CarecastInputError } from '../errors.js';
import { decodeText } from './textInput.js';

/**
 * Read a text file, turning a file-system error into a `CarecastInputError`.
 *
 * @param path - the file path
 * @returns the file's text (UTF-8, decoded as {@link decodeText} decodes bytes)
 * @throws `CarecastInputError` when the file cannot be read
 * @example
 * ```ts
 * const text = loadText('data/derby.csv');
 * ```
 */
export function loadText(path: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CarecastInputError([
      {
        source: path,
        message: `cannot read the file${code ? ` (${code})` : ''}`,
        fix: code === 'ENOENT' ? 'check the path and the file name' : 'check that the path is a readable file',
      },
    ]);
  }
  return decodeText(bytes);
}
