/**
 * Where the bundled data files (`seeds/`: the DfE panel, the ONS
 * population, the calibrations and evidence, the council seeds and the
 * checksum manifest) come from, in Node: read from the package's `seeds/`
 * folder when first asked for.
 *
 * In the browser bundle (`carecast/browser`) this module is replaced by
 * `seedFiles.browser.ts`, which has the same functions: there the files are
 * data modules of the bundle, imported by {@link loadBundledData}. The
 * readers of the files (`loadDfePanel`, `loadSeed`, `loadDfeCalibration`,
 * ...) use only {@link seedFile}, so they are the same code in both.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CarecastInputError } from './errors.js';

/** The folder holding the seed JSON files (works from `src/` and `dist/`). */
export const SEEDS_DIR: string = fileURLToPath(new URL('../../seeds/', import.meta.url));

/** A bundled file's bytes and their SHA-256. */
export interface SeedFileContent {
  /** The file's bytes. */
  readonly bytes: Uint8Array;
  /** The SHA-256 of the bytes, lower-case hex. */
  readonly sha256: string;
}

/**
 * A bundled data file: its bytes and their SHA-256 (checked against
 * `seeds/MANIFEST.json` by the readers that need it). In Node the file is
 * read from `seeds/` at each call (the readers cache what they parse).
 *
 * @param file - the file name in `seeds/`, e.g. `dfe-panel.json`
 * @returns the bytes and their SHA-256
 * @throws `CarecastInputError` when the file cannot be read
 * @example
 * ```ts
 * seedFile('dfe-evidence.json').sha256; // compare with seeds/MANIFEST.json
 * ```
 */
export function seedFile(file: string): SeedFileContent {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(`${SEEDS_DIR}${file}`);
  } catch (e) {
    throw new CarecastInputError([{ source: `seeds/${file}`, message: `cannot read it: ${(e as Error).message}`, fix: 'reinstall carecast, or rebuild the seeds with npm run build:seeds' }]);
  }
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * Make the bundled data files ready for the synchronous readers
 * (`loadDfePanel`, `loadDfePanelArea`, `loadSeed`, `loadDfeCalibration`,
 * `loadDfeEvidence`, `loadOnsPopulation`, and `forecast` where it uses the
 * bundled calibration). In Node there is nothing to do (the files are read
 * from disk when first used), so code written for both Node and the
 * browser can call it unconditionally; in the browser bundle it imports the
 * files' data modules and checks them against `seeds/MANIFEST.json`.
 *
 * @param files - the files to make ready (default: all of them)
 * @returns the names of the files made ready (in Node, the names given, or none)
 * @example
 * ```ts
 * await loadBundledData();                  // in a browser: before the first loadDfePanelArea
 * const derby = loadDfePanelArea('Derby');
 * ```
 */
export async function loadBundledData(files?: readonly string[]): Promise<readonly string[]> {
  return files ?? [];
}
