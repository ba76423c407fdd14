/**
 * Cut the SSDA903 test fixtures (test/fixtures/ssda903/) from the synthetic
 * returns in ../shared/data/ssda903-synthetic/ (data-to-insight's
 * cs-demand-model samples, MIT licence; see ../shared/data/README.md).
 *
 * Which children are kept: every 8th child by ID (sorted as numbers), plus,
 * for each kind of repair the loader makes on the full returns (an episode
 * replaced by a later return, an overlap truncated, an open episode missing
 * from later returns...), the first child with it when no kept child has
 * one, so every repair the full data needs is still exercised. Every row of
 * a kept child is kept, byte for byte, in the files' own order, in files of
 * the same names; nothing else is changed. MANIFEST.json records the rule,
 * the children kept, and each file's row counts and sha256 before and after.
 *
 * The tests' numbers on the fixtures were recomputed from the cut files (see
 * test/data/ssda903.test.ts); re-cutting changes them.
 *
 * Usage: npx tsx scripts/cut-fixtures-ssda903.ts [source-folder]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSsda903Folder } from '../src/data/loaders/ssda903Folder.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = process.argv[2] ?? join(ROOT, '..', 'shared', 'data', 'ssda903-synthetic');
const OUT = join(ROOT, 'test', 'fixtures', 'ssda903');
const EVERY = 8;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
/** A data row's CHILD: the first field (the synthetic files are unquoted). */
const childOf = (line: string): string => line.slice(0, line.indexOf(','));

const files = readdirSync(SOURCE)
  .filter((f) => /\.csv$/i.test(f))
  .sort();
const texts = new Map(files.map((f) => [f, readFileSync(join(SOURCE, f), 'utf8')]));
for (const [f, text] of texts) {
  const head = text.split('\n')[0];
  if (!head.startsWith('CHILD,')) throw new Error(`${f}: the first column is not CHILD`);
  if (text.includes('"')) throw new Error(`${f}: quoted fields; this cut reads CHILD as the text before the first comma`);
}

const children = new Set<string>();
for (const text of texts.values()) {
  for (const line of text.split('\n').slice(1)) if (line.trim() !== '') children.add(childOf(line));
}
const sorted = [...children].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
const keep = new Set(sorted.filter((_, i) => i % EVERY === 0));

// every repair kind the full returns need stays exercised
const full = loadSsda903Folder(SOURCE, { area: 'Synthetic LA' });
const kinds = [...new Set(full.fixes.map((f) => f.kind))].sort();
const addedFor: Record<string, string> = {};
for (const kind of kinds) {
  const withKind = new Set(full.fixes.filter((f) => f.kind === kind).map((f) => f.child));
  if ([...keep].some((c) => withKind.has(c))) continue;
  const first = sorted.find((c) => withKind.has(c));
  if (first === undefined) continue;
  keep.add(first);
  addedFor[kind] = first;
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const manifestFiles: { file: string; sourceRows: number; rows: number; sourceSha256: string; sha256: string }[] = [];
for (const [f, text] of texts) {
  const lines = text.split('\n');
  const trailing = lines[lines.length - 1] === '' ? lines.pop() : undefined;
  const kept = [lines[0], ...lines.slice(1).filter((l) => l.trim() !== '' && keep.has(childOf(l)))];
  const cut = kept.join('\n') + (trailing === undefined ? '' : '\n');
  writeFileSync(join(OUT, f), cut);
  manifestFiles.push({ file: f, sourceRows: lines.length - 1, rows: kept.length - 1, sourceSha256: sha256(text), sha256: sha256(cut) });
}

const manifest = {
  description: 'SSDA903 test fixtures: every row of a subset of the children in the synthetic returns, unchanged',
  source: 'shared/data/ssda903-synthetic/ (data-to-insight cs-demand-model samples, combined; MIT licence): synthetic, one fake authority, a cohort that shrinks every year; for parsing and pipeline tests only',
  madeBy: 'scripts/cut-fixtures-ssda903.ts',
  rule: `every ${EVERY}th child by CHILD (sorted as numbers), plus the first child with each kind of repair the loader makes on the full returns when no kept child has one`,
  children: { source: sorted.length, kept: keep.size, addedForRepairKinds: addedFor },
  repairKindsInSource: kinds,
  files: manifestFiles,
  kept: [...keep].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
};
writeFileSync(join(OUT, 'MANIFEST.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`kept ${keep.size} of ${sorted.length} children; wrote ${files.length} files to ${relative(ROOT, OUT)}/`);
for (const m of manifestFiles) console.log(`  ${m.file}: ${m.rows} of ${m.sourceRows} rows`);
if (Object.keys(addedFor).length > 0) console.log(`  added for repair kinds: ${JSON.stringify(addedFor)}`);
