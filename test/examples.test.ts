/**
 * The runnable examples run: each tsx script in examples/ exits 0 from a
 * scratch working folder and prints what the README says it prints.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function run(example: string): { status: number | null; stdout: string; stderr: string; files: string[] } {
  const cwd = mkdtempSync(join(tmpdir(), 'carecast-example-'));
  try {
    const r = spawnSync(TSX, [join(ROOT, 'examples', example)], { cwd, encoding: 'utf8', timeout: 60_000 });
    const out = join(cwd, 'out');
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, files: existsSync(out) ? readdirSync(out) : [] };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

describe('examples', () => {
  it('quick-start.ts: projections with bands for Derbyshire and a DfE LA', () => {
    const r = run('quick-start.ts');
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/80% band/);
    expect(r.stdout).toMatch(/2026 +[\d,]+ +[\d,]+-[\d,]+ +[\d,]+-[\d,]+/);
    expect(r.stdout).toMatch(/with pooled conformal bands/);
    expect(r.stdout).toMatch(/Panel evidence \(\d+ forecasts, \d+ LAs\) favours naive/);
  });

  it('derbyshire-placements.ts: the placement and provider mix with its caveats', () => {
    const r = run('derbyshire-placements.ts');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/fostering/i);
    expect(r.stdout).toMatch(/unallocated/);
  });

  it('finance-scenarios.ts: costs per financial year and the scenario comparison CSV', () => {
    const r = run('finance-scenarios.ts');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/20\d\d\/\d\d/);
    expect(r.files).toContain('finance-scenarios-comparison.csv');
  });
});
