/**
 * The simulation engine: reproducible paths for many series, in-process and
 * on worker threads (bit-identical), bands that agree with the analytic
 * intervals, derived outputs built path by path, progress, and clear errors.
 * (The heavier per-method check of simulate() is in test/models/simulate.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamSeed } from '../../src/math/rng.js';
import { fitMethod } from '../../src/models/registry.js';
import { METHOD_NAMES, type SamplePaths } from '../../src/models/types.js';
import { pathBands } from '../../src/uncertainty/pathBands.js';
import {
  autoWorkerCount,
  derivePaths,
  mapPaths,
  simulateSeries,
  simulateSeriesSync,
  sumPaths,
  type SimulationSpec,
} from '../../src/uncertainty/simulate.js';
import { runSimulationTask, SimulationPool, WORKER_MODE } from '../../src/uncertainty/workerPool.js';

const y = [660, 700, 664, 628, 603, 585, 630, 719, 802, 861, 899, 909, 995, 1057]; // Derbyshire 2011-2024
const specs: SimulationSpec[] = METHOD_NAMES.map((method, i) => ({
  id: `${method}-${i}`,
  series: y.map((v) => v * (1 + i / 10)),
  method,
}));
specs.push({ id: 'rg3', series: y, method: 'repeatGrowth', methodOptions: { repeatGrowth: { window: 3 } } });

function same(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('simulateSeries: reproducibility', () => {
  it('the same seed gives the same paths; series i uses streamSeed(seed, i) and equals the model simulate()', () => {
    const a = simulateSeriesSync(specs, { horizon: 6, paths: 300, seed: 11 });
    const b = simulateSeriesSync(specs, { horizon: 6, paths: 300, seed: 11 });
    const c = simulateSeriesSync(specs, { horizon: 6, paths: 300, seed: 12 });
    a.series.forEach((s, i) => {
      expect(same(s.paths.values, b.series[i].paths.values)).toBe(true);
      expect(same(s.paths.values, c.series[i].paths.values)).toBe(false);
      expect(s.seedUsed).toBe(streamSeed(11, i));
      const direct = fitMethod(specs[i].method, specs[i].series, specs[i].methodOptions).simulate(6, { paths: 300, seed: s.seedUsed });
      expect(same(s.paths.values, direct.values)).toBe(true);
      expect(s.bands).toEqual(pathBands(s.paths, [80, 95]));
    });
    expect(a.byId.get('rg3')?.method).toBe('repeatGrowth');
    expect(a.chunks).toBe(specs.length);
    expect(a.workers).toBe(0);
  });

  it('a series’ paths do not depend on the other series (order and company)', () => {
    const all = simulateSeriesSync(specs, { horizon: 4, paths: 100, seed: 3 });
    const alone = simulateSeriesSync([specs[0]], { horizon: 4, paths: 100, seed: 3 });
    expect(same(all.series[0].paths.values, alone.series[0].paths.values)).toBe(true);
  });

  it('chunked: independent of the number of workers, reproducible, and each chunk seeded streamSeed(seedUsed, c)', () => {
    const opts = { horizon: 5, paths: 250, seed: 9, chunkPaths: 100 } as const;
    const a = simulateSeriesSync(specs.slice(0, 2), opts);
    expect(a.chunks).toBe(6);
    const s = a.series[1];
    const chunk2 = fitMethod(specs[1].method, specs[1].series).simulate(5, { paths: 50, seed: streamSeed(s.seedUsed, 2) });
    expect(same(s.paths.values.subarray(200 * 5), chunk2.values)).toBe(true);
    expect(same(simulateSeriesSync(specs.slice(0, 2), opts).series[1].paths.values, s.paths.values)).toBe(true);
  });

  it('runSimulationTask is what both paths run', () => {
    const r = runSimulationTask({ series: y, method: 'drift', horizon: 3, paths: 10, seed: 5, bandLevels: [50] });
    expect(same(r.values, fitMethod('drift', y).simulate(3, { paths: 10, seed: 5 }).values)).toBe(true);
    expect(r.bands?.intervals[0].level).toBe(50);
  });
});

describe('simulateSeries on worker threads', () => {
  let pool: SimulationPool;
  beforeAll(async () => {
    pool = new SimulationPool(2);
    await pool.ready();
  }, 60_000);
  afterAll(async () => {
    await pool.close();
  });

  it(`workers (${WORKER_MODE}) give bit-identical paths and bands to in-process, whole and chunked`, async () => {
    const opts = { horizon: 12, paths: 2000, seed: 42 } as const;
    const local = simulateSeriesSync(specs, opts);
    const viaPool = await simulateSeries(specs, { ...opts, pool });
    expect(viaPool.workers).toBe(2);
    viaPool.series.forEach((s, i) => {
      expect(same(s.paths.values, local.series[i].paths.values)).toBe(true);
      expect(s.bands).toEqual(local.series[i].bands);
      expect(s.model.method).toBe(specs[i].method);
    });
    const localChunked = simulateSeriesSync(specs, { ...opts, chunkPaths: 300 });
    const poolChunked = await simulateSeries(specs, { ...opts, chunkPaths: 300, pool });
    poolChunked.series.forEach((s, i) => {
      expect(same(s.paths.values, localChunked.series[i].paths.values)).toBe(true);
      expect(s.bands).toEqual(localChunked.series[i].bands);
    });
  }, 60_000);

  it('workers: 2 (its own pool, started and closed) equals workers: 0', async () => {
    const opts = { horizon: 4, paths: 500, seed: 1 } as const;
    const seen: [number, number][] = [];
    const w0 = await simulateSeries(specs.slice(0, 3), { ...opts, workers: 0 });
    const w2 = await simulateSeries(specs.slice(0, 3), { ...opts, workers: 2, onProgress: (d, t) => seen.push([d, t]) });
    expect(w2.workers).toBe(2);
    w2.series.forEach((s, i) => expect(same(s.paths.values, w0.series[i].paths.values)).toBe(true));
    expect(seen.map(([d]) => d)).toEqual([1, 2, 3]);
    expect(seen.every(([, t]) => t === 3)).toBe(true);
  }, 60_000);

  it('a task error in a worker rejects the run with the error; the pool keeps working', async () => {
    await expect(
      pool.run([{ series: [1, 2], method: 'dampedTrend', horizon: 2, paths: 5, seed: 1 }]),
    ).rejects.toThrow(RangeError);
    const [r] = await pool.run([{ series: y, method: 'naive', horizon: 2, paths: 5, seed: 1 }]);
    expect(r.values.length).toBe(10);
  }, 60_000);

  it('an empty list through a pool still reports progress once', async () => {
    const calls: [number, number][] = [];
    const r = await simulateSeries([], { horizon: 2, paths: 10, seed: 1, pool, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([[0, 0]]);
    expect(r.workers).toBe(0);
  });

  it('an onProgress that throws stops the run with its error', async () => {
    await expect(
      simulateSeries(specs, {
        horizon: 2,
        paths: 10,
        seed: 1,
        pool,
        onProgress: () => {
          throw new Error('stop here');
        },
      }),
    ).rejects.toThrow('stop here');
  }, 60_000);
});

describe('bands agree with the analytic intervals (light version)', () => {
  it('every method, 20,000 paths: the 80% and 95% bounds at steps 1 and 5 within Monte Carlo error', () => {
    const h = 5;
    const r = simulateSeriesSync(specs.slice(0, METHOD_NAMES.length), { horizon: h, paths: 20_000, seed: 2024, levels: [95, 80] });
    expect(r.levels).toEqual([80, 95]);
    for (const s of r.series) {
      const fc = s.model.forecast(h, { levels: [80, 95] });
      const b = s.bands!;
      for (const step of [0, h - 1]) {
        const width = fc.intervals[1].upper[step] - fc.intervals[1].lower[step];
        for (const i of [0, 1]) {
          expect(Math.abs(b.intervals[i].lower[step] - fc.intervals[i].lower[step])).toBeLessThan(0.03 * width);
          expect(Math.abs(b.intervals[i].upper[step] - fc.intervals[i].upper[step])).toBeLessThan(0.03 * width);
        }
        // the reported quantiles are the 80% interval's bounds (up to rounding of 0.1) and the median
        expect(b.quantiles.p10[step]).toBeCloseTo(b.intervals[0].lower[step], 6);
        expect(b.quantiles.p90[step]).toBeCloseTo(b.intervals[0].upper[step], 6);
        expect(b.quantiles.p50[step]).toBe(b.median[step]);
        expect(Object.keys(b.quantiles)).toEqual(['p5', 'p10', 'p25', 'p50', 'p75', 'p90', 'p95']);
      }
    }
  });
});

describe('derived outputs', () => {
  const r = simulateSeriesSync(
    [
      { id: 'a', series: y, method: 'naive' },
      { id: 'b', series: y.map((v) => v / 2), method: 'naive' },
      { id: 'c', series: y.map((v) => v * 1.5), method: 'naive' },
    ],
    { horizon: 8, paths: 20_000, seed: 5 },
  );
  const parts = r.series.map((s) => s.paths);

  it('the band of a sum comes from summed paths: narrower than adding the bands for independent series', () => {
    const total = sumPaths(parts);
    const viaFn = derivePaths(parts, (v) => v[0] + v[1] + v[2]);
    expect(same(total.values, viaFn.values)).toBe(true);
    expect(total.values[3 * 8 + 2]).toBe(parts[0].values[26] + parts[1].values[26] + parts[2].values[26]);
    const b = pathBands(total, [95]);
    for (const step of [0, 7]) {
      const summedBounds = r.series.reduce((acc, s) => acc + (s.bands!.intervals[1].upper[step] - s.bands!.intervals[1].lower[step]), 0);
      const width = b.intervals[0].upper[step] - b.intervals[0].lower[step];
      expect(width).toBeLessThan(0.8 * summedBounds);
      // independent normals: the sum's sd is the root of the summed variances
      const sds = r.series.map((s) => (s.bands!.intervals[1].upper[step] - s.bands!.intervals[1].lower[step]) / (2 * 1.96));
      const expected = 2 * 1.96 * Math.sqrt(sds.reduce((a, v) => a + v * v, 0));
      expect(Math.abs(width - expected) / expected).toBeLessThan(0.05);
      // the mean of the sum is the sum of the means
      expect(b.mean[step]).toBeCloseTo(r.series.reduce((a, s) => a + s.bands!.mean[step], 0), 6);
    }
  });

  it('costs: weights per input, per input per step, and mapPaths agree', () => {
    const unit = Array.from({ length: 8 }, (_, h) => 1000 * 1.03 ** h);
    const c1 = sumPaths([parts[0], parts[1]], [unit, 2]);
    const c2 = derivePaths([parts[0], parts[1]], (v, h) => v[0] * unit[h] + 2 * v[1]);
    const c3 = sumPaths([mapPaths(parts[0], (v, h) => v * unit[h]), mapPaths(parts[1], (v) => 2 * v)]);
    for (let j = 0; j < c1.values.length; j += 997) {
      expect(c1.values[j]).toBeCloseTo(c2.values[j], 6);
      expect(c3.values[j]).toBeCloseTo(c2.values[j], 6);
    }
  });

  it('inputs that do not line up, or mismatched weights, are errors', () => {
    const short: SamplePaths = { paths: 10, horizon: 8, values: new Float64Array(80) };
    expect(() => sumPaths([parts[0], short])).toThrow(/input 1 has 10 paths × 8 steps but input 0 has 20000 × 8/);
    expect(() => derivePaths([], () => 0)).toThrow(RangeError);
    expect(() => sumPaths(parts, [1, 2])).toThrow(/2 weights for 3 inputs/);
    expect(() => sumPaths(parts, [1, 1, [1, 2]])).toThrow(/one per step/);
  });
});

describe('progress and options', () => {
  it('onProgress is called per chunk and once at the end with done === total; absent is fine', async () => {
    const calls: [number, number][] = [];
    simulateSeriesSync(specs.slice(0, 2), { horizon: 3, paths: 50, seed: 1, chunkPaths: 20, onProgress: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([1, 2, 3, 4, 5, 6].map((d) => [d, 6]));
    const empty: [number, number][] = [];
    const r = await simulateSeries([], { horizon: 3, paths: 50, seed: 1, onProgress: (d, t) => empty.push([d, t]) });
    expect(empty).toEqual([[0, 0]]);
    expect(r.series).toEqual([]);
    await expect(simulateSeries(specs.slice(0, 1), { horizon: 3, paths: 50, seed: 1 })).resolves.toBeDefined();
  });

  it('bands: false leaves the bands out', () => {
    const r = simulateSeriesSync(specs.slice(0, 1), { horizon: 3, paths: 50, seed: 1, bands: false });
    expect(r.series[0].bands).toBeUndefined();
  });

  it("workers: 'auto' stays in-process for small jobs, and never uses more workers than chunks or cores", async () => {
    const r = await simulateSeries(specs, { horizon: 3, paths: 100, seed: 1, workers: 'auto' });
    expect(r.workers).toBe(0);
    expect(autoWorkerCount(1e9, 1, 8)).toBe(0);
    expect(autoWorkerCount(1e9, 20, 1)).toBe(0);
    expect(autoWorkerCount(1e9, 3, 8)).toBe(3);
    expect(autoWorkerCount(1e9, 20, 2)).toBe(2);
  });

  it('bad options and series are clear errors, before any work', async () => {
    const o = { horizon: 3, paths: 10, seed: 1 };
    expect(() => simulateSeriesSync(specs, { ...o, paths: 0 })).toThrow(/paths must be a positive whole number, got 0/);
    expect(() => simulateSeriesSync(specs, { ...o, paths: 2.5 })).toThrow(RangeError);
    expect(() => simulateSeriesSync(specs, { ...o, horizon: 0 })).toThrow(/horizon must be a positive whole number/);
    expect(() => simulateSeriesSync(specs, { ...o, seed: Number.NaN })).toThrow(/seed must be a finite number/);
    expect(() => simulateSeriesSync(specs, { ...o, levels: [120] })).toThrow(/strictly between 0 and 100/);
    expect(() => simulateSeriesSync(specs, { ...o, chunkPaths: 0 })).toThrow(/chunkPaths/);
    expect(() =>
      simulateSeriesSync([{ id: 'x', series: y, method: 'holtWinters' as never }], o),
    ).toThrow(/series 0 \("x"\): unknown method "holtWinters"; use one of naive, drift/);
    expect(() => simulateSeriesSync([{ id: 'short', series: y.slice(0, 5), method: 'dampedTrend' }], o)).toThrow(
      /series 0 \("short"\): dampedTrend needs at least 10 observations, got 5/,
    );
    expect(() => simulateSeriesSync([{ id: 'neg', series: [3, -1, 4], method: 'loglinear' }], o)).toThrow(/"neg".*values > 0/);
    expect(() => simulateSeriesSync([specs[0], { ...specs[1], id: specs[0].id }], o)).toThrow(/used twice/);
    await expect(simulateSeries(specs, { ...o, paths: -1, workers: 2 })).rejects.toThrow(RangeError);
    await expect(simulateSeries(specs, { ...o, workers: -1 })).rejects.toThrow(/workers must be 'auto' or a whole number/);
    await expect(simulateSeries([{ id: 's', series: [1], method: 'naive' }], { ...o, workers: 2 })).rejects.toThrow(
      /series 0 \("s"\): naive needs at least 2 observations, got 1/,
    );
    expect(() => new SimulationPool(0)).toThrow(RangeError);
  });
});

describe('starting workers outside vitest', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  // a child script: simulate with workers 0 and 2 and say whether they agree
  const script = (simulateUrl: string) => `
    const { simulateSeries } = await import(${JSON.stringify(simulateUrl)});
    const y = [660, 700, 664, 628, 603, 585, 630, 719, 802, 861, 899, 909];
    const specs = ['drift', 'dampedTrend', 'loglinear'].map((method, i) => ({ id: method, series: y, method }));
    const opts = { horizon: 5, paths: 400, seed: 8 };
    const a = await simulateSeries(specs, { ...opts, workers: 0 });
    const b = await simulateSeries(specs, { ...opts, workers: 2 });
    const same = a.series.every((s, i) => s.paths.values.every((v, j) => Object.is(v, b.series[i].paths.values[j])));
    console.log(JSON.stringify({ workers: b.workers, same }));
  `;
  const run = (execArgv: string[], code: string) =>
    spawnSync(process.execPath, [...execArgv, '--input-type=module', '-e', code], { cwd: os.tmpdir(), encoding: 'utf8', timeout: 60_000 });

  it('compiled (tsc output, .js worker entry, no tsx), from a parent started with --input-type=module -e', () => {
    const out = mkdtempSync(join(os.tmpdir(), 'carecast-compiled-'));
    try {
      const tsc = spawnSync(
        process.execPath,
        [
          join(root, 'node_modules/typescript/bin/tsc'),
          ...['--outDir', out, '--rootDir', join(root, 'src'), '--module', 'NodeNext', '--moduleResolution', 'NodeNext'],
          ...['--target', 'ES2022', '--strict', '--skipLibCheck', '--types', 'node'],
          join(root, 'src/uncertainty/simulate.ts'),
          join(root, 'src/uncertainty/simulateWorker.ts'),
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
      const r = run([], script(pathToFileURL(join(out, 'uncertainty/simulate.js')).href));
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ workers: 2, same: true });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('from sources under node --import tsx, also with --input-type=module -e in the parent', () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const r = run(['--import', tsx], script(pathToFileURL(join(root, 'src/uncertainty/simulate.ts')).href));
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ workers: 2, same: true });
  }, 60_000);
});
