/**
 * Where the bundled data files come from in the browser bundle
 * (`carecast/browser`), which uses this module in place of `seedFiles.ts`:
 * each file of `seeds/` is a data module of the bundle (its text, in a chunk
 * of its own), imported when {@link loadBundledData} asks for it, so loading
 * the bundle stays quick and a page fetches only the files it uses. The
 * bundle's build checks every file against `seeds/MANIFEST.json`, and
 * {@link loadBundledData} checks them again (SHA-256 by Web Crypto), as Node
 * does when it reads them from disk.
 *
 * The readers (`loadDfePanel`, `loadSeed`, `loadDfeCalibration`, ...) are
 * synchronous, as in Node: call `await loadBundledData()` once before them.
 *
 * @module
 */
import SEED_MODULES from 'carecast-seed-modules';
import { CarecastInputError } from './errors.js';
import type { SeedFileContent } from './seedFiles.js';

export type { SeedFileContent } from './seedFiles.js';

const loaded = new Map<string, SeedFileContent>();

/** The Web Crypto digest, typed here (the library is compiled without the DOM types). */
interface SubtleDigest {
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}

function subtle(): SubtleDigest {
  const c = (globalThis as { crypto?: { subtle?: SubtleDigest } }).crypto;
  if (!c?.subtle) throw new Error('Web Crypto (crypto.subtle) is not available: open the page over https or from localhost');
  return c.subtle;
}

function hex(buf: ArrayBuffer): string {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A bundled data file: its bytes and their SHA-256 (checked against
 * `seeds/MANIFEST.json` by the readers that need it). In the browser the
 * file must have been loaded by {@link loadBundledData}.
 *
 * @param file - the file name in `seeds/`, e.g. `dfe-panel.json`
 * @returns the bytes and their SHA-256
 * @throws `CarecastInputError` when the file has not been loaded, or is not in the bundle
 * @example
 * ```ts
 * await loadBundledData(['dfe-evidence.json']);
 * seedFile('dfe-evidence.json').sha256;
 * ```
 */
export function seedFile(file: string): SeedFileContent {
  const got = loaded.get(file);
  if (got) return got;
  const known = Object.hasOwn(SEED_MODULES, file);
  throw new CarecastInputError([
    {
      source: `seeds/${file}`,
      message: known ? 'not loaded yet' : 'not in the bundle',
      fix: known
        ? `call await loadBundledData() (or loadBundledData(['${file}'])) once before using the bundled data`
        : `the bundled files are ${Object.keys(SEED_MODULES).join(', ')}`,
    },
  ]);
}

/**
 * Load the bundled data files for the synchronous readers
 * (`loadDfePanel`, `loadDfePanelArea`, `loadSeed`, `loadDfeCalibration`,
 * `loadDfeEvidence`, `loadOnsPopulation`, ...): import each file's data
 * module and check it against the size and SHA-256 recorded in
 * `seeds/MANIFEST.json` (files the manifest does not list, the council
 * seeds, are not checked, as in Node). Files already loaded are not loaded
 * again.
 *
 * @param files - the files to load (default: all of them)
 * @returns the names of the files loaded
 * @throws `CarecastInputError` (rejects) for a file not in the bundle, or one that does not match the manifest
 * @example
 * ```ts
 * await loadBundledData();                  // before the first loadDfePanelArea
 * const derby = loadDfePanelArea('Derby');
 * ```
 */
export async function loadBundledData(files?: readonly string[]): Promise<readonly string[]> {
  const names = files ?? Object.keys(SEED_MODULES);
  for (const f of names) {
    if (!Object.hasOwn(SEED_MODULES, f)) {
      throw new CarecastInputError([{ source: `seeds/${f}`, message: 'not in the bundle', fix: `the bundled files are ${Object.keys(SEED_MODULES).join(', ')}` }]);
    }
  }
  const wanted = ['MANIFEST.json', ...names.filter((f) => f !== 'MANIFEST.json')].filter((f) => !loaded.has(f));
  const encoder = new TextEncoder();
  const read = await Promise.all(
    wanted.map(async (f) => {
      const text = (await SEED_MODULES[f]()).default;
      const bytes = encoder.encode(text);
      return [f, { bytes, sha256: hex(await subtle().digest('SHA-256', bytes)) }] as const;
    }),
  );
  // check against the manifest before anything is kept
  const manifest = read.find(([f]) => f === 'MANIFEST.json')?.[1] ?? loaded.get('MANIFEST.json');
  const recorded = manifest ? (JSON.parse(new TextDecoder().decode(manifest.bytes)) as { files?: Record<string, { bytes: number; sha256: string }> }).files ?? {} : {};
  for (const [f, c] of read) {
    const entry = recorded[f];
    if (entry && (entry.sha256 !== c.sha256 || entry.bytes !== c.bytes.length)) {
      throw new CarecastInputError([
        {
          source: `seeds/${f}`,
          message: `${c.bytes.length} bytes, SHA-256 ${c.sha256}; seeds/MANIFEST.json records ${entry.bytes} bytes, ${entry.sha256}`,
          fix: 'the bundle has been changed: rebuild it (npm run build) or use an unchanged copy',
        },
      ]);
    }
  }
  for (const [f, c] of read) loaded.set(f, c);
  return names;
}
