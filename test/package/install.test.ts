/**
 * The package as a user gets it. `npm pack` builds and packs this working
 * tree; a scratch app in a temporary folder outside the repository, with its
 * own package.json, installs the tarball from the npm registry (npm's cache
 * first) and uses it every way the README promises: a plain ESM `.mjs`
 * importing the root and every subpath of the exports map, the `carecast`
 * bin through npm's shim, a `.ts` file and the README's quick start run by tsx, `tsc --noEmit` with
 * `moduleResolution` `nodenext` and `bundler` (strict, library checks on),
 * and Deno 2.9.6 importing the installed package; its vendored zod
 * (dist/vendor/zod.js) is the app's zod, of the same version, with the same
 * messages, composing with the app's own zod schemas. Then, more lightly, the
 * two other routes: `npm install git+file://` of a clean clone of HEAD, and
 * `npm install <folder>` of a checkout.
 *
 * Numbers are checked against the library run from this repository's
 * sources in this process (and the drift projection against a hand
 * calculation), and the bin's output against `tsx src/cli/main.ts`.
 *
 * Run with `npm run test:package` (about 2-3 minutes; not part of `npm test`).
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRun, ok, run, runAsync, type Run } from '../helpers/npm.js';
import { brokenDocLinks, importTarget, moduleSubpaths, selfRelativeReads } from '../helpers/packageFiles.js';
import { ENGLISH_MESSAGES, zodInteropExpected, zodInteropScript, type ZodInterop } from '../helpers/zodInterop.js';
import { VENDOR_FILE, zodUsesOf } from '../../scripts/vendorZod.mjs';
import { findSeries } from '../../src/data/breakdown.js';
import { loadSeed } from '../../src/data/seeds.js';
import { forecast } from '../../src/project/forecast.js';
import { simulateSeries } from '../../src/uncertainty/simulate.js';
import { projectSystemPanel } from '../../src/system/systemPanel.js';

const ROOT = realpathSync(fileURLToPath(new URL('../../', import.meta.url)));
const BIN = (name: string) => join(ROOT, 'node_modules', '.bin', name);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, unknown>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const SUBPATHS = moduleSubpaths(pkg.exports);
/** `carecast`, `carecast/danfo`, ... */
const SPECIFIERS = SUBPATHS.map((s) => (s === '.' ? pkg.name : `${pkg.name}/${s.replace(/^\.\//, '')}`));
const DENO = 'deno@2.9.6';
// one series (--method evidence: the single-series default), whose numbers a hand calculation checks below;
// the whole-system run is checked through the shim with its files
const CLI_ARGS = ['project', '--seed', 'derbyshire', '--to', '2030', '--method', 'evidence', '--no-write'];

const WORK = realpathSync(mkdtempSync(join(tmpdir(), 'carecast-package-')));
const APP = join(WORK, 'app');
let tarball = '';
let packed: { path: string; size: number; mode: number }[] = [];
let packSize = 0;
/** A clean clone of HEAD (for the git route). */
const CLONE = join(WORK, 'carecast-clone');
const APP_GIT = join(WORK, 'app-git');
/** The git+file install, started first and run alongside the tarball's checks (it takes the longest). */
let gitInstall: Promise<Run>;

/** Make a scratch app: a folder with its own package.json (ESM), outside the repository. */
function scratchApp(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `scratch-${posix.basename(dir)}`, private: true, type: 'module' }, null, 2)}\n`);
  return dir;
}

/** Run node on a script in an app and parse the JSON it prints last. */
function nodeJson(app: string, file: string): unknown {
  const out = ok(process.execPath, [file], app, 120_000).trim().split('\n');
  return JSON.parse(out[out.length - 1]);
}

/** The library's modules for each subpath, loaded from this repository's sources (dist/x.js -> src/x.ts). */
async function sourceModules(): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const s of SUBPATHS) {
    const target = importTarget(pkg.exports[s]);
    if (!target) throw new Error(`exports["${s}"] has no import target`);
    // carecast/browser is the bundle of src/browser.ts (scripts/browserBundle.mjs)
    const src = join(ROOT, target.startsWith('./dist/browser/') ? 'src/browser.ts' : target.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
    out[s] = (await import(pathToFileURL(src).href)) as Record<string, unknown>;
  }
  return out;
}

/** The in-repo numbers the installed package must reproduce. */
function expectedDrift() {
  const p = forecast(findSeries(loadSeed('derbyshire').dataset, 'children_in_care'), { to: 2030, method: 'drift' });
  return JSON.parse(JSON.stringify({ method: p.method, years: p.years, point: p.point, intervals: p.intervals })) as unknown;
}

/**
 * The two worker-using jobs as consumer code: each runs if some subpath exports its function
 * (`maybe(name)`), in this thread and on 2 workers; at least one must run.
 */
const WORKER_JOBS = `
const ds = loadSeed('derbyshire').dataset;
const base = { stock: findSeries(ds, 'children_in_care'), started: findSeries(ds, 'started'), ceased: findSeries(ds, 'ceased') };
const specs = [
  { id: 'cic', series: base.stock.points.map((p) => p.value), method: 'drift' },
  { id: 'started', series: base.started.points.map((p) => p.value), method: 'naive' },
];
const workers = {};
const simulateSeries = maybe('simulateSeries');
if (simulateSeries) {
  const simOpts = { horizon: 5, paths: 400, seed: 3 };
  const sim0 = await simulateSeries(specs, { ...simOpts, workers: 0 });
  const sim2 = await simulateSeries(specs, { ...simOpts, workers: 2 });
  workers.simulate = {
    workers: sim2.workers,
    same: sim2.series.every((s, i) => s.paths.values.every((v, j) => v === sim0.series[i].paths.values[j])),
    mean: sim0.series.map((s) => s.bands.mean),
  };
}
const projectSystemPanel = maybe('projectSystemPanel');
if (projectSystemPanel) {
  const items = [{ area: 'Derbyshire', input: base }];
  const panelOpts = { to: 2028, paths: 200, seed: 5 };
  const panel0 = await projectSystemPanel(items, { ...panelOpts, workers: 0 });
  const panel2 = await projectSystemPanel(items, { ...panelOpts, workers: 2 });
  workers.panel = { same: JSON.stringify(panel2) === JSON.stringify(panel0), result: panel0 };
}
`;

beforeAll(() => {
  // the scratch folders are outside the repository
  expect(relative(ROOT, WORK).startsWith('..')).toBe(true);
  ok('git', ['clone', '--quiet', ROOT, CLONE], WORK);
  scratchApp(APP_GIT);
  gitInstall = runAsync('npm', ['install', `git+${pathToFileURL(CLONE).href}`], APP_GIT, 500_000);
  const packDir = join(WORK, 'pack');
  mkdirSync(packDir);
  // npm pack runs prepare (scripts/build.mjs): a fresh build of this working tree
  const info = JSON.parse(ok('npm', ['pack', '--json', '--pack-destination', packDir], ROOT)) as { filename: string; size: number; files: { path: string; size: number; mode: number }[] }[];
  tarball = join(packDir, info[0].filename);
  packed = info[0].files;
  packSize = info[0].size;
  scratchApp(APP);
  // the consumer's own toolchain: @types/node as any Node project has (carecast's types mention Node's)
  ok('npm', ['install', tarball, `@types/node@${pkg.devDependencies['@types/node']}`], APP);
}, 300_000);

afterAll(async () => {
  await gitInstall;
  rmSync(WORK, { recursive: true, force: true });
}, 500_000);

describe('the packed tarball, installed in a scratch app', () => {
  it('is the build, the bundled data, README.md, the guides, LICENSE and package.json; the bin is executable', () => {
    const paths = packed.map((f) => f.path);
    console.log(`tarball: ${paths.length} files, ${(packSize / 1024).toFixed(0)} kB packed, ${(packed.reduce((a, f) => a + f.size, 0) / 1024).toFixed(0)} kB unpacked`);
    expect(paths).toContain('dist/index.js');
    expect(paths).toContain('dist/cli/main.js');
    expect(paths).toContain('README.md');
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('docs/guides/cli.md');
    expect(paths.filter((p) => /\.(map|tsbuildinfo)$|\.build-stamp$/.test(p))).toEqual([]);
    expect(paths.filter((p) => !/^(dist|seeds)\/|^docs\/guides\/[\w-]+\.md$/.test(p) && !['README.md', 'package.json', 'LICENSE'].includes(p))).toEqual([]);
    const installed = join(APP, 'node_modules', pkg.name);
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(statSync(join(installed, 'dist', 'cli', 'main.js')).mode & 0o111).toBe(0o111);
    expect(packSize).toBeLessThan(5 * 1024 * 1024);
  });

  it('its documents link only to files it ships', () => {
    const installed = join(APP, 'node_modules', pkg.name);
    expect(brokenDocLinks(packed.map((f) => f.path), (p) => readFileSync(join(installed, p), 'utf8'))).toEqual([]);
  });

  it('every path the installed library reads relative to its own location is inside the package and exists', () => {
    const installed = join(APP, 'node_modules', pkg.name);
    let reads = 0;
    for (const f of packed.map((x) => x.path).filter((p) => p.endsWith('.js'))) {
      const { urls, workers } = selfRelativeReads(readFileSync(join(installed, f), 'utf8'));
      for (const u of urls) {
        const target = join(installed, posix.dirname(f), u);
        expect(target.startsWith(installed + sep), `${f} reads ${u} outside the package`).toBe(true);
        expect(existsSync(target), `${f} reads ${u}, missing`).toBe(true);
        reads++;
      }
      for (const w of workers) {
        expect(existsSync(join(installed, 'dist', `${w}.js`)), `${f} starts worker ${w}`).toBe(true);
        reads++;
      }
    }
    expect(reads).toBeGreaterThanOrEqual(4);
  });

  it('a plain ESM .mjs imports the root and projects: drift for Derbyshire as by hand and as in the repository', () => {
    writeFileSync(
      join(APP, 'root.mjs'),
      `import { findSeries, forecast, loadSeed } from '${pkg.name}';
const p = forecast(findSeries(loadSeed('derbyshire').dataset, 'children_in_care'), { to: 2030, method: 'drift' });
console.log(JSON.stringify({ method: p.method, years: p.years, point: p.point, intervals: p.intervals }));
`,
    );
    const got = nodeJson(APP, 'root.mjs') as { method: string; years: number[]; point: number[] };
    // by hand: 719 children in 2018, 1,057 in 2024, so the drift is 338 / 6 a year from 1,057
    expect(got.years).toEqual([2025, 2026, 2027, 2028, 2029, 2030]);
    got.point.forEach((v, i) => expect(v).toBeCloseTo(1057 + ((i + 1) * 338) / 6, 9));
    expect(got).toEqual(expectedDrift());
  });

  it('every subpath of the exports map loads with the names of its source module; the danfo adapter and the worker threads run from dist/', async () => {
    const sources = await sourceModules();
    const imports = SPECIFIERS.map((s, i) => `import * as m${i} from '${s}';`).join('\n');
    writeFileSync(
      join(APP, 'subpaths.mjs'),
      `${imports}
const mods = [${SPECIFIERS.map((_, i) => `m${i}`).join(', ')}];
const maybe = (name) => mods.find((x) => typeof x[name] === 'function')?.[name];
const pick = (name) => { const f = maybe(name); if (!f) throw new Error('no subpath exports ' + name); return f; };
const loadSeed = pick('loadSeed');
const findSeries = pick('findSeries');
const forecast = pick('forecast');
const projectionFrame = pick('projectionFrame');
class DataFrame { constructor(rows) { this.rows = rows; } }
const frame = projectionFrame(forecast(findSeries(loadSeed('derbyshire').dataset, 'children_in_care'), { to: 2026, method: 'naive' }), { DataFrame });
${WORKER_JOBS}
console.log(JSON.stringify({ names: mods.map((m) => Object.keys(m).sort()), frameRows: frame.rows, workers }));
`,
    );
    const got = nodeJson(APP, 'subpaths.mjs') as { names: string[][]; frameRows: Record<string, unknown>[]; workers: Record<string, unknown> };
    expect(got.names).toEqual(SUBPATHS.map((s) => Object.keys(sources[s]).sort()));
    got.names.forEach((n, i) => expect(n.length, SPECIFIERS[i]).toBeGreaterThan(0));
    // naive from 1,057: the frame holds the history and the two projected years
    const projected = got.frameRows.filter((r) => r.type === 'forecast');
    expect(projected.map((r) => [r.year, r.point])).toEqual([
      [2025, 1057],
      [2026, 1057],
    ]);
    // workers load their compiled entries and give the numbers of one thread and of the sources
    const w = got.workers as {
      simulate?: { workers: number; same: boolean; mean: number[][] };
      panel?: { same: boolean; result: unknown };
    };
    expect(Object.keys(w).length, 'some subpath exports simulateSeries or projectSystemPanel').toBeGreaterThan(0);
    const ds = loadSeed('derbyshire').dataset;
    const base = { stock: findSeries(ds, 'children_in_care'), started: findSeries(ds, 'started'), ceased: findSeries(ds, 'ceased') };
    if (w.simulate) {
      expect(w.simulate.workers).toBe(2);
      expect(w.simulate.same).toBe(true);
      const sim = await simulateSeries(
        [
          { id: 'cic', series: base.stock.points.map((p) => p.value as number), method: 'drift' },
          { id: 'started', series: base.started.points.map((p) => p.value as number), method: 'naive' },
        ],
        { horizon: 5, paths: 400, seed: 3, workers: 0 },
      );
      expect(w.simulate.mean).toEqual(sim.series.map((s) => s.bands?.mean));
    }
    if (w.panel) {
      expect(w.panel.same).toBe(true);
      const panel = await projectSystemPanel([{ area: 'Derbyshire', input: base }], { to: 2028, paths: 200, seed: 5, workers: 0 });
      expect(w.panel.result).toEqual(JSON.parse(JSON.stringify(panel)));
    }
  }, 120_000);

  it('the carecast bin runs through npm\u2019s shim: --version, a projection as the sources print it, and files written', () => {
    expect(ok('npx', ['carecast', '--version'], APP).trim()).toBe(pkg.version);
    expect(ok(join(APP, 'node_modules', '.bin', 'carecast'), ['--version'], APP).trim()).toBe(pkg.version);
    const installed = ok('npx', ['carecast', ...CLI_ARGS], APP);
    const fromSource = ok(BIN('tsx'), [join(ROOT, 'src', 'cli', 'main.ts'), ...CLI_ARGS], WORK);
    expect(installed).toBe(fromSource);
    expect(installed).toMatch(/^carecast projection: Derbyshire, children in care at 31 March$/m);
    expect(installed).toMatch(/^2024 +1,057$/m);
    expect(installed).toMatch(/^2030 +[\d,]+ +[\d,]+-[\d,]+ +[\d,]+-[\d,]+$/m);
    const out = join(APP, 'out');
    const shim = join(APP, 'node_modules', '.bin', 'carecast');
    ok(shim, ['project', '--seed', 'derbyshire', '--to', '2030', '--out', out, '--report'], APP);
    expect(readdirSync(out).sort()).toEqual(['derbyshire-system-fan-chart.svg', 'derbyshire-system-projection.csv', 'derbyshire-system-report.html']);
    expect(readFileSync(join(out, 'derbyshire-system-fan-chart.svg'), 'utf8')).toMatch(/^<svg/);
    // bad input: exit 2 with the message, no stack trace
    const bad = run(shim, ['project', '--seed', 'derbyshire', '--to', 'soon'], APP);
    expect(bad.status, describeRun(bad)).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it("a .ts consumer and the README's quick start run with tsx and type-check with tsc --noEmit under nodenext and bundler (strict)", () => {
    const subImports = SPECIFIERS.slice(1).map((s, i) => `import * as sub${i} from '${s}';`).join('\n');
    const subCounts = SPECIFIERS.slice(1).map((_, i) => `Object.keys(sub${i}).length`).join(', ');
    writeFileSync(
      join(APP, 'consumer.ts'),
      `import { findSeries, forecast, loadSeed, type Projection } from '${pkg.name}';
${subImports}
const p: Projection = forecast(findSeries(loadSeed('derbyshire').dataset, 'children_in_care'), { to: 2030, method: 'drift' });
const first: number = p.point[0];
const subpathExports: number[] = [${subCounts}];
console.log(JSON.stringify({ first, subpathExports }));
`,
    );
    writeFileSync(
      join(APP, 'wrong.ts'),
      `import { forecast, findSeries, loadSeed } from '${pkg.name}';
const p = forecast(findSeries(loadSeed('derbyshire').dataset, 'children_in_care'), { to: 2030 });
export const notAString: string = p.point[0];
export const notAMethod = forecast(findSeries(loadSeed('derbyshire').dataset, 'children_in_care'), { to: 2030, method: 'crystal-ball' });
`,
    );
    // the README's integrator's quick start (its first TypeScript block), exactly as written
    const readmeBlock = /^```ts\n([\s\S]*?)^```$/m.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(readmeBlock, 'a ```ts block in the README').not.toBeNull();
    expect((readmeBlock as RegExpExecArray)[1]).toMatch(/from 'carecast';/);
    writeFileSync(join(APP, 'readme.ts'), (readmeBlock as RegExpExecArray)[1]);
    // nodenext checks carecast's own declaration files too (skipLibCheck off); bundler as most apps set it
    const tsconfig = (resolution: 'nodenext' | 'bundler') => ({
      compilerOptions: {
        strict: true,
        target: 'es2022',
        module: resolution === 'nodenext' ? 'nodenext' : 'preserve',
        moduleResolution: resolution,
        noEmit: true,
        skipLibCheck: resolution === 'bundler',
        types: ['node'],
      },
      files: ['consumer.ts', 'readme.ts', 'wrong.ts'],
    });
    for (const resolution of ['nodenext', 'bundler'] as const) {
      writeFileSync(join(APP, `tsconfig.${resolution}.json`), JSON.stringify(tsconfig(resolution)));
      const r = run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', `tsconfig.${resolution}.json`], APP);
      // consumer.ts and readme.ts compile; the types are real, so the two wrong uses in wrong.ts, and only they, fail
      const errors = r.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
      expect(errors.length, `${resolution}: ${describeRun(r)}`).toBe(2);
      expect(errors[0]).toMatch(/^wrong\.ts\(3,14\): error TS2322: Type 'number' is not assignable to type 'string'/);
      expect(errors[1]).toMatch(/^wrong\.ts\(4,\d+\): error TS2322: Type '"crystal-ball"' is not assignable/);
    }
    // tsx runs the same file
    const out = ok(BIN('tsx'), ['consumer.ts'], APP).trim().split('\n');
    const got = JSON.parse(out[out.length - 1]) as { first: number; subpathExports: number[] };
    expect(got.first).toBeCloseTo(1057 + 338 / 6, 9);
    got.subpathExports.forEach((n) => expect(n).toBeGreaterThan(0));
    // the README's quick start prints, installed, what examples/readme-quick-start.ts prints from the sources
    const fromSource = ok(BIN('tsx'), [join(ROOT, 'examples', 'readme-quick-start.ts')], WORK);
    const installed = ok(BIN('tsx'), ['readme.ts'], APP);
    expect(installed).toMatch(/^Derby, children in care at 31 March\. /);
    expect(installed).toBe(fromSource);
  });

  it('runs zod from its vendored file, the version the app installs for the types: the same messages and issues as the sources, composing with the app\u2019s own zod', () => {
    const installed = join(APP, 'node_modules', pkg.name);
    // the zod npm installed with carecast (its types; the app's `import { z } from 'zod'` finds it too)
    const zodPkg = createRequire(join(installed, 'package.json')).resolve('zod/package.json');
    expect(createRequire(join(APP, 'package.json')).resolve('zod/package.json')).toBe(zodPkg);
    expect((JSON.parse(readFileSync(zodPkg, 'utf8')) as { version: string }).version).toBe(pkg.dependencies.zod);
    expect(readFileSync(join(installed, 'dist', VENDOR_FILE), 'utf8').startsWith(`/*! zod ${pkg.dependencies.zod} (https://zod.dev)`)).toBe(true);
    // no installed module imports the zod package
    for (const f of packed.map((x) => x.path).filter((p) => p.endsWith('.js') && p !== `dist/${VENDOR_FILE}`)) {
      expect(zodUsesOf(ts, readFileSync(join(installed, f), 'utf8'), f), f).toEqual({ imports: [], members: [], problems: [] });
    }
    writeFileSync(join(APP, 'zod-interop.mjs'), zodInteropScript(pkg.name, `${pkg.name}/data`));
    const got = nodeJson(APP, 'zod-interop.mjs') as ZodInterop;
    expect(got).toEqual(zodInteropExpected(pkg.dependencies.zod));
    expect((got.alone as { message: string }[]).map((i) => i.message)).toEqual(expect.arrayContaining(ENGLISH_MESSAGES));
  });

  it('Deno 2.9.6 imports the installed package from node_modules', () => {
    writeFileSync(
      join(APP, 'deno.mjs'),
      `${SPECIFIERS.map((s, i) => `import * as m${i} from '${s}';`).join('\n')}
const mods = [${SPECIFIERS.map((_, i) => `m${i}`).join(', ')}];
const pick = (name) => { const m = mods.find((x) => typeof x[name] === 'function'); if (!m) throw new Error('no subpath exports ' + name); return m[name]; };
const { findSeries, forecast, loadSeed } = m0;
const p = forecast(findSeries(loadSeed('derbyshire').dataset, 'children_in_care'), { to: 2030, method: 'drift' });
const svg = await pick('renderSvg')(pick('fanChartSpec')(p));
console.log(JSON.stringify({ drift: { method: p.method, years: p.years, point: p.point, intervals: p.intervals }, svg: svg.slice(0, 4), subpaths: mods.map((m) => Object.keys(m).length) }));
`,
    );
    const r = run('npx', ['--yes', DENO, 'run', '--node-modules-dir=manual', '--allow-read', '--allow-env', '--allow-sys', 'deno.mjs'], APP, 180_000);
    expect(r.status, describeRun(r)).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const got = JSON.parse(lines[lines.length - 1]) as { drift: unknown; svg: string; subpaths: number[] };
    expect(got.drift).toEqual(expectedDrift());
    expect(got.svg).toBe('<svg');
    got.subpaths.forEach((n) => expect(n).toBeGreaterThan(0));
  }, 200_000);
});

/** Import the root and run the bin in an app where carecast is installed some other way. */
function checkImportAndBin(app: string): void {
  writeFileSync(join(app, 'root.mjs'), `import { findSeries, forecast, loadSeed } from '${pkg.name}';
const p = forecast(findSeries(loadSeed('derbyshire').dataset, 'children_in_care'), { to: 2030, method: 'drift' });
console.log(JSON.stringify({ method: p.method, years: p.years, point: p.point, intervals: p.intervals }));
`);
  expect(nodeJson(app, 'root.mjs')).toEqual(expectedDrift());
  expect(ok('npx', ['carecast', '--version'], app).trim()).toBe(pkg.version);
  // the default for children in care: panelGrowth with the bundled 2024 fit (w = 0, phi = 1): 1,057 x exp(6 x 0.00976) = 1,121
  expect(ok('npx', ['carecast', ...CLI_ARGS], app)).toMatch(/^2030 +1,121 +[\d,]+-[\d,]+ +[\d,]+-[\d,]+$/m);
}

describe('other install routes', () => {
  it('npm install <folder> of a checkout that has not run npm install fails, saying what to do', () => {
    // a clone of its own, which nothing else touches
    const bare = join(WORK, 'carecast-uninstalled');
    ok('git', ['clone', '--quiet', ROOT, bare], WORK);
    const app = scratchApp(join(WORK, 'app-uninstalled-folder'));
    const r = run('npm', ['install', bare], app);
    expect(r.status, `${describeRun(r)}\n--- ${bare}: ${readdirSync(bare).join(' ')}`).not.toBe(0);
    expect(r.stderr).toContain(`TypeScript is not installed in ${bare}; run \`npm install\` there first`);
  });

  it('npm install git+file:// of a clean clone of HEAD: npm builds it (prepare) and ships dist/', async () => {
    const r = await gitInstall;
    expect(r.status, describeRun(r)).toBe(0);
    const installed = join(APP_GIT, 'node_modules', pkg.name);
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'dist', 'index.d.ts'))).toBe(true);
    checkImportAndBin(APP_GIT);
  }, 500_000);

  it('npm install <folder> of a checkout with its own npm install done: a link to it, its dist/ rebuilt by prepare', () => {
    const app = scratchApp(join(WORK, 'app-folder'));
    ok('npm', ['install', ROOT], app);
    const installed = join(app, 'node_modules', pkg.name);
    expect(lstatSync(installed).isSymbolicLink()).toBe(true);
    expect(realpathSync(installed)).toBe(ROOT);
    checkImportAndBin(app);
  }, 300_000);
});
