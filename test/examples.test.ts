/**
 * The runnable examples run: each tsx script in examples/ exits 0 from a
 * scratch working folder and prints what the README says it prints.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSeries, forecast, formatProjectionTable, loadDfePanelArea, loadSeed } from '../src/index.js';

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

/** The code of a TypeScript example without its leading doc comment, imported from 'carecast' as the README writes it. */
function asInReadme(example: string): string {
  return readFileSync(join(ROOT, 'examples', example), 'utf8')
    .replace(/^\/\*\*[\s\S]*?\*\/\n/, '')
    .replace("from '../src/index.js'", "from 'carecast'")
    .trim();
}

/** The fenced ```ts blocks of the README, in order. */
function readmeTsBlocks(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1].trim());
}

describe('examples', () => {
  it("readme-quick-start.ts is the README's first code block, and prints what the library gives", () => {
    // the README's integrator's quick start is this file (the README's first TypeScript block, same lines)
    expect(readmeTsBlocks()[0]).toBe(asInReadme('readme-quick-start.ts'));

    const r = run('readme-quick-start.ts');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');

    // Derby from the bundled DfE panel: one line per year, point and both bands, rounded
    const derby = loadDfePanelArea('Derby');
    const p = forecast(derby.childrenInCare, { to: 2030 });
    expect(p.years).toEqual([2025, 2026, 2027, 2028, 2029, 2030]);
    expect(lines[0]).toBe(`Derby, children in care at 31 March. ${p.summary}`);
    // what the bundled evidence picks for children in care, with its own pooled bands (the default for a global method)
    expect(p).toMatchObject({ method: 'panelGrowth', intervalMethod: 'analytic', requestedMethod: 'evidence', intervalBasis: { calibration: 'pooled', calibrationMethod: 'panelGrowth' } });
    const [b80, b95] = p.intervals;
    expect([b80.level, b95.level]).toEqual([80, 95]);
    const printed = lines.filter((l) => /^20\d\d \d+ 80%: \d+-\d+ 95%: \d+-\d+$/.test(l));
    expect(printed).toEqual(
      p.years.map((y, i) => `${y} ${Math.round(p.point[i])} 80%: ${Math.round(b80.lower[i])}-${Math.round(b80.upper[i])} 95%: ${Math.round(b95.lower[i])}-${Math.round(b95.upper[i])}`),
    );
    // the bands are real bands: each 80% band inside its 95% band, around the point, widening with the horizon
    // (the pooled spread of the bundled fit grows with the step)
    for (const i of p.years.keys()) {
      expect(b95.lower[i]).toBeLessThan(b80.lower[i]);
      expect(b80.lower[i]).toBeLessThan(p.point[i]);
      expect(b80.upper[i]).toBeLessThan(b95.upper[i]);
      if (i > 0) expect(b80.upper[i] - b80.lower[i]).toBeGreaterThan(b80.upper[i - 1] - b80.lower[i - 1]);
      if (i > 0) expect(b95.upper[i] - b95.lower[i]).toBeGreaterThan(b95.upper[i - 1] - b95.lower[i - 1]);
    }
    for (const c of p.caveats) expect(lines).toContain(`- ${c}`);

    // Derbyshire from its seed, the defaults: the table formatProjectionTable gives; then the series' own choice with analytic bands
    const cic = findSeries(loadSeed('derbyshire').dataset, 'children_in_care');
    const q = forecast(cic, { to: 2030 });
    expect(q).toMatchObject({ method: 'panelGrowth', intervalMethod: 'analytic', intervalBasis: { calibration: 'pooled' } });
    expect(r.stdout).toContain(`Derbyshire: ${q.summary}\n${formatProjectionTable(q)}\n`);
    expect(r.stdout).toMatch(/^2024 +1,057$/m);
    expect(lines).toContain(forecast(cic, { to: 2030, method: 'auto', intervals: 'analytic' }).summary);
  });

  it('quick-start.ts: projections with bands for Derbyshire and a DfE LA', () => {
    const r = run('quick-start.ts');
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/80% band/);
    expect(r.stdout).toMatch(/2026 +[\d,]+ +[\d,]+-[\d,]+ +[\d,]+-[\d,]+/);
    expect(r.stdout).toMatch(/with pooled conformal bands/);
    expect(r.stdout).toMatch(/Panel evidence \(\d+ forecasts, \d+ LAs\) favours panelGrowth/);
  });

  it('derbyshire-placements.ts: the placement and provider mix with its caveats', () => {
    const r = run('derbyshire-placements.ts');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/fostering/i);
    expect(r.stdout).toMatch(/in-house \(own LA\)/);
    expect(r.stdout).toMatch(/residential \(homes, secure, semi-independent\) +2[0-9][0-9] +\+148%/);
  });

  it('finance-scenarios.ts: costs per financial year and the scenario comparison CSV', () => {
    const r = run('finance-scenarios.ts');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/20\d\d\/\d\d/);
    expect(r.files).toContain('finance-scenarios-comparison.csv');
  });
});
