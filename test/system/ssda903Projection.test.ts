/**
 * SSDA903 files to a whole-system projection in one call
 * (`projectSsda903Files`), in this thread and in a worker
 * (`projectSsda903FilesInWorker`, `Ssda903Worker`; here a worker thread,
 * in a page a Web Worker: test/browser/bundle.test.ts and
 * test/e2e/browser.test.ts): the same numbers bit for bit, plain data, the
 * same errors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveAnnualDataset } from '../../src/data/episodes.js';
import { CarecastInputError } from '../../src/data/errors.js';
import { formatEpisodeFix } from '../../src/data/loaders/ssda903.js';
import { loadSsda903Folder } from '../../src/data/loaders/ssda903Folder.js';
import { ssda903QualityReport } from '../../src/data/ssda903Quality.js';
import { datasetSystemInput } from '../../src/system/datasetInput.js';
import { projectSystem } from '../../src/system/projectSystem.js';
import { projectSsda903Files, type Ssda903Stage } from '../../src/system/ssda903Projection.js';
import { projectSsda903FilesInWorker, Ssda903Worker } from '../../src/system/ssda903Worker.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ssda903');
const files = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.csv'))
  .sort()
  .map((name) => ({ name, content: new Uint8Array(readFileSync(join(FIXTURES, name))) }));
const options = { read: { lenient: true }, system: { to: 2026, paths: 400, seed: 5 }, breakdowns: ['placement', 'provider'] } as const;

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
  it('is readSsda903Files, the quality report, deriveAnnualDataset, datasetSystemInput and projectSystem, in one call', () => {
    const data = loadSsda903Folder(FIXTURES, { lenient: true });
    const { dataset } = deriveAnnualDataset(data);
    const input = datasetSystemInput(dataset, ['placement', 'provider']);
    expect(Object.keys(input.breakdowns ?? {})).toEqual(['placement', 'provider']);
    expect(bits(inThreadCore.input)).toEqual(bits(input));
    expect(bits(inThreadCore.system)).toEqual(bits(projectSystem(input, options.system)));
    expect(inThreadCore.problems).toEqual([]);
    // the quality report, as plain data: the loader's lazy examples made plain
    expect(inThreadCore.quality).toEqual(JSON.parse(JSON.stringify(ssda903QualityReport(data))));
    expect(structuredClone(inThreadCore.quality)).toEqual(inThreadCore.quality);
    const replaced = inThreadCore.quality.repairs.find((r) => r.kind === 'replaced');
    expect(replaced?.count).toBe(124);
    expect(formatEpisodeFix(replaced!.examples[0])).toBe(formatEpisodeFix(data.fixes.find((f) => f.kind === 'replaced')!));
  });

  it('reads every breakdown of a dataset by default (the CLI reads --tidy and --dfe with the same function)', () => {
    const { dataset } = deriveAnnualDataset(loadSsda903Folder(FIXTURES, { lenient: true }));
    expect(Object.keys(datasetSystemInput(dataset).breakdowns ?? {}).sort()).toEqual(['age', 'placement', 'placementType', 'provider', 'uasc']);
  });

  it('reports the stages, and a projection the system model cannot make as problems, not a throw', async () => {
    const stages: Ssda903Stage[] = [];
    const r = await projectSsda903Files(files, { ...options, system: { to: 2019 }, onProgress: (s) => stages.push(s) });
    expect(stages).toEqual(['reading', 'deriving', 'projecting']);
    expect(r.system).toBeNull();
    expect(r.problems[0]).toMatchObject({ field: 'to' });
    expect(r.ranIn).toBe('thread');
    // with neither to nor horizon: 5 years after the last children-in-care figure (31 March 2022)
    const h = await projectSsda903Files(files, { ...options, system: { paths: 50 } });
    expect(h.system?.years).toEqual([2023, 2024, 2025, 2026, 2027]);
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
    expect(stages).toEqual(['reading', 'deriving', 'projecting']);
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
