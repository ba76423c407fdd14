/**
 * Outputs are written all-or-nothing, checked on the real command line: the
 * move of the outputs from the temporary folder into `--out` fails part way
 * (the third of five files, injected by test/helpers/failMove.mjs as a disk
 * error), and the command must exit with code 2 naming `--out` and the
 * error, print no stack trace, put back the file it was replacing, and leave
 * nothing new in the folder (no output, no temporary folder).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const FAIL_MOVE = join(ROOT, 'test', 'helpers', 'failMove.mjs');
const EXAMPLES = join(ROOT, 'examples', 'data');

function run(args: readonly string[], cwd: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(TSX, ['--import', FAIL_MOVE, MAIN, ...args], { cwd, env: { ...process.env, CARECAST_DEBUG: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

describe('a failure while the outputs are moved into place', () => {
  it('exits 2 with no stack trace, restores the file it replaced and leaves nothing new', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'carecast-rollback-'));
    const out = join(cwd, 'out');
    mkdirSync(out);
    // an earlier run's CSV, which this run replaces (the first file moved)
    writeFileSync(join(out, 'derbyshire-costs.csv'), 'an earlier run\n');
    writeFileSync(join(out, 'notes.txt'), 'not carecast\u2019s\n');
    const args = ['costs', '--tidy', join(EXAMPLES, 'derbyshire-finance.csv'), '--la', 'Derbyshire', '--costs', join(EXAMPLES, 'derbyshire-costs.json'), '--paths', '200', '--out', 'out', '--xlsx', '--report'];
    const r = await run(args, cwd, { CARECAST_TEST_FAIL_MOVE: '3' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^carecast: out \[--out\]: cannot write the outputs there \(EIO\): .*derbyshire-costs-mix-chart\.svg.*Fix: check that the folder can be written/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    // the two files moved before the failure are taken back, the replaced one restored, the temporary folder gone
    expect(readdirSync(out).sort()).toEqual(['derbyshire-costs.csv', 'notes.txt']);
    expect(readFileSync(join(out, 'derbyshire-costs.csv'), 'utf8')).toBe('an earlier run\n');
    expect(readdirSync(cwd)).toEqual(['out']);
  }, 120_000);

  it('a folder that did not exist is not left behind', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'carecast-rollback-new-'));
    const args = ['costs', '--tidy', join(EXAMPLES, 'derbyshire-finance.csv'), '--la', 'Derbyshire', '--costs', join(EXAMPLES, 'derbyshire-costs.json'), '--paths', '200', '--out', 'new/out'];
    const r = await run(args, cwd, { CARECAST_TEST_FAIL_MOVE: '2' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot write the outputs there \(EIO\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(cwd)).toEqual([]);
  }, 120_000);

  it('without the failure the same run writes every file (the test injects the failure, not something else)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'carecast-rollback-ok-'));
    const args = ['costs', '--tidy', join(EXAMPLES, 'derbyshire-finance.csv'), '--la', 'Derbyshire', '--costs', join(EXAMPLES, 'derbyshire-costs.json'), '--paths', '200', '--out', 'out', '--xlsx', '--report'];
    const r = await run(args, cwd, { CARECAST_TEST_FAIL_MOVE: '0' });
    expect(r.status).toBe(0);
    expect(readdirSync(join(cwd, 'out')).sort()).toEqual(['derbyshire-costs-chart.svg', 'derbyshire-costs-mix-chart.svg', 'derbyshire-costs-report.html', 'derbyshire-costs.csv', 'derbyshire-costs.xlsx']);
  }, 120_000);
});
