/**
 * The browser bundle (`carecast/browser`), built by scripts/browserBundle.mjs
 * into a temporary folder and loaded in Node, where it runs as it does in a
 * page (ES modules, chunks imported on demand, Web Crypto): no Node built-in
 * in it, the browser twins in place of their modules, the bundled data as
 * data modules checked against the manifest, the same numbers as the
 * library run from its sources, and simulation on Web Workers (a stand-in
 * for the browser's `Worker` over worker threads, running the bundle's own
 * worker script) bit-identical to this thread and to worker threads.
 *
 * The same bundle in a real browser: test/e2e/browser.test.ts.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metafile } from 'esbuild';
import { bundleBrowser, nodeImportsOf, seedDataFiles, type BundleSize } from '../../scripts/browserBundle.mjs';
import { loadSsda903Folder } from '../../src/data/loaders/ssda903Folder.js';
import type { Ssda903Data } from '../../src/data/loaders/ssda903.js';
import { loadDfePanelArea } from '../../src/data/panel.js';
import { loadSeed } from '../../src/data/seeds.js';
import { forecast } from '../../src/project/forecast.js';
import { dfeSystemInput } from '../../src/system/dfeInput.js';
import { projectSsda903Files } from '../../src/system/ssda903Projection.js';
import { projectSystemPanel, type PanelItem } from '../../src/system/systemPanel.js';
import { loadDfeCalibration } from '../../src/uncertainty/dfeCalibration.js';
import { simulateSeries, simulateSeriesSync, type SimulationSpec } from '../../src/uncertainty/simulate.js';
import { ShimWebWorker, shimStats } from '../helpers/webWorkerShim.js';

type Bundle = typeof import('../../src/browser.js');

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'ssda903');

/** Import a module of the bundle by its file URL. */
const nativeImport = (url: string): Promise<unknown> => import(/* @vite-ignore */ url);

let dir = '';
let metafile: Metafile;
let sizes: BundleSize[] = [];
let bundle: Bundle;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'carecast-browser-'));
  const built = await bundleBrowser({ root: ROOT, outdir: dir });
  metafile = built.result.metafile;
  sizes = built.sizes;
  bundle = (await nativeImport(pathToFileURL(join(dir, 'carecast.js')).href)) as Bundle;
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Bit-identical: the same bytes. */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** The fixtures' SSDA903 files as a user would drop them: name and bytes. */
function fixtureFiles(): { name: string; bytes: Uint8Array<ArrayBuffer> }[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(FIXTURES, name))) }));
}

/** Every number of a value as its bits (Float64Array bytes included), to compare bit for bit. */
function bits(x: unknown): unknown {
  return JSON.parse(
    JSON.stringify(x, (_k, v: unknown) => {
      if (v instanceof Float64Array) return { f64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') };
      if (typeof v === 'number') return { n: Buffer.from(new Float64Array([v]).buffer).toString('hex') };
      return v;
    }),
  );
}

/** What readSsda903 gives, as plain data to compare across module copies. */
function plain(d: Ssda903Data): unknown {
  return JSON.parse(JSON.stringify({ ...d, children: [...d.children.entries()] }));
}

describe('the browser bundle', () => {
  it('bundles for platform browser with no Node built-in, the twins in place of their modules, each bundled file a chunk of its own', () => {
    expect(nodeImportsOf(metafile)).toEqual([]);
    const inputs = Object.keys(metafile.inputs).map((f) => relative(ROOT, resolve(ROOT, f.replace(/^[\w-]+:/, ''))).split('\\').join('/'));
    for (const twin of ['src/data/seedFiles.browser.ts', 'src/uncertainty/workerHost.browser.ts', 'src/data/dfe/panelFiles.browser.ts']) expect(inputs).toContain(twin);
    for (const nodeOnly of ['src/data/seedFiles.ts', 'src/uncertainty/workerHost.ts', 'src/data/dfe/panelFiles.ts', 'src/data/dfe/panelFolder.ts', 'src/data/loaders/textFile.ts', 'src/data/loaders/ssda903Folder.ts']) {
      expect(inputs).not.toContain(nodeOnly);
    }
    // zod vendored: no locale but English is in the output
    const output = Object.values(metafile.outputs).flatMap((o) => Object.entries(o.inputs).filter(([, v]) => v.bytesInOutput > 0).map(([f]) => f));
    expect(output.filter((f) => f.includes('node_modules/zod/')).length).toBeGreaterThan(5);
    expect(output.filter((f) => f.includes('node_modules/zod/') && f.includes('/locales/') && !f.endsWith('/en.js'))).toEqual([]);
    const files = sizes.map((s) => s.file);
    expect(files).toContain('carecast.js');
    expect(files).toContain('carecast-worker.js');
    for (const seed of seedDataFiles(join(ROOT, 'seeds'))) expect(files.some((f) => f.startsWith(`${seed.replace(/\.json$/, '')}-`)), seed).toBe(true);
    // the entry stays small: the data, exceljs and vega are chunks loaded when asked for
    const entry = sizes.find((s) => s.file === 'carecast.js') as BundleSize;
    expect(entry.bytes).toBeLessThan(600_000);
  });

  it('asks for loadBundledData before the bundled data are used, then reads them as Node reads seeds/', async () => {
    expect(() => bundle.loadDfePanelArea('Derby')).toThrow(/not loaded yet[\s\S]*loadBundledData/);
    const names = await bundle.loadBundledData();
    expect([...names].sort()).toEqual(seedDataFiles(join(ROOT, 'seeds')));
    expect(bundle.loadDfePanelArea('Derby')).toEqual(loadDfePanelArea('Derby'));
    expect(bundle.loadSeed('derbyshire').dataset).toEqual(loadSeed('derbyshire').dataset);
    expect(bundle.loadDfeCalibration('auto')).toEqual(loadDfeCalibration('auto'));
    await expect(bundle.loadBundledData(['nothing.json'])).rejects.toThrow(/not in the bundle/);
  });

  it('gives the same projection as the sources', () => {
    const series = loadDfePanelArea('Derby').childrenInCare;
    const node = forecast(series, { to: 2030, conformal: loadDfeCalibration('auto') });
    const browser = bundle.forecast(bundle.loadDfePanelArea('Derby').childrenInCare, { to: 2030, conformal: bundle.loadDfeCalibration('auto') });
    expect(JSON.parse(JSON.stringify(browser))).toEqual(JSON.parse(JSON.stringify(node)));
  });

  it('says that a folder of raw DfE files cannot be read in a browser', () => {
    expect(() => bundle.loadDfePanel({ dir: 'data/dfe' })).toThrow(/a browser cannot read a folder[\s\S]*loadBundledData/);
  });

  it('reads dropped SSDA903 files (File, Blob, bytes) as loadSsda903Folder reads the folder', async () => {
    const node = plain(loadSsda903Folder(FIXTURES, { lenient: true }));
    const files = fixtureFiles();
    const asFiles = files.map((f) => new File([f.bytes], f.name, { type: 'text/csv' }));
    expect(plain(await bundle.readSsda903Files(asFiles, { lenient: true }))).toEqual(node);
    const asBytes = files.map((f) => ({ name: f.name, content: f.bytes }));
    expect(plain(await bundle.readSsda903Files(asBytes, { lenient: true }))).toEqual(node);
    const asBlobs = files.map((f) => ({ name: f.name, content: new Blob([f.bytes]) }));
    expect(plain(await bundle.readSsda903Files(asBlobs, { lenient: true }))).toEqual(node);
    // a file that is no part of a return is left out, and said so
    const extra = await bundle.readSsda903Files([...asBytes, { name: 'notes.txt', content: 'x' }], { lenient: true });
    expect(extra.notes.at(-1)).toMatch(/not read.*notes\.txt/);
    expect(extra.episodes).toEqual(loadSsda903Folder(FIXTURES, { lenient: true }).episodes);
  });

  it('refuses a bundled file that does not match seeds/MANIFEST.json', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'carecast-browser-tampered-'));
    try {
      cpSync(dir, copy, { recursive: true });
      const chunk = readdirSync(copy).find((f) => f.startsWith('dfe-evidence-')) as string;
      const text = readFileSync(join(copy, chunk), 'utf8');
      expect(text).toContain('panelEvidence');
      writeFileSync(join(copy, chunk), text.replace('panelEvidence', 'panelEvidencE'));
      const tampered = (await nativeImport(pathToFileURL(join(copy, 'carecast.js')).href)) as Bundle;
      await expect(tampered.loadBundledData(['dfe-evidence.json'])).rejects.toThrow(/dfe-evidence\.json[\s\S]*MANIFEST\.json records/);
      expect(() => tampered.loadDfeEvidence()).toThrow(/not loaded yet/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('simulation on Web Workers (the bundle, with a stand-in Worker over worker threads)', () => {
  const specs: SimulationSpec[] = [
    { id: 'Derby', series: [390, 410, 445, 470, 500, 520, 560, 598], method: 'drift' },
    { id: 'Derbyshire', series: [644, 719, 802, 861, 899, 945, 995, 1011], method: 'linear' },
    { id: 'flat', series: [120, 118, 125, 121, 119, 124], method: 'naive' },
  ];
  const options = { horizon: 8, paths: 2000, seed: 20240331 };

  beforeAll(() => {
    (globalThis as { Worker?: unknown }).Worker = ShimWebWorker;
  });
  afterAll(() => {
    delete (globalThis as { Worker?: unknown }).Worker;
  });

  it('gives bit-identical paths in this thread, on worker threads and on Web Workers, for the same seed', async () => {
    const inThread = simulateSeriesSync(specs, options);
    const threads = await simulateSeries(specs, { ...options, workers: 2 });
    const before = shimStats.started;
    const web = await bundle.simulateSeries(specs, { ...options, workers: 2 });
    expect(shimStats.started - before).toBe(2);
    expect([...shimStats.urls].every((u) => u.endsWith('/carecast-worker.js'))).toBe(true);
    expect(threads.workers).toBe(2);
    expect(web.workers).toBe(2);
    for (const s of inThread.series) {
      const t = threads.byId.get(s.id)!;
      const w = web.byId.get(s.id)!;
      expect(sameBits(t.paths.values, s.paths.values), `${s.id}: worker threads`).toBe(true);
      expect(sameBits(w.paths.values, s.paths.values), `${s.id}: Web Workers`).toBe(true);
      expect(w.bands).toEqual(s.bands);
    }
    // chunked across workers: the same again
    const chunked = simulateSeriesSync(specs, { ...options, chunkPaths: 300 });
    const webChunked = await bundle.simulateSeries(specs, { ...options, chunkPaths: 300, workers: 2 });
    for (const s of chunked.series) expect(sameBits(webChunked.byId.get(s.id)!.paths.values, s.paths.values), s.id).toBe(true);
  }, 120_000);

  it('reads and projects dropped SSDA903 files in a Web Worker, bit-identical to this thread and to the sources', async () => {
    await bundle.loadBundledData();
    const files = fixtureFiles().map((f) => new File([f.bytes], f.name, { type: 'text/csv' }));
    const opts = { read: { lenient: true }, system: { to: 2027, paths: 500, seed: 3 } };
    const before = shimStats.started;
    const { timings: _t1, ranIn, ...web } = await bundle.projectSsda903FilesInWorker(files, opts);
    expect(shimStats.started - before).toBe(1);
    expect(ranIn).toBe('worker');
    expect(files.every((f) => f.size > 0)).toBe(true);
    const { timings: _t2, ranIn: here, ...inThread } = await bundle.projectSsda903FilesInWorker(files, { ...opts, worker: false });
    expect(here).toBe('thread');
    expect(web.system).not.toBeNull();
    expect(bits(web)).toEqual(bits(inThread));
    const { timings: _t3, ranIn: _r, ...sources } = await projectSsda903Files(files, opts);
    expect(bits(web)).toEqual(bits(sources));
  }, 120_000);

  it('projects a panel of areas on Web Workers with the same numbers as in this thread', async () => {
    const items: PanelItem[] = ['Derby', 'Derbyshire', 'Nottingham'].map((name) => {
      return { area: name, input: dfeSystemInput(loadDfePanelArea(name)) };
    });
    const opts = { to: 2029, paths: 300, seed: 11 };
    const inThread = await projectSystemPanel(items, opts);
    const web = await bundle.projectSystemPanel(items, { ...opts, workers: 2 });
    expect(inThread.every((r) => r.ok)).toBe(true);
    expect(JSON.parse(JSON.stringify(web))).toEqual(JSON.parse(JSON.stringify(inThread)));
  }, 120_000);
});
