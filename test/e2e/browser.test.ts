/**
 * End to end: the example page (examples/browser/) in headless Chromium
 * (Debian's `chromium`, driven by playwright-core), served by a local static
 * server. Its scripts are built first from the sources
 * (examples/browser/build.mjs: the carecast browser bundle and vega-embed).
 *
 * - An LA from the bundled DfE panel, the synthetic SSDA903 returns of
 *   test/fixtures through the file input, and a larger set of synthetic
 *   returns (seeded generator) that the whole-system model fits: each time
 *   the table and the charts render, and the numbers equal the Node
 *   library's for the same input and seed (the page's calls are
 *   examples/browser/model.js, which the test also runs on the Node
 *   library); the CSV and Excel downloads hold the same numbers. Dropped
 *   returns are projected with the episode model, and the page's records
 *   equal those of `carecast project --ssda903` (runProject) on the same
 *   folder with the page's paths and seed: one answer through every door.
 *   "Equal" across the two engines means the same text in the page's table
 *   and a relative difference of at most {@link ENGINE_TOLERANCE} (1e-12) in
 *   every full-precision number; within one engine, bit-identical.
 *   Why: the two engines' `Math` functions differ in the last bit. Node
 *   20.20 (V8 11.3) and Chromium 156 (Debian) give different results for
 *   `Math.exp` on 9.8% of arguments in [-20, 20], `Math.pow` 9.8%,
 *   `Math.cbrt` 8.5%, `Math.atan` 7.1%, `Math.sin`, `cos`, `tan` 3-4%,
 *   `Math.log` 1.9%, `log1p` and `expm1` under 0.1%, always by one ulp;
 *   `Math.sqrt` (correctly rounded by IEEE 754) never. E.g.
 *   `Math.exp(-17.841243352741003)` is 1.7850338724452522e-8 in Node and
 *   1.785033872445252e-8 in Chromium (0x3e532aa9eb4fc02c vs ...02b), and
 *   Chromium's is the correctly rounded one (so in 238 of 240 differing
 *   results of exp, log, pow, sin, cos and atan checked against bc at 120
 *   digits): benchmarks/engine-math.ts, and the last test here, which
 *   checks that every difference is at most one ulp. A simulation chains
 *   many such calls per number, so one-ulp differences grow to a few
 *   1e-15 relative (largest seen: 4.1e-15, logged at the end); 1e-12
 *   leaves 250 times that, and any bigger difference (a branch taken
 *   differently, a rounding that flips) fails. Within one engine and
 *   version the same code on the same input and seed gives the same bits:
 *   checked here for Web Workers against the page's own thread (simulation,
 *   and the dropped files read and projected in a worker), and in
 *   test/browser/bundle.test.ts for Node.
 * - No request leaves the page's origin, and none at all is made after the
 *   page has loaded (seen by the browser and by the server).
 * - Simulation on real Web Workers gives the same paths as Node in one thread.
 *
 * Run with `npm run test:e2e`; skipped with a message when Chromium is
 * missing. Saves out/browser-*.png.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import * as data from '../../src/data/index.js';
import * as finance from '../../src/finance/index.js';
import * as root from '../../src/index.js';
import * as models from '../../src/models/index.js';
import * as output from '../../src/output/index.js';
import * as system from '../../src/system/index.js';
import * as uncertainty from '../../src/uncertainty/index.js';
import { simulateSeriesSync } from '../../src/uncertainty/simulate.js';
import { runProject } from '../../src/cli/project.js';
import { generateSyntheticEpisodes } from '../../src/data/syntheticEpisodes.js';
import { createRng } from '../../src/math/rng.js';
import { mathProbe, ulpDistance, type MathProbe } from '../../benchmarks/lib/mathProbe.js';
// @ts-expect-error: plain JavaScript of the example, typed by its JSDoc
import { createModel } from '../../examples/browser/model.js';
// @ts-expect-error: plain JavaScript of the example
import { buildExample } from '../../examples/browser/build.mjs';
// @ts-expect-error: plain JavaScript of the example
import { serveStatic } from '../../examples/browser/serve.mjs';

// the page's globals, inside page.evaluate and $$eval callbacks (the tests are compiled without the DOM types)
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`test/e2e/browser.test.ts skipped: ${CHROMIUM} not found (apt-get install -y chromium, or set CHROMIUM_PATH)`);

const FIXTURES = join(ROOT, 'test', 'fixtures', 'ssda903');
const OUT = join(ROOT, 'out');

/** The Node library, every name of its entries in one object, as the page has the bundle's. */
const nodeLib = { ...data, ...models, ...uncertainty, ...system, ...finance, ...output, ...root };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const nodeModel: any = createModel(nodeLib);

interface Served {
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

let browser: Browser;
let served: Served;
let synthDir = '';

/** A page of the example, with every request and error it makes recorded. */
async function openPage(): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 }, acceptDownloads: true });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(served.url, { waitUntil: 'load' });
  await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state ?? ''), null, { timeout: 90_000 });
  expect(await page.getAttribute('body', 'data-state'), await page.textContent('#error') ?? '').toBe('ready');
  return { page, requests, errors };
}

/** Wait for a projection to finish, and fail with the page's error if it did not. */
async function waitDone(page: Page): Promise<void> {
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), null, { timeout: 90_000 });
  expect(await page.getAttribute('body', 'data-state'), (await page.textContent('#error')) ?? '').toBe('done');
}

/** Set the options the page projects with. */
async function setOptions(page: Page, o: { to: number; paths: number; seed: number }): Promise<void> {
  await page.fill('#to', String(o.to));
  await page.fill('#paths', String(o.paths));
  await page.fill('#seed', String(o.seed));
}

/** The options as the page reads them (weekly costs included), for the Node run. */
async function pageOptions(page: Page): Promise<unknown> {
  return page.evaluate(() => {
    const weekly: Record<string, number> = {};
    for (const i of document.querySelectorAll('#weekly input')) if (i.value.trim() !== '') weekly[i.dataset.group ?? ''] = Number(i.value);
    const n = (id: string) => Number(document.getElementById(id).value);
    return { to: n('to'), paths: n('paths'), seed: n('seed'), weekly, priceYear: n('price-year'), inflation: n('inflation') };
  });
}

/** What the page computed (records and cost records), as plain data. */
async function pageResult(page: Page): Promise<{ records: unknown[]; costRecords: unknown[] }> {
  return page.evaluate(() => {
    const r = window.carecastExample.result as { records: unknown[]; costRecords: unknown[] };
    return { records: r.records, costRecords: r.costRecords };
  });
}

/** The rendered charts: size, marks and texts of the SVG in each chart box. */
async function charts(page: Page): Promise<Record<string, { w: number; h: number; marks: number; texts: number }>> {
  return page.$$eval('.chart', (els: any[]) =>
    Object.fromEntries(
      els.map((el) => {
        const svg = el.querySelector('svg');
        const r = svg?.getBoundingClientRect();
        return [el.id, { w: r?.width ?? 0, h: r?.height ?? 0, marks: svg?.querySelectorAll('path').length ?? 0, texts: svg?.querySelectorAll('text').length ?? 0 }];
      }),
    ),
  );
}

/** The projection table's body, as text cells. */
async function tableCells(page: Page): Promise<string[][]> {
  return page.$$eval('#projection-table tbody tr', (trs: any[]) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td: any) => td.textContent ?? '')));
}

/** A download's bytes. */
async function download(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

/** Requests that are network requests (a download's blob: URL and data: URLs are not). */
const network = (urls: readonly string[]): string[] => urls.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:'));

const fmt = (x: number): string => x.toLocaleString('en-GB', { maximumFractionDigits: 0 });

/**
 * Relative tolerance between Chromium's and Node's numbers: their `Math.exp`,
 * `log`, `pow`, `sin`... differ by one ulp for 2-10% of arguments (see the
 * module notes and the last test), which grows to a few 1e-15 through a
 * simulation; 1e-12 is 250 times the largest difference seen. Numbers
 * within one engine are compared bit for bit.
 */
const ENGINE_TOLERANCE = 1e-12;
/** The largest relative difference seen between the engines, for the log. */
let largestDifference = 0;

/**
 * The paths where two values differ: strings, booleans and nulls exactly,
 * numbers within {@link ENGINE_TOLERANCE} of each other (relative).
 */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Object.is(a, b)) return [];
    const rel = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
    largestDifference = Math.max(largestDifference, rel);
    return rel <= ENGINE_TOLERANCE ? [] : [`${path}: ${a} vs ${b}`];
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}: length ${a.length} vs ${b.length}`];
    return a.flatMap((x, i) => differences(x, b[i], `${path}[${i}]`));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return Object.is(a, b) ? [] : [`${path}: ${String(a)} vs ${String(b)}`];
}

/** Expect the page's numbers to equal Node's (within the engines' last-bit differences). */
function expectSameNumbers(page: unknown, node: unknown): void {
  expect(differences(page, JSON.parse(JSON.stringify(node))).slice(0, 10)).toEqual([]);
}

/** A CSV's cells (no quoted line breaks in carecast's records), numbers as numbers. */
function csvCells(text: string): (string | number)[][] {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => line.split(',').map((c) => (c !== '' && Number.isFinite(Number(c)) ? Number(c) : c)));
}

/**
 * The page's projection of dropped returns is the CLI's: `carecast project
 * --ssda903 DIR --la 'SSDA903 returns' --paths N --random-seed S --json` (the
 * page's name for the area) on the same folder gives
 * the same records (within the engines' last-bit differences), and the page
 * says the projection comes from the episode model.
 */
async function expectSameAsCli(page: Page, dir: string, o: { paths: number; seed: number }): Promise<void> {
  const cli = JSON.parse(
    (await runProject({ measure: 'children_in_care', levels: '80,95', out: 'out', write: false, json: true, ssda903: dir, la: 'SSDA903 returns', paths: String(o.paths), randomSeed: String(o.seed) })).text,
  ) as { engine: string; records: unknown[] };
  expect(cli.engine).toBe('episodes');
  expectSameNumbers((await pageResult(page)).records, cli.records);
  const method = (await page.textContent('#method')) ?? '';
  expect(method).toMatch(/^Episode model: children simulated one by one/);
  expect(method).toContain('carecast project --ssda903');
}

/**
 * The dropped files were read and projected in a Web Worker, and the same
 * call in the page's own thread (`projectSsda903Files` on the same `File`
 * objects and options) gives the same numbers bit for bit: Chromium against
 * Chromium, so no tolerance.
 */
async function expectWorkerBitIdentical(page: Page, requests: readonly string[]): Promise<void> {
  const check = (await page.evaluate(`(async () => {
    const cc = await import('./vendor/carecast/carecast.js');
    const s = window.carecastExample;
    const f = new Float64Array(1), u = new Uint32Array(f.buffer);
    // every number as the hex of its bits (strings, which the replacer leaves alone)
    const bits = (x) => JSON.stringify(x, (k, v) => v instanceof Float64Array ? Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length * 2), (w) => w.toString(16)).join(' ') : typeof v === 'number' ? (f[0] = v, u[0].toString(16) + ':' + u[1].toString(16)) : v);
    const { timings: _a, ranIn, ...worker } = s.source.raw;
    const here = await cc.projectSsda903Files(s.files, s.source.options);
    const { timings: _b, ranIn: hereIn, ...thread } = here;
    return { ranIn, hereIn, pageTimings: s.timings.ranIn, identical: bits(worker) === bits(thread), system: thread.system !== null, numbers: bits(thread).length };
  })()`)) as { ranIn: string; hereIn: string; pageTimings: string; identical: boolean; system: boolean; numbers: number };
  expect(check.ranIn).toBe('worker');
  expect(check.pageTimings).toBe('worker');
  expect(check.hereIn).toBe('thread');
  expect(check.system).toBe(true);
  expect(check.numbers).toBeGreaterThan(10_000);
  expect(check.identical).toBe(true);
  // the worker is the bundle's own script, from the page's origin
  expect(network(requests).filter((u) => u.endsWith('/carecast-worker.js')).every((u) => u.startsWith(served.url))).toBe(true);
  expect(network(requests).some((u) => u.endsWith('/carecast-worker.js'))).toBe(true);
}

describe.skipIf(!haveChromium)('the example page in headless Chromium', () => {
  beforeAll(async () => {
    await buildExample(ROOT);
    served = (await serveStatic(join(ROOT, 'examples', 'browser'))) as Served;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    await nodeModel.ready();
    mkdirSync(OUT, { recursive: true });
    // synthetic returns the whole-system model fits: five years, about 6,000 episode rows, seeded
    synthDir = mkdtempSync(join(tmpdir(), 'carecast-synthetic-'));
    const syn = generateSyntheticEpisodes({ firstYear: 2019, years: 5, entriesPerDay: 1 }, createRng(16));
    for (const r of syn.returns) {
      writeFileSync(join(synthDir, r.sources?.episodes as string), r.episodes);
      writeFileSync(join(synthDir, r.sources?.header as string), r.header);
      writeFileSync(join(synthDir, r.sources?.uasc as string), r.uasc);
    }
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    if (synthDir) rmSync(synthDir, { recursive: true, force: true });
  });

  it('projects an LA of the bundled DfE panel: table, charts and downloads equal the Node library; no request after load', async () => {
    const { page, requests, errors } = await openPage();
    expect(await page.textContent('#privacy')).toMatch(/No data leaves this machine/);
    const atLoad = requests.length;
    const serverAtLoad = served.requests.length;
    expect(network(requests).every((u) => u.startsWith(served.url)), network(requests).join('\n')).toBe(true);

    await page.selectOption('#la', 'Derby');
    await setOptions(page, { to: 2030, paths: 1000, seed: 7 });
    await page.click('#run-la');
    await waitDone(page);

    const o = await pageOptions(page);
    const node = nodeModel.project(nodeModel.fromPanel('Derby').input, o);
    const got = await pageResult(page);
    expectSameNumbers(got.records, node.records);
    expect(got.costRecords.length).toBeGreaterThan(0);
    expectSameNumbers(got.costRecords, node.costRecords);

    const rows = nodeModel.table(node);
    const cells = await tableCells(page);
    expect(cells.map((c) => c[0])).toEqual(rows.map((r: { year: number }) => String(r.year)));
    expect(cells.map((c) => c.slice(1, 6))).toEqual(rows.map((r: Record<string, number>) => [r.point, r.lo_80, r.hi_80, r.lo_95, r.hi_95].map(fmt)));

    const box = await charts(page);
    for (const id of ['chart-total', 'chart-placement', 'chart-provider', 'chart-costs']) {
      expect(box[id].w, id).toBeGreaterThan(300);
      expect(box[id].h, id).toBeGreaterThan(200);
      expect(box[id].marks, id).toBeGreaterThan(3);
      expect(box[id].texts, id).toBeGreaterThan(5);
    }

    const csv = await download(page, '#dl-csv');
    expect(csv.name).toBe('derby-projection.csv');
    expectSameNumbers(csvCells(csv.bytes.toString('utf8')), csvCells(nodeModel.csv(node)));
    const costsCsv = await download(page, '#dl-costs-csv');
    expectSameNumbers(csvCells(costsCsv.bytes.toString('utf8')), csvCells(nodeModel.costsCsv(node)));
    const xlsx = await download(page, '#dl-xlsx');
    expect(xlsx.name).toBe('derby-projection.xlsx');
    const { default: Excel } = await import('exceljs');
    const wb = new Excel.Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Projection', 'Costs', 'Placements costed', 'Assumptions', 'Caveats']);
    const sheet = wb.getWorksheet('Projection')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(sheet.rowCount).toBe(node.records.length + 1);
    const sheetRows = node.records.map((_: unknown, i: number) => {
      const values = (sheet.getRow(i + 2).values as unknown[]).slice(1);
      return Object.fromEntries(header.map((h, j) => [String(h), values[j] ?? null]));
    });
    expectSameNumbers(sheetRows, node.records);

    await page.screenshot({ path: join(OUT, 'browser-la.png'), fullPage: true });
    expect(network(requests.slice(atLoad)), 'requests after the page loaded').toEqual([]);
    expect(served.requests.slice(serverAtLoad), 'requests the server saw after the page loaded').toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('reads the synthetic SSDA903 returns of test/fixtures through the file input: the data-quality report, the table and the chart, equal to the Node library and to carecast project --ssda903', async () => {
    const { page, requests, errors } = await openPage();
    const atLoad = requests.length;
    const serverAtLoad = served.requests.length;
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.csv')).sort();
    await page.setInputFiles('#files', files.map((f) => join(FIXTURES, f)));
    await waitDone(page);

    const o = (await pageOptions(page)) as { paths: number; seed: number; to: number };
    const fromFiles = await nodeModel.fromSsda903(files.map((name) => ({ name, content: readFileSync(join(FIXTURES, name)) })), o);
    expect(fromFiles.ranIn).toBe('thread');
    const node = fromFiles.result;
    expectSameNumbers((await pageResult(page)).records, node.records);
    await expectWorkerBitIdentical(page, requests);
    await expectSameAsCli(page, FIXTURES, o);
    // the episode model, with the CLI's defaults: fitted to 31 March 2022 (the returns' end), projected to 2032
    expect(node.sys?.engine).toBe('episodes');
    expect(o.to).toBe(2032);
    expect(node.sys.breakdowns.placement.groups).toEqual(['fostering', 'homes_secure', 'independent_supported', 'other']);
    expect(await tableCells(page)).toEqual(
      nodeModel.table(node).map((r: Record<string, number>) => [String(r.year), ...[r.point, r.lo_80, r.hi_80, r.lo_95, r.hi_95, r.started, r.ceased].map(fmt)]),
    );
    expect((await charts(page))['chart-total'].marks).toBeGreaterThan(3);

    // the data-quality report: every return, every repair kind with its count
    expect(await page.isVisible('#quality')).toBe(true);
    const returns = await page.$$eval('#quality-returns tbody tr', (trs: any[]) => trs.map((tr) => tr.querySelector('td')?.textContent as string));
    expect(returns).toEqual(fromFiles.quality.returns.map((r: { year: number }) => String(r.year)));
    const repairs: string[][] = await page.$$eval('#quality-repairs tbody tr', (trs: any[]) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td: any) => td.textContent as string)));
    expect(repairs).toEqual(fromFiles.quality.repairs.map((r: { kind: string; n: number }) => [r.kind.replace(/_/g, ' '), fmt(r.n)]));
    expect(repairs.find((r) => r[0] === 'replaced')?.[1]).toBe('124');

    await page.screenshot({ path: join(OUT, 'browser-ssda903-fixtures.png'), fullPage: true });
    expect(network(requests.slice(atLoad))).toEqual([]);
    expect(served.requests.slice(serverAtLoad)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('projects the whole system from synthetic SSDA903 returns dropped on the page (a seeded generator): the episode model placement groups and costs, equal to the Node library and to carecast project --ssda903', async () => {
    const { page, requests, errors } = await openPage();
    const atLoad = requests.length;
    const files = readdirSync(synthDir).sort();
    await page.setInputFiles('#files', files.map((f) => join(synthDir, f)));
    await waitDone(page);
    const o = (await pageOptions(page)) as { paths: number; seed: number };
    const fromFiles = await nodeModel.fromSsda903(files.map((name) => ({ name, content: readFileSync(join(synthDir, name)) })), o);
    const node = fromFiles.result;
    expect(node.sys?.engine).toBe('episodes');
    await expectWorkerBitIdentical(page, requests);
    await expectSameAsCli(page, synthDir, o);
    const timings = (await page.evaluate(() => window.carecastExample.source.timings)) as { readMs: number; projectMs: number };
    console.log(`synthetic returns in the page's worker, ${o.paths} paths: read ${timings.readMs.toFixed(0)} ms, episode projection ${timings.projectMs.toFixed(0)} ms`);
    const got = await pageResult(page);
    expectSameNumbers(got.records, node.records);
    expectSameNumbers(got.costRecords, node.costRecords);
    expect(await tableCells(page)).toEqual(
      nodeModel.table(node).map((r: Record<string, number>) => [String(r.year), ...[r.point, r.lo_80, r.hi_80, r.lo_95, r.hi_95, r.started, r.ceased].map(fmt)]),
    );
    const box = await charts(page);
    for (const id of ['chart-total', 'chart-placement', 'chart-provider', 'chart-costs']) expect(box[id].marks, id).toBeGreaterThan(3);
    await page.screenshot({ path: join(OUT, 'browser-ssda903-synthetic.png'), fullPage: true });
    expect(network(requests.slice(atLoad))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('simulates on real Web Workers bit-identically to the page thread, as Node does in one thread, loading only from its own origin', async () => {
    const { page, requests, errors } = await openPage();
    const specs = [
      { id: 'a', series: [390, 410, 445, 470, 500, 520, 560, 598], method: 'drift' as const },
      { id: 'b', series: [644, 719, 802, 861, 899, 945, 995, 1011], method: 'linear' as const },
    ];
    const options = { horizon: 6, paths: 1500, seed: 99, chunkPaths: 500 };
    // a string, so that the test runner leaves its import() alone
    const web = (await page.evaluate(`(async () => {
      const cc = await import('./vendor/carecast/carecast.js');
      const specs = ${JSON.stringify(specs)};
      const options = ${JSON.stringify(options)};
      const inThread = cc.simulateSeriesSync(specs, options);
      const workers = await cc.simulateSeries(specs, { ...options, workers: 2 });
      const bits = (v) => Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length * 2));
      return {
        workers: workers.workers,
        identical: inThread.series.map((s, i) => JSON.stringify(bits(s.paths.values)) === JSON.stringify(bits(workers.series[i].paths.values))),
        values: workers.series.map((s) => Array.from(s.paths.values)),
      };
    })()`)) as { workers: number; identical: boolean[]; values: number[][] };
    expect(web.workers).toBe(2);
    expect(web.identical).toEqual([true, true]);
    const node = simulateSeriesSync(specs, options);
    expectSameNumbers(web.values, node.series.map((s) => Array.from(s.paths.values)));
    expect(network(requests).some((u) => u.endsWith('/carecast-worker.js'))).toBe(true);
    expect(network(requests).every((u) => u.startsWith(served.url)), network(requests).join('\n')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
    console.log(`largest relative difference between Chromium's and Node's numbers: ${largestDifference.toExponential(2)}`);
  }, 180_000);

  it("Math.* in Chromium and in Node: sqrt the same, the others at most one ulp apart (why the engines' numbers are compared within ENGINE_TOLERANCE)", async () => {
    const page = await browser.newPage();
    const n = 20_000;
    // the probe's source run in the page (vitest names functions through __name, which the page lacks: one that does nothing)
    const web = (await page.evaluate(`((__name) => (${mathProbe.toString()})(${n}))((f) => f)`)) as MathProbe;
    await page.close();
    const node = mathProbe(n);
    const report: string[] = [];
    for (const name of Object.keys(node)) {
      expect(web[name].args, name).toEqual(node[name].args);
      const d = node[name].results.map((r, i) => ulpDistance(r, web[name].results[i]));
      expect(Math.max(...d), `Math.${name}`).toBeLessThanOrEqual(1);
      report.push(`${name} ${d.filter((x) => x > 0).length}`);
    }
    expect(node.sqrt.results).toEqual(web.sqrt.results);
    console.log(`Math.* results differing by one ulp between Chromium ${browser.version()} and Node ${process.version}, of ${n} arguments each: ${report.join(', ')}`);
  }, 60_000);
});
