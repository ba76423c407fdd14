/**
 * The bundled DfE panel (`seeds/dfe-panel.json`): read once per process,
 * on first use, checked against the checksum recorded in
 * `seeds/MANIFEST.json` and validated with its strict schema; each area is
 * decoded when first asked for. Also the checked reading of any bundled
 * file listed in the manifest.
 *
 * The files come from {@link seedFile}: read from disk in Node, data
 * modules of the bundle in a browser (after `loadBundledData()`); the checks
 * are the same.
 *
 * @module
 */
import { z } from 'zod';
import { CarecastInputError } from '../errors.js';
import { decodeText } from '../loaders/textInput.js';
import { seedFile } from '../seedFiles.js';
import { readDfePanelBundle } from './bundle.js';
import { dfePanelReader, type DfePanelReader } from './bundleDecode.js';

/** The file name of the bundled panel in `seeds/`. */
export const DFE_PANEL_FILE = 'dfe-panel.json';

/** The zod schema of `seeds/MANIFEST.json`: each bundled file's size and SHA-256. */
export const SeedManifestSchema = z.strictObject({
  description: z.string(),
  command: z.string(),
  files: z.record(
    z.string(),
    z.strictObject({
      bytes: z.number().int().positive(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      description: z.string(),
    }),
  ),
});

/** The parsed `seeds/MANIFEST.json`. */
export type SeedManifest = z.infer<typeof SeedManifestSchema>;

/**
 * Read `seeds/MANIFEST.json`.
 *
 * @returns the manifest
 * @throws `CarecastInputError` when it is missing or does not fit its schema
 * @example
 * ```ts
 * readSeedManifest().files['dfe-panel.json'].sha256;
 * ```
 */
export function readSeedManifest(): SeedManifest {
  let json: unknown;
  try {
    json = JSON.parse(decodeText(seedFile('MANIFEST.json').bytes));
  } catch (e) {
    throw new CarecastInputError([{ source: 'seeds/MANIFEST.json', message: `cannot read it: ${(e as Error).message}`, fix: 'reinstall carecast, or rebuild the seeds with npm run build:seeds' }]);
  }
  const parsed = SeedManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new CarecastInputError(parsed.error.issues.map((i) => ({ source: 'seeds/MANIFEST.json', field: i.path.join('.'), message: i.message, fix: 'rebuild the seeds with npm run build:seeds' })));
  }
  return parsed.data;
}

/**
 * Read a bundled seed file's bytes, checked against the size and SHA-256
 * recorded for it in `seeds/MANIFEST.json`.
 *
 * @param file - the file name in `seeds/`, e.g. `dfe-panel.json`
 * @returns the file's bytes
 * @throws `CarecastInputError` when the file is missing, not in the manifest, or does not match its checksum
 * @example
 * ```ts
 * const bytes = readCheckedSeedBytes('dfe-panel.json'); // throws if the file was changed
 * ```
 */
export function readCheckedSeedBytes(file: string): Uint8Array {
  const entry = readSeedManifest().files[file];
  if (!entry) throw new CarecastInputError([{ source: `seeds/${file}`, message: 'not listed in seeds/MANIFEST.json', fix: 'rebuild the seeds with npm run build:seeds' }]);
  const { bytes, sha256 } = seedFile(file);
  if (sha256 !== entry.sha256 || bytes.length !== entry.bytes) {
    throw new CarecastInputError([
      { source: `seeds/${file}`, message: `${bytes.length} bytes, SHA-256 ${sha256}; seeds/MANIFEST.json records ${entry.bytes} bytes, ${entry.sha256}`, fix: 'the bundled file has been changed: reinstall carecast, or rebuild the seeds with npm run build:seeds' },
    ]);
  }
  return bytes;
}

/**
 * Read a bundled seed file's text, checked against the size and SHA-256
 * recorded for it in `seeds/MANIFEST.json`.
 *
 * @param file - the file name in `seeds/`, e.g. `ons-population.json`
 * @returns the file's text
 * @throws `CarecastInputError` when the file is missing, not in the manifest, or does not match its checksum
 * @example
 * ```ts
 * const text = readCheckedSeed('ons-population.json'); // throws if the file was changed
 * ```
 */
export function readCheckedSeed(file: string): string {
  return decodeText(readCheckedSeedBytes(file));
}

let reader: DfePanelReader | undefined;

/**
 * The bundled panel file, read, checked against its checksum and its
 * schema, once per process; its areas are decoded when first asked for.
 *
 * @returns the reader of the bundled panel
 * @throws `CarecastInputError` when the file is missing, changed or invalid (a bad number in an area's data throws when that area is decoded)
 * @example
 * ```ts
 * bundledDfePanel().header.sources.map((s) => s.path); // ['dfe/sfr_la_cla_2011_2017/la_cla_31_march_2011.csv', ...]
 * bundledDfePanel().panel().series.get('Derby')?.childrenInCare.points.at(-1)?.value; // 598
 * ```
 */
export function bundledDfePanel(): DfePanelReader {
  if (!reader) {
    const source = `seeds/${DFE_PANEL_FILE}`;
    reader = dfePanelReader(readDfePanelBundle(readCheckedSeedBytes(DFE_PANEL_FILE), source), source);
  }
  return reader;
}
