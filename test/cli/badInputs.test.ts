/**
 * The error contract, case by case: a corpus of bad inputs
 * (test/fixtures/bad-inputs/, one JSON file per case: the arguments, the
 * files to put in a scratch folder, what the message must say), each run as
 * the real command line. Every case must exit with code 2, say what the case
 * expects (source, field, fix), print no stack trace, and write nothing: the
 * scratch folder is the same after the run as before it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const CORPUS = join(ROOT, 'test', 'fixtures', 'bad-inputs');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

/** A file of a case: text, lines, JSON, or rows repeated `times` (with `{i}` numbered) after a header. */
type CaseFile = string | readonly string[] | { readonly header: string; readonly repeat: readonly string[]; readonly times: number; readonly then?: readonly string[] } | object;

interface BadInputCase {
  /** What the case is, and what it did before. */
  readonly about: string;
  /** The command line (`{examples}` is the repository's examples/data). */
  readonly args: readonly string[];
  /** Files to create in the scratch folder. */
  readonly files?: Readonly<Record<string, CaseFile>>;
  /** Folders to create in the scratch folder. */
  readonly dirs?: readonly string[];
  /** Regular expressions the standard error must match. */
  readonly stderr: readonly string[];
  /** Text the standard error must not contain. */
  readonly notStderr?: readonly string[];
  /** The longest standard error allowed, in characters. */
  readonly maxStderr?: number;
}

function contentOf(f: CaseFile): string {
  if (typeof f === 'string') return f;
  if (Array.isArray(f) && f.every((x) => typeof x === 'string')) return `${f.join('\n')}\n`;
  if (typeof f === 'object' && f !== null && 'repeat' in f && 'times' in f) {
    const g = f as { header: string; repeat: string[]; times: number; then?: string[] };
    const rows = Array.from({ length: g.times }, (_, i) => g.repeat.map((r) => r.replace(/\{i\}/g, String(i + 1)))).flat();
    return `${[g.header, ...rows, ...(g.then ?? [])].join('\n')}\n`;
  }
  return `${JSON.stringify(f, null, 2)}\n`;
}

/** Every file and folder under a folder, with sizes, so that any write shows. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out.push(`${r}/`);
        walk(p, r);
      } else out.push(`${r} ${statSync(p).size} ${statSync(p).mtimeMs}`);
    }
  };
  walk(dir, '');
  return out.sort();
}

function run(args: readonly string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(TSX, [MAIN, ...args], { cwd, env: { ...process.env, CARECAST_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

const cases = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(CORPUS, f), 'utf8')) as BadInputCase] as const);

describe.concurrent('the error contract: bad input exits 2 with a message naming source, field and fix, no stack trace, nothing written', () => {
  it('has the corpus', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const [name, c] of cases) {
    it(`${name}: ${c.about}`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), `carecast-bad-${name}-`));
      for (const d of c.dirs ?? []) mkdirSync(join(cwd, d), { recursive: true });
      for (const [f, content] of Object.entries(c.files ?? {})) {
        mkdirSync(dirname(join(cwd, f)), { recursive: true });
        writeFileSync(join(cwd, f), contentOf(content));
      }
      const before = snapshot(cwd);
      const r = await run(
        c.args.map((a) => a.replace('{examples}', join(ROOT, 'examples', 'data'))),
        cwd,
      );
      expect(r.status, r.stderr).toBe(2);
      for (const re of c.stderr) expect(r.stderr).toMatch(new RegExp(re));
      for (const t of c.notStderr ?? []) expect(r.stderr).not.toContain(t);
      // no stack trace, no error class name from the runtime
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stderr).not.toMatch(/\b(RangeError|TypeError|ReferenceError|SyntaxError|Error):/);
      if (c.maxStderr !== undefined) expect(r.stderr.length).toBeLessThanOrEqual(c.maxStderr);
      expect(r.stdout).toBe('');
      // nothing written: the folder is as it was
      expect(snapshot(cwd)).toEqual(before);
    }, 120_000);
  }
});
