/**
 * End to end: examples/notebook.ipynb executed by real Jupyter (Debian's
 * `jupyter nbconvert --execute`) on the Deno kernel (deno 2.9.6 from the npm
 * registry, `deno jupyter --kernel`), as an analyst would run it. Every code
 * cell must run without an error, and the charts must come out as Vega-Lite
 * specifications with an SVG beside them. Run with `npm run test:e2e`;
 * skipped with a message when jupyter-nbconvert is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const NBCONVERT = process.env.JUPYTER_NBCONVERT ?? '/usr/bin/jupyter-nbconvert';
const haveJupyter = existsSync(NBCONVERT);
if (!haveJupyter) console.warn(`test/e2e/notebook.test.ts skipped: ${NBCONVERT} not found (apt-get install -y jupyter-nbconvert python3-nbclient python3-ipykernel)`);

interface Output {
  readonly output_type: string;
  readonly data?: Record<string, unknown>;
  readonly ename?: string;
  readonly evalue?: string;
  readonly text?: string | string[];
}
interface Cell {
  readonly cell_type: string;
  readonly outputs?: readonly Output[];
  readonly execution_count?: number | null;
}

describe.runIf(haveJupyter)('examples/notebook.ipynb in Jupyter with the Deno kernel', () => {
  it('runs every cell and displays the charts', () => {
    // the deno binary, fetched by npx like the Deno smoke test's
    const deno = execFileSync('npx', ['--yes', 'deno@2.9.6', 'eval', 'console.log(Deno.execPath())'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
    expect(existsSync(deno)).toBe(true);
    // a private kernelspec, so nothing outside the temporary folder is touched
    const dir = mkdtempSync(join(tmpdir(), 'carecast-jupyter-'));
    try {
      const spec = join(dir, 'kernels', 'deno-carecast');
      mkdirSync(spec, { recursive: true });
      writeFileSync(
        join(spec, 'kernel.json'),
        JSON.stringify({ argv: [deno, 'jupyter', '--kernel', '--conn', '{connection_file}'], display_name: 'Deno (carecast test)', language: 'typescript', env: { DENO_UNSTABLE_SLOPPY_IMPORTS: '1' } }),
      );
      const out = join(dir, 'executed.ipynb');
      const r = spawnSync(
        NBCONVERT,
        ['--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=deno-carecast', '--ExecutePreprocessor.timeout=180', '--output', out, join(ROOT, 'examples', 'notebook.ipynb')],
        { cwd: join(ROOT, 'examples'), encoding: 'utf8', timeout: 600_000, env: { ...process.env, JUPYTER_PATH: dir, JUPYTER_DATA_DIR: join(dir, 'data'), JUPYTER_RUNTIME_DIR: join(dir, 'runtime') } },
      );
      expect(r.status, r.stderr).toBe(0);
      const nb = JSON.parse(readFileSync(out, 'utf8')) as { cells: Cell[] };
      const code = nb.cells.filter((c) => c.cell_type === 'code');
      expect(code.length).toBeGreaterThanOrEqual(4);
      const outputs = code.flatMap((c) => c.outputs ?? []);
      expect(outputs.filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`)).toEqual([]);
      code.forEach((c, i) => expect(c.execution_count, `code cell ${i + 1} ran`).toBe(i + 1));
      const charts = outputs.filter((o) => o.data && 'application/vnd.vegalite.v5+json' in o.data);
      expect(charts.length).toBeGreaterThanOrEqual(2);
      for (const c of charts) {
        // nbformat keeps multi-line strings as lists of lines
        const svg = c.data?.['image/svg+xml'];
        expect((Array.isArray(svg) ? svg.join('') : String(svg)).trim()).toMatch(/^<svg[\s\S]*<\/svg>$/);
        const spec = c.data?.['application/vnd.vegalite.v5+json'] as { layer?: unknown[]; width?: number };
        expect(Array.isArray(spec.layer) && spec.layer.length).toBeGreaterThan(0);
        expect(spec.width).toBeGreaterThan(0);
      }
      const text = outputs.map((o) => (Array.isArray(o.text) ? o.text.join('') : (o.text ?? ''))).join('');
      expect(text).toMatch(/method: \w+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
