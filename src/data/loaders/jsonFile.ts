/**
 * Reading a JSON input file (cost model, scenarios, panel evidence) from a
 * path and checking it against a zod schema ({@link parseJsonWithSchema} in
 * `jsonText.ts`). The path form: Node only, kept out of the browser-safe
 * core.
 *
 * @module
 */
import { readFileSync, statSync } from 'node:fs';
import type { z } from 'zod';
import { CarecastInputError } from '../errors.js';
import { parseJsonWithSchema } from './jsonText.js';

/**
 * Read a JSON file and check it against a schema ({@link parseJsonWithSchema});
 * a missing file is reported as missing, not as bad JSON.
 *
 * @param path - the file
 * @param schema - the schema
 * @param what - what the file holds, for messages (e.g. `cost model`)
 * @param fix - the fix of problems that carry none
 * @returns the parsed, checked value
 * @throws CarecastInputError for a missing or unreadable file, bad JSON, or a value the schema rejects
 * @example
 * ```ts
 * const model = loadJsonFile('costs.json', CostModelFileSchema, 'cost model');
 * ```
 */
export function loadJsonFile<S extends z.ZodType>(path: string, schema: S, what: string, fix?: string): z.output<S> {
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CarecastInputError([
      {
        source: path,
        message: code === 'ENOENT' ? `no such file (the ${what})` : code === 'EISDIR' ? `a folder, not a ${what} file` : `cannot read the ${what}${code ? ` (${code})` : ''}`,
        fix: code === 'ENOENT' ? 'check the path and the file name' : `give the path of the ${what} JSON file`,
      },
    ]);
  }
  return parseJsonWithSchema(text, path, schema, fix);
}
