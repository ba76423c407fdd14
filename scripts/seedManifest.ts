/**
 * Record bundled files in `seeds/MANIFEST.json` (size and SHA-256 of each),
 * keeping the entries of files made by other commands.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeedManifestSchema, type SeedManifest } from '../src/data/dfe/bundled.js';

/**
 * The manifest text with these files' entries set (the others kept).
 *
 * @param seedsDir - the seeds folder
 * @param files - file name, the text that will be written, and a description
 * @returns the new MANIFEST.json text
 */
export function seedManifestWith(seedsDir: string, files: readonly (readonly [string, string, string])[]): string {
  const path = join(seedsDir, 'MANIFEST.json');
  const old: SeedManifest | undefined = existsSync(path) ? SeedManifestSchema.parse(JSON.parse(readFileSync(path, 'utf8'))) : undefined;
  const entries: SeedManifest['files'] = { ...(old?.files ?? {}) };
  for (const [name, text, description] of files) entries[name] = { bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex'), description };
  const manifest: SeedManifest = {
    description: 'Size and SHA-256 of each bundled data file in seeds/; the loaders refuse a file that does not match. Rebuilt by the commands that make the files.',
    command: 'npm run build:seeds (dfe-panel.json, ons-population.json); npx tsx benchmarks/make-dfe-calibration.ts (dfe-evidence.json, dfe-conformal.json); npx tsx benchmarks/make-dfe-global.ts (dfe-global.json); npm run build:system (dfe-system.json)',
    files: Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b))),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
