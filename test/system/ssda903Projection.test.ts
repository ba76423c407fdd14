/**
 * SSDA903 files to the episode model's whole-system projection in one call
 * (`projectSsda903Files`): the same paths as `carecast project --ssda903`
 * on the same folder, options and seed; in this thread and in a worker
 * (`projectSsda903FilesInWorker`, `Ssda903Worker`; here a worker thread,
 * in a page a Web Worker: test/browser/bundle.test.ts and
 * test/e2e/browser.test.ts): the same numbers bit for bit, plain data, the
 * same errors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

import { runProject, type ProjectCommandOptions } from '../../src/cli/project.js';
import { marchEnd } from '../../src/data/calendar.js';
import { deriveAnnualDataset } from '../../src/data/episodes.js';
import { CarecastInputError } from '../../src/data/errors.js';
import { formatEpisodeFix } from '../../src/data/loaders/ssda903.js';
import { loadSsda903Folder } from '../../src/data/loaders/ssda903Folder.js';
import { ssda903QualityReport } from '../../src/data/ssda903Quality.js';
import { datasetSystemInput } from '../../src/system/datasetInput.js';
import { episodeRunOptions, fitYears } from '../../src/system/episodeDefaults.js';
import { episodeSystemProjection } from '../../src/system/episodeProjection.js';
import { systemRecords } from '../../src/system/records.js';
import { projectSsda903Files, type Ssda903Stage } from '../../src/system/ssda903Projection.js';
import { projectSsda903FilesInWorker, Ssda903Worker } from '../../src/system/ssda903Worker.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ssda903');
const files = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.csv'))
  .sort()
  .map((name) => ({ name, content: new Uint8Array(readFileSync(join(FIXTURES, name))) }));
const options = { read: { lenient: true }, system: { to: 2026, paths: 400, seed: 5 } } as const;

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

const { timings: _t, ranIn: _r, ...inThreadCore } = await projectSsda903Files(files, options);

let worker: Ssda903Worker | undefined;
afterAll(async () => {
  await worker?.close();
});

describe('projectSsda903Files', () => {
  it('is readSsda903Files, the quality report and the episode model (episodeSystemProjection with episodeRunOptions), in one call, as plain data', () => {
    const data = loadSsda903Folder(FIXTURES, { lenient: true });
    const o = episodeRunOptions(data, options.system);
    expect(o).toEqual({ to: 2026, until: marchEnd(2022), paths: 400, seed: 5, levels: [80, 95] });
    const sp = episodeSystemProjection(data, o);
    expect(bits(inThreadCore.system)).toEqual(bits(sp));
    expect(inThreadCore.system?.engine).toBe('episodes');
    expect(Object.keys(inThreadCore.system?.breakdowns ?? {})).toEqual(['placement', 'provider', 'age']);
    expect(inThreadCore.system?.breakdowns.placement.groups).toEqual(['fostering', 'homes_secure', 'independent_supported', 'other']);
    expect(Object.keys(inThreadCore.system?.breakdowns.placement.byGroup ?? {})).toContain('residential');
    // the input is the observed series as the episode model counts them
    expect(bits(inThreadCore.input)).toEqual(bits(sp.episodes.observed));
    expect(inThreadCore.problems).toEqual([]);
    // the whole result survives structured clone unchanged (what a worker's postMessage does)
    expect(bits(structuredClone(inThreadCore))).toEqual(bits(inThreadCore));
    // the quality report, as plain data: the loader's lazy examples made plain
    expect(inThreadCore.quality).toEqual(JSON.parse(JSON.stringify(ssda903QualityReport(data))));
    const replaced = inThreadCore.quality.repairs.find((r) => r.kind === 'replaced');
    expect(replaced?.count).toBe(124);
    expect(formatEpisodeFix(replaced!.examples[0])).toBe(formatEpisodeFix(data.fixes.find((f) => f.kind === 'replaced')!));
  });

  it('reads every breakdown of a dataset by default (the CLI reads --tidy and --dfe with the same function)', () => {
    const { dataset } = deriveAnnualDataset(loadSsda903Folder(FIXTURES, { lenient: true }));
    expect(Object.keys(datasetSystemInput(dataset).breakdowns ?? {}).sort()).toEqual(['age', 'placement', 'placementType', 'provider', 'uasc']);
  });

  it('gives the same paths as carecast project --ssda903 on the same folder, paths, seed and year, and the same defaults', async () => {
    const base: ProjectCommandOptions = { measure: 'children_in_care', levels: '80,95', out: 'out', write: false, ssda903: FIXTURES };
    const same = (page: unknown, cli: unknown): void => {
      const p = page as { years: number[]; paths: Record<string, { values: Float64Array }>; breakdowns: Record<string, { paths: Record<string, { values: Float64Array }>; byGroup: Record<string, { point: number[] }> }> };
      const c = cli as typeof p;
      expect(p.years).toEqual(c.years);
      for (const k of ['stock', 'started', 'ceased']) expect(bits(p.paths[k].values), k).toEqual(bits(c.paths[k].values));
      expect(Object.keys(p.breakdowns)).toEqual(Object.keys(c.breakdowns));
      for (const [d, b] of Object.entries(c.breakdowns)) {
        expect(Object.keys(p.breakdowns[d].paths)).toEqual(Object.keys(b.paths));
        for (const [g, paths] of Object.entries(b.paths)) expect(bits(p.breakdowns[d].paths[g].values), `${d}.${g}`).toEqual(bits(paths.values));
        for (const [g, grp] of Object.entries(b.byGroup)) expect(p.breakdowns[d].byGroup[g].point, `${d}.${g}`).toEqual(grp.point);
      }
    };
    const cli = await runProject({ ...base, to: '2026', paths: '400', randomSeed: '5' });
    expect(cli.system?.engine).toBe('episodes');
    same(inThreadCore.system, cli.system);
    // the CLI's JSON holds the same records
    const json = JSON.parse((await runProject({ ...base, to: '2026', paths: '400', randomSeed: '5', json: true })).text) as { records: unknown[] };
    expect(JSON.parse(JSON.stringify(systemRecords(inThreadCore.system!)))).toEqual(json.records);
    // with no options at all: the CLI's defaults (fitted to 31 March 2022, to 2032, 2,000 paths, seed 1)
    const [page, noOptions] = await Promise.all([projectSsda903Files(files), runProject(base)]);
    expect(fitYears(loadSsda903Folder(FIXTURES)).last).toBe(2022);
    expect(page.system?.years.at(-1)).toBe(2032);
    expect(page.system?.paths.stock.paths).toBe(2000);
    same(page.system, noOptions.system);
  }, 120_000);

  it('reports the stages, and a projection the episode model cannot make as problems, not a throw', async () => {
    const stages: Ssda903Stage[] = [];
    const r = await projectSsda903Files(files, { ...options, system: { to: 2019 }, onProgress: (s) => stages.push(s) });
    expect(stages).toEqual(['reading', 'projecting']);
    expect(r.system).toBeNull();
    expect(r.problems[0]).toMatchObject({ field: 'to' });
    expect(r.ranIn).toBe('thread');
    // without a projection, the input is the annual series derived from the episodes (children in care can still be shown)
    expect(r.input).toEqual(datasetSystemInput(deriveAnnualDataset(loadSsda903Folder(FIXTURES, { lenient: true })).dataset, ['placement', 'provider']));
    // no header files: no dates of birth
    const noHeaders = await projectSsda903Files(files.filter((f) => !f.name.includes('header')), { read: { lenient: true } });
    expect(noHeaders.system).toBeNull();
    expect(noHeaders.problems[0]).toMatchObject({ field: 'files' });
  });
});

describe('projectSsda903FilesInWorker', () => {
  it('runs in this thread where there is no Web Worker (Node), with the same numbers', async () => {
    expect((globalThis as { Worker?: unknown }).Worker).toBeUndefined();
    const r = await projectSsda903FilesInWorker(files, options);
    expect(r.ranIn).toBe('thread');
    const { timings: _a, ranIn: _b, ...core } = r;
    expect(bits(core)).toEqual(bits(inThreadCore));
  });

  it('in a worker (a worker thread here): bit-identical to this thread, progress reported, bytes given left intact, the same errors', async () => {
    worker = new Ssda903Worker();
    await worker.ready();
    const stages: Ssda903Stage[] = [];
    const before = files.map((f) => f.content.byteLength);
    const r = await projectSsda903FilesInWorker(files, { ...options, worker, onProgress: (s) => stages.push(s) });
    expect(r.ranIn).toBe('worker');
    expect(stages).toEqual(['reading', 'projecting']);
    expect(files.map((f) => f.content.byteLength)).toEqual(before);
    const { timings: _a, ranIn: _b, ...core } = r;
    expect(bits(core)).toEqual(bits(inThreadCore));
    expect(r.system?.paths.stock.values).toBeInstanceOf(Float64Array);
    // a bad row, not lenient: the same CarecastInputError as in this thread
    const bad = files.map((f) => (f.name === '2019-episodes.csv' ? { name: f.name, content: Buffer.from(f.content).toString('utf8').replace(/\n([^,\n]*),/, '\n$1,not-a-date-') } : f));
    const inThread = await projectSsda903Files(bad, {}).catch((e: unknown) => e);
    const inWorker = await worker.project(bad, {}).catch((e: unknown) => e);
    expect(inThread).toBeInstanceOf(CarecastInputError);
    expect(inWorker).toBeInstanceOf(CarecastInputError);
    expect((inWorker as CarecastInputError).problems).toEqual((inThread as CarecastInputError).problems);
  }, 120_000);
});
