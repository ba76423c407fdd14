/**
 * Benchmark: carecast in the browser (issue 16). Targets, in headless
 * Chromium on this machine: one LA's whole-system projection with bands
 * (from the bundled DfE panel) rendered in under 1 s; 100,000 SSDA903
 * episode rows parsed and fitted in under 2 s.
 *
 * The browser bundle is built from the sources with the example page
 * (examples/browser/build.mjs), served on 127.0.0.1, and opened in Debian's
 * Chromium (playwright-core). Its sizes (raw and gzip) are printed first.
 *
 * 1. The page (examples/browser/): for each LA in `--las` (default
 *    Derbyshire, Derby, Nottingham, Kent, Birmingham), the button is
 *    clicked and the time from the click to the projection table and the
 *    four Vega-Lite charts drawn is read (the page measures it:
 *    `projectSystem` to 2030 with 2,000 paths, 80% and 95% bands, 5
 *    placement and 4 provider groups; costs; table; charts). The first LA
 *    is the cold run (nothing compiled yet); then every LA `--runs` times
 *    (default 3), warm.
 * 2. 100,000 episode rows: generated in the page by `generateSyntheticEpisodes`
 *    (seed 42, as benchmarks/episodes-speed.ts; not timed) and made into
 *    `File` objects as a file input gives them; timed: `readSsda903Files`
 *    (decoding, CSV, checks, de-duplication, repair) and `fitMultiState`,
 *    one warm-up then the median of `--runs` (default 5). The same in Node
 *    (`readSsda903` on the texts) for the ratio.
 * 3. The same files as the example page reads them: `projectSsda903Files`
 *    (read, quality report, the episode model's system projection to 10
 *    years ahead with `--episode-paths` paths, default 200: the CLI's 2,000
 *    take about a minute for this LA of 10,575 children) in the page's thread,
 *    and in a Web Worker (`Ssda903Worker.project`, started and ready
 *    before the timing; the bytes read from the `File` objects and sent,
 *    the result sent back, included). For each, the longest the page's
 *    thread went without running a 10 ms timer (the page frozen for that
 *    long). The same call in Node for the ratio.
 *
 * Prints the machine, date, command, Chromium's version and each figure.
 *
 * Usage: `npx tsx benchmarks/browser-speed.ts [--runs 3] [--las "Derbyshire,Derby"] [--episode-paths 200]`
 *
 * @module
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { readSsda903 } from '../src/data/loaders/ssda903.js';
import { generateSyntheticEpisodes } from '../src/data/syntheticEpisodes.js';
import { createRng } from '../src/math/rng.js';
import { fitMultiState } from '../src/system/multiState.js';
import { projectSsda903Files } from '../src/system/ssda903Projection.js';
// @ts-expect-error: plain JavaScript of the example
import { buildExample } from '../examples/browser/build.mjs';
// @ts-expect-error: plain JavaScript of the example
import { serveStatic } from '../examples/browser/serve.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);
const RUNS = Number(opt('runs', '3'));
// the episode model simulates every child of a large LA (10,575 in care at the start here): at the CLI's
// 2,000 paths one projection takes about a minute, so this section runs fewer paths (say how many)
const EPISODE_PATHS = Number(opt('episode-paths', '200'));
const LAS = opt('las', 'Derbyshire,Derby,Nottingham,Kent,Birmingham').split(',');
const ROWS = 100_000;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install -y chromium, or set CHROMIUM_PATH)`);

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (v: number): string => v.toFixed(0);
const kb = (b: number): string => `${(b / 1024).toFixed(0)} KB`;

console.log(`# browser speed (issue 16), ${new Date().toISOString().slice(0, 10)}`);
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, ${os.platform()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`command: npx tsx benchmarks/browser-speed.ts ${args.join(' ')}`.trim());

const built = (await buildExample(ROOT)) as { carecast: { file: string; bytes: number; gzip: number }[]; atImport: { file: string; bytes: number; gzip: number }[]; vegaEmbed: number };
const sum = (xs: readonly { bytes: number; gzip: number }[]) => ({ bytes: xs.reduce((a, x) => a + x.bytes, 0), gzip: xs.reduce((a, x) => a + x.gzip, 0) });
const part = (pred: (f: string) => boolean) => sum(built.carecast.filter((s) => pred(s.file)));
const entry = part((f) => f === 'carecast.js');
const atImport = sum(built.atImport);
const eager = new Set(built.atImport.map((s) => s.file));
const seeds = part((f) => /^(dfe-|ons-|derby|MANIFEST)/.test(f));
const excel = part((f) => f.startsWith('exceljs'));
const rest = part((f) => !eager.has(f) && !/^(dfe-|ons-|derby|MANIFEST|exceljs)/.test(f) && f !== 'carecast-worker.js');
const all = sum(built.carecast);
console.log('\n## bundle (dist/browser/, minified ES modules)');
console.log(`carecast.js (the entry): ${entry.bytes} bytes, gzip ${entry.gzip}`);
console.log(`loaded by import: ${built.atImport.map((s) => s.file).join(', ')}: ${atImport.bytes} bytes, gzip ${atImport.gzip}`);
console.log(`bundled data (each file a chunk, loaded by loadBundledData): ${kb(seeds.bytes)}, gzip ${kb(seeds.gzip)}`);
console.log(`exceljs (loaded for the first workbook): ${kb(excel.bytes)}, gzip ${kb(excel.gzip)}; vega and vega-lite (loaded by renderSvg) and the worker's own: ${kb(rest.bytes)}, gzip ${kb(rest.gzip)}`);
console.log(`all files: ${built.carecast.length}, ${kb(all.bytes)}, gzip ${kb(all.gzip)}`);
for (const s of built.carecast) console.log(`  ${s.file.padEnd(34)} ${String(s.bytes).padStart(8)} ${String(s.gzip).padStart(8)}`);
console.log(`(the page's own vega-embed with vega and vega-lite: ${kb(built.vegaEmbed)})`);

const served = (await serveStatic(join(ROOT, 'examples', 'browser'))) as { url: string; close(): Promise<void> };
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
console.log(`\nchromium ${browser.version()}`);
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
  const tLoad = performance.now();
  await page.goto(served.url, { waitUntil: 'load' });
  await page.waitForFunction(() => (globalThis as unknown as { document: { body: { dataset: { state?: string } } } }).document.body.dataset.state === 'ready', null, { timeout: 120_000 });
  console.log(`page ready (bundle, bundled data checked, panel decoded, exceljs): ${ms(performance.now() - tLoad)} ms`);

  // 1. one LA's whole-system projection, drawn
  const projectOnce = async (la: string): Promise<{ totalMs: number; projectMs: number; drawMs: number }> => {
    await page.selectOption('#la', la);
    await page.evaluate(() => {
      (globalThis as unknown as { document: { body: { dataset: { state?: string } } } }).document.body.dataset.state = 'ready';
    });
    await page.click('#run-la');
    await page.waitForFunction(() => ['done', 'error'].includes((globalThis as unknown as { document: { body: { dataset: { state?: string } } } }).document.body.dataset.state ?? ''), null, { timeout: 120_000 });
    return page.evaluate(() => (globalThis as unknown as { carecastExample: { timings: { totalMs: number; projectMs: number; drawMs: number } } }).carecastExample.timings);
  };
  console.log('\n## one LA: whole-system projection to 2030, 2,000 paths, 80%/95% bands, 9 groups, costs, table and 4 charts');
  const cold = await projectOnce(LAS[0]);
  console.log(`cold (first projection in the page, ${LAS[0]}): ${ms(cold.totalMs)} ms (project ${ms(cold.projectMs)}, draw ${ms(cold.drawMs)})`);
  const warm: number[] = [];
  const warmProject: number[] = [];
  const warmDraw: number[] = [];
  for (const la of LAS) {
    const t: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const x = await projectOnce(la);
      t.push(x.totalMs);
      warm.push(x.totalMs);
      warmProject.push(x.projectMs);
      warmDraw.push(x.drawMs);
    }
    console.log(`${la}: ${t.map(ms).join(', ')} ms`);
  }
  console.log(`warm: median ${ms(median(warm))} ms (project ${ms(median(warmProject))}, draw ${ms(median(warmDraw))}), max ${ms(Math.max(...warm))} ms (target < 1000)`);

  // 2. 100,000 SSDA903 episode rows, parsed and fitted
  console.log(`\n## ${ROWS.toLocaleString('en-GB')} SSDA903 episode rows: readSsda903Files (File objects) + fitMultiState`);
  const browserEpisodes = (await page.evaluate(`(async () => {
    const cc = await import('./vendor/carecast/carecast.js');
    const syn = cc.generateSyntheticEpisodes({ firstYear: 2018, years: 5, entriesPerDay: ${ROWS} / 5600 }, cc.createRng(42));
    const files = syn.returns.flatMap((r) => ['episodes', 'header', 'uasc'].map((k) => new File([r[k]], r.sources[k], { type: 'text/csv' })));
    const bytes = files.reduce((a, f) => a + f.size, 0);
    const once = async () => {
      const t0 = performance.now();
      const data = await cc.readSsda903Files(files);
      const t1 = performance.now();
      cc.fitMultiState(data);
      const t2 = performance.now();
      return { parse: t1 - t0, fit: t2 - t1, episodes: data.episodes.length };
    };
    await once();
    const runs = [];
    for (let r = 0; r < ${Math.max(RUNS, 5)}; r++) runs.push(await once());
    return { rows: syn.episodeRows, bytes, runs };
  })()`)) as { rows: number; bytes: number; runs: { parse: number; fit: number; episodes: number }[] };
  const bt = browserEpisodes.runs.map((r) => r.parse + r.fit);
  console.log(`generated in the page: ${browserEpisodes.rows.toLocaleString('en-GB')} episode rows, ${(browserEpisodes.bytes / 2 ** 20).toFixed(1)} MB of CSV in ${15} files; ${browserEpisodes.runs[0].episodes.toLocaleString('en-GB')} episodes after cleaning`);
  console.log(`chromium: parse ${ms(median(browserEpisodes.runs.map((r) => r.parse)))} ms + fit ${ms(median(browserEpisodes.runs.map((r) => r.fit)))} ms = median ${ms(median(bt))} ms [${bt.map(ms).join(', ')}] (target < 2000)`);

  const syn = generateSyntheticEpisodes({ firstYear: 2018, years: 5, entriesPerDay: ROWS / 5600 }, createRng(42));
  fitMultiState(readSsda903(syn.returns));
  const nt: number[] = [];
  for (let r = 0; r < Math.max(RUNS, 5); r++) {
    const t0 = performance.now();
    fitMultiState(readSsda903(syn.returns));
    nt.push(performance.now() - t0);
  }
  console.log(`node (readSsda903 on the texts + fitMultiState): median ${ms(median(nt))} ms [${nt.map(ms).join(', ')}]; chromium / node ${(median(bt) / median(nt)).toFixed(2)}`);

  // 3. as the page reads dropped files: projectSsda903Files, in the page's thread and in a Web Worker
  const NRUNS = RUNS;
  const projectOptions = { read: { lenient: true }, system: { paths: EPISODE_PATHS, seed: 1, levels: [80, 95] } };
  console.log(
    `\n## the same files as the page reads them: projectSsda903Files (read, quality report, the episode model's system projection to 10 years ahead with ${EPISODE_PATHS.toLocaleString('en-GB')} paths; the CLI's default is 2,000)`,
  );
  const pageRuns = (await page.evaluate(`(async () => {
    const cc = await import('./vendor/carecast/carecast.js');
    const syn = cc.generateSyntheticEpisodes({ firstYear: 2018, years: 5, entriesPerDay: ${ROWS} / 5600 }, cc.createRng(42));
    const files = syn.returns.flatMap((r) => ['episodes', 'header', 'uasc'].map((k) => new File([r[k]], r.sources[k], { type: 'text/csv' })));
    const options = ${JSON.stringify(projectOptions)};
    const worker = new cc.Ssda903Worker();
    await worker.ready();
    // the longest the page's thread went without running a 10 ms timer
    const frozen = async (f) => {
      let last = performance.now(), gap = 0;
      const timer = setInterval(() => { const t = performance.now(); gap = Math.max(gap, t - last); last = t; }, 10);
      const t0 = performance.now();
      const r = await f();
      const total = performance.now() - t0;
      gap = Math.max(gap, performance.now() - last);
      clearInterval(timer);
      return { total, gap, read: r.timings.readMs, project: r.timings.projectMs, ranIn: r.ranIn };
    };
    const out = { thread: [], worker: [] };
    await frozen(() => cc.projectSsda903Files(files, options));
    await frozen(() => worker.project(files, options));
    for (let r = 0; r < ${NRUNS}; r++) {
      out.thread.push(await frozen(() => cc.projectSsda903Files(files, options)));
      out.worker.push(await frozen(() => worker.project(files, options)));
    }
    await worker.close();
    return out;
  })()`)) as Record<'thread' | 'worker', { total: number; gap: number; read: number; project: number; ranIn: string }[]>;
  for (const k of ['thread', 'worker'] as const) {
    const v = pageRuns[k];
    console.log(
      `chromium, ${k === 'thread' ? "the page's thread" : 'a Web Worker'} (ran in: ${v[0].ranIn}): median ${ms(median(v.map((r) => r.total)))} ms [${v.map((r) => ms(r.total)).join(', ')}] (read ${ms(median(v.map((r) => r.read)))} + project ${ms(median(v.map((r) => r.project)))} where it ran); page frozen at most ${ms(median(v.map((r) => r.gap)))} ms (median of the runs' longest gaps)`,
    );
  }
  const texts = syn.returns.flatMap((r) => (['episodes', 'header', 'uasc'] as const).map((k) => ({ name: r.sources?.[k] as string, content: r[k] as string })));
  await projectSsda903Files(texts, projectOptions);
  const np: number[] = [];
  for (let r = 0; r < NRUNS; r++) {
    const t0 = performance.now();
    await projectSsda903Files(texts, projectOptions);
    np.push(performance.now() - t0);
  }
  const ratio = (k: 'thread' | 'worker'): string => (median(pageRuns[k].map((r) => r.total)) / median(np)).toFixed(2);
  console.log(`node (projectSsda903Files on the texts, this thread): median ${ms(median(np))} ms [${np.map(ms).join(', ')}]; chromium / node: page thread ${ratio('thread')}, worker ${ratio('worker')}`);
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await page.close();
} finally {
  await browser.close();
  await served.close();
}
