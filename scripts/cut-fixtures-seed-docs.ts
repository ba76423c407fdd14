/**
 * Cut the seed-document fixtures (test/fixtures/seed-docs/) from the council
 * documents in ../shared/seeds/ that the bundled seeds (seeds/<name>.json)
 * cite by file and line.
 *
 * For each document listed by a seed, `<file>.lines.json` holds the
 * document's sha256 and line count and, for every line a seed cites (a
 * record, an `alsoIn` entry or a published projection), the line's exact
 * text, keyed by its 1-based number (lines split on `\n` only, as sed and
 * grep count them). test/seeds/seed-files.test.ts checks every seed value
 * against these lines, so a wrong value fails there; a citation of a line
 * that is not in the fixture fails too, until this script is re-run against
 * the documents (and then the value check decides).
 *
 * Usage: npx tsx scripts/cut-fixtures-seed-docs.ts [documents-folder]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SeedFileSchema } from '../src/data/seedFile.js';
import { SEED_NAMES } from '../src/data/seeds.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOCS = process.argv[2] ?? join(ROOT, '..', 'shared', 'seeds');
const OUT = join(ROOT, 'test', 'fixtures', 'seed-docs');

/** A document's fixture: its checksum and size, and the cited lines' text. */
interface DocLines {
  file: string;
  title: string;
  sha256: string;
  /** Lines in the document (a final newline ends the last line; it does not start another). */
  lines: number;
  /** The cited lines, by 1-based line number. */
  cited: Record<string, string>;
  /** Which seeds cite the document. */
  citedBy: string[];
}

const docs = new Map<string, DocLines>();
const cites = new Map<string, Set<number>>();
for (const name of SEED_NAMES) {
  const seed = SeedFileSchema.parse(JSON.parse(readFileSync(join(ROOT, 'seeds', `${name}.json`), 'utf8')));
  for (const d of seed.documents) {
    const known = docs.get(d.file);
    if (known) known.citedBy.push(name);
    else docs.set(d.file, { file: d.file, title: d.title, sha256: '', lines: 0, cited: {}, citedBy: [name] });
  }
  const cite = (file: string, line: number) => {
    const set = cites.get(file) ?? new Set<number>();
    set.add(line);
    cites.set(file, set);
  };
  for (const r of seed.records) {
    cite(r.source, r.line);
    for (const a of r.alsoIn ?? []) cite(a.source, a.line);
  }
  for (const p of seed.projections) cite(p.source, p.line);
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
for (const doc of [...docs.values()].sort((a, b) => a.file.localeCompare(b.file))) {
  const text = readFileSync(join(DOCS, doc.file), 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  doc.sha256 = createHash('sha256').update(text).digest('hex');
  doc.lines = lines.length;
  const wanted = [...(cites.get(doc.file) ?? [])].sort((a, b) => a - b);
  for (const n of wanted) {
    if (n > lines.length) throw new Error(`${doc.file}:${n} is cited but the document has ${lines.length} lines`);
    doc.cited[String(n)] = lines[n - 1];
  }
  writeFileSync(join(OUT, `${doc.file}.lines.json`), `${JSON.stringify(doc, null, 2)}\n`);
  console.log(`${doc.file}: ${wanted.length} cited lines of ${doc.lines}`);
}
const stray = [...cites.keys()].filter((f) => !docs.has(f));
if (stray.length > 0) console.log(`cited but not listed in any seed's documents (the seed test reports these): ${stray.join(', ')}`);
const left = readdirSync(OUT).length;
console.log(`wrote ${left} files to ${relative(ROOT, OUT)}/`);
