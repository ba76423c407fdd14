/**
 * The bundled seed files (seeds/derbyshire.json, seeds/derby.json): they
 * validate against the seed file schema, no two records describe the same
 * figure, and every published number can be found on the line of the source
 * document the record cites. The cited lines are kept, as published, in
 * test/fixtures/seed-docs/<document>.lines.json (with each document's sha256
 * and line count), cut from the council documents by
 * scripts/cut-fixtures-seed-docs.ts.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SeedFileSchema, type SeedFile, type SeedRecord } from '../../src/data/seedFile.js';

const SEEDS_DIR = fileURLToPath(new URL('../../seeds/', import.meta.url));
const DOCS_DIR = fileURLToPath(new URL('../fixtures/seed-docs/', import.meta.url));
const SEED_NAMES = ['derbyshire', 'derby'] as const;
type Name = (typeof SEED_NAMES)[number];

function readSeed(name: Name): SeedFile {
  const text = readFileSync(`${SEEDS_DIR}${name}.json`, 'utf8');
  return SeedFileSchema.parse(JSON.parse(text));
}

const seeds: Record<Name, SeedFile> = { derbyshire: readSeed('derbyshire'), derby: readSeed('derby') };

/** The identity of a figure: measure, kind, unit, frequency, period and breakdown. */
function recordKey(r: SeedRecord): string {
  const bd = Object.entries(r.breakdown)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([r.measure, r.kind, r.unit, r.frequency, r.year, r.quarter ?? null, bd]);
}

/** A document's fixture: checksum, line count and the cited lines' text by line number. */
interface DocLines {
  file: string;
  sha256: string;
  lines: number;
  cited: Record<string, string>;
}
const docLines = new Map<string, DocLines | undefined>();
function docOf(file: string): DocLines | undefined {
  if (!docLines.has(file)) {
    const path = `${DOCS_DIR}${file}.lines.json`;
    docLines.set(file, existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as DocLines) : undefined);
  }
  return docLines.get(file);
}
const RECUT = 're-run scripts/cut-fixtures-seed-docs.ts against the documents';
/** The text of a cited line, or why it cannot be read. */
function lineOf(file: string, line: number): { text: string } | { problem: string } {
  const doc = docOf(file);
  if (!doc) return { problem: `no fixture for the document (${RECUT})` };
  if (line > doc.lines) return { problem: `no such line (the document has ${doc.lines})` };
  const text = doc.cited[String(line)];
  return text === undefined ? { problem: `line not in the fixture: a new citation? (${RECUT})` } : { text };
}

/** Numeric tokens on a line: thousands separators, decimals; £ and % are ignored. */
const NUMBER = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g;
function numbersOn(text: string): number[] {
  return (text.match(NUMBER) ?? []).map((t) => Number(t.replace(/,/g, '')));
}

/** Whether a value (a share as a percentage) is printed on a line. */
function printedOn(value: number, unit: string, text: string): boolean {
  const target = unit === 'share' ? value * 100 : value;
  return numbersOn(text).some((n) => Math.abs(n - target) < 1e-6);
}

function isDerived(note: string | undefined): boolean {
  return note !== undefined && /^derived\b/i.test(note);
}

function where(r: { source: string; line: number }): string {
  return `${r.source}:${r.line}`;
}

describe.each(SEED_NAMES)('seeds/%s.json', (name) => {
  const seed = seeds[name];

  it('validates against SeedFileSchema and has records', () => {
    expect(seed.name).toBe(name);
    expect(seed.records.length).toBeGreaterThan(50);
    expect(seed.documents.length).toBeGreaterThan(0);
  });

  it('has no two records with the same measure, kind, unit, frequency, period and breakdown', () => {
    const seen = new Map<string, SeedRecord>();
    const dups: string[] = [];
    for (const r of seed.records) {
      const k = recordKey(r);
      const prior = seen.get(k);
      if (prior) dups.push(`${k} at ${where(prior)} and ${where(r)}`);
      else seen.set(k, r);
    }
    expect(dups).toEqual([]);
  });

  it('cites only its listed documents, with sensible values', () => {
    const files = new Set(seed.documents.map((d) => d.file));
    const bad: string[] = [];
    for (const r of seed.records) {
      if (!files.has(r.source)) bad.push(`${where(r)}: source not in documents`);
      for (const a of r.alsoIn ?? []) if (!files.has(a.source)) bad.push(`${where(a)}: alsoIn source not in documents`);
      if (r.value === null && !r.suppressed) bad.push(`${where(r)}: null without suppression`);
      if (r.unit === 'share' && r.value !== null && (r.value < 0 || r.value > 1)) bad.push(`${where(r)}: share ${r.value} outside [0, 1]`);
      if (r.value !== null && r.value < 0) bad.push(`${where(r)}: negative value ${r.value}`);
    }
    for (const p of seed.projections) if (!files.has(p.source)) bad.push(`${where(p)}: projection source not in documents`);
    expect(bad).toEqual([]);
  });

  it('has a fixture of the cited lines for each of its documents', () => {
    for (const d of seed.documents) {
      const doc = docOf(d.file);
      expect(doc, d.file).toBeDefined();
      expect(doc?.file).toBe(d.file);
      expect(doc?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(doc?.lines).toBeGreaterThan(0);
      for (const [n, text] of Object.entries(doc?.cited ?? {})) {
        expect(Number(n)).toBeLessThanOrEqual(doc?.lines ?? 0);
        expect(text).not.toMatch(/\n/);
      }
    }
  });

  it('every published number appears on the cited line of its source document', () => {
    const missing: string[] = [];
    const check = (value: number | null, unit: string, source: string, line: number, marker: string | undefined, what: string) => {
      const got = lineOf(source, line);
      if ('problem' in got) {
        missing.push(`${what} ${source}:${line}: ${got.problem}`);
        return;
      }
      const text = got.text;
      if (value === null) {
        if (marker !== undefined && !text.toLowerCase().includes(marker.toLowerCase())) {
          missing.push(`${what} ${source}:${line}: suppression marker "${marker}" not on line: ${text.trim()}`);
        }
        return;
      }
      if (!printedOn(value, unit, text)) missing.push(`${what} ${source}:${line}: ${value} not on line: ${text.trim()}`);
    };
    let checked = 0;
    for (const r of seed.records) {
      const what = `${r.measure} ${JSON.stringify(r.breakdown)} ${r.year}${r.quarter ? `Q${r.quarter}` : ''}`;
      if (!isDerived(r.note)) {
        check(r.value, r.unit, r.source, r.line, r.suppressed?.marker, what);
        checked++;
      }
      for (const a of r.alsoIn ?? []) {
        if (isDerived(a.note)) continue;
        check(a.value, r.unit, a.source, a.line, r.suppressed?.marker, `${what} (alsoIn)`);
        checked++;
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(seed.records.length * 0.9);
  });

  it('every projection quotes its cited line', () => {
    const bad: string[] = [];
    const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
    for (const p of seed.projections) {
      const got = lineOf(p.source, p.line);
      if ('problem' in got) bad.push(`${where(p)}: ${got.problem}`);
      else if (!squash(p.statement).includes(squash(got.text))) bad.push(`${where(p)}: statement does not quote the line`);
    }
    expect(bad).toEqual([]);
  });
});

function find(seed: SeedFile, measure: string, year: number, quarter?: number, breakdown: Record<string, string> = {}): SeedRecord | undefined {
  const want = JSON.stringify(Object.entries(breakdown).sort(([a], [b]) => a.localeCompare(b)));
  return seed.records.find(
    (r) =>
      r.measure === measure &&
      r.year === year &&
      r.quarter === quarter &&
      JSON.stringify(Object.entries(r.breakdown).sort(([a], [b]) => a.localeCompare(b))) === want,
  );
}

describe('key published figures', () => {
  const dy = seeds.derbyshire;
  const dc = seeds.derby;

  it('Derbyshire children in care at 31 March', () => {
    const expected: Record<number, number> = { 2018: 719, 2019: 802, 2020: 861, 2021: 899, 2022: 909, 2023: 995, 2024: 1057 };
    for (const [year, value] of Object.entries(expected)) {
      const r = find(dy, 'children_in_care', Number(year));
      expect(r?.value, `Derbyshire ${year}`).toBe(value);
      expect(r?.frequency).toBe('annual');
    }
  });

  it('Derbyshire starters, leavers, capacity and the 1373-by-2028 projection', () => {
    expect(find(dy, 'started', 2023)?.value).toBe(482);
    expect(find(dy, 'ceased', 2023)?.value).toBe(403);
    expect(find(dy, 'internal_homes', 2024)?.value).toBe(12);
    expect(find(dy, 'internal_beds', 2024)?.value).toBe(47);
    expect(find(dy, 'foster_carers', 2024)?.value).toBe(230);
    expect(find(dy, 'children_with_internal_foster_carers', 2024)?.value).toBe(322);
    expect(find(dy, 'weekly_cost', 2025, undefined, { placementType: 'secure', bound: 'low' })?.value).toBe(9263);
    expect(find(dy, 'weekly_cost', 2025, undefined, { placementType: 'secure', bound: 'high' })?.value).toBe(11830);
    const p = dy.projections.find((x) => x.targetYear === 2028 && x.value === 1373);
    expect(p?.baseYear).toBe(2023);
    expect(p?.percentChange).toBe(38);
  });

  it('Derby quarterly dashboard totals', () => {
    expect(find(dc, 'children_in_care', 2024, 4)?.value).toBe(598);
    expect(find(dc, 'children_in_care', 2022, 3)?.value).toBe(637);
    expect(find(dc, 'children_in_care', 2023, 4)?.value).toBe(620);
    expect(find(dc, 'started', 2024, 4)?.value).toBe(82);
    expect(find(dc, 'ceased', 2024, 4)?.value).toBe(78);
    expect(find(dc, 'children_in_care', 2024, 4, { placement: 'fostering' })?.value).toBe(427);
    expect(find(dc, 'children_in_care', 2024, 4, { uasc: 'uasc' })?.value).toBe(48);
    expect(find(dc, 'children_in_care', 2024)?.value).toBe(598);
  });
});
