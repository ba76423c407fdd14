/**
 * carecast/danfo with danfojs (a dev dependency only): shape, columns and
 * values of the frames; skipped when danfojs is not installed.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { projectionFrame, systemFrame, toDataFrame } from '../../src/danfo.js';
import { findSeries, forecast, loadSeed, projectionRecords, projectSystem, systemRecords } from '../../src/index.js';

const require = createRequire(import.meta.url);
let haveDanfo = true;
try {
  require.resolve('danfojs');
} catch {
  haveDanfo = false;
  console.warn('test/interop/danfo.test.ts skipped: danfojs is not installed (npm install --save-exact -D danfojs@1.1.2)');
}

describe.skipIf(!haveDanfo)('carecast/danfo with danfojs', async () => {
  const dfd = haveDanfo ? await import('danfojs') : (undefined as never);
  const ds = loadSeed('derbyshire').dataset;
  const cic = findSeries(ds, 'children_in_care');

  it('projectionFrame: one row per record, the records\' columns and values', () => {
    const p = forecast(cic, { to: 2030 });
    const recs = projectionRecords(p);
    const df = projectionFrame(p, dfd);
    expect(df.shape).toEqual([recs.length, Object.keys(recs[0]).length]);
    expect(df.columns).toEqual(['area', 'measure', 'year', 'type', 'method', 'value', 'point', 'lo_80', 'hi_80', 'lo_95', 'hi_95', 'summary']);
    expect(df['year'].values).toEqual(recs.map((r) => r.year));
    expect(df['type'].values).toEqual(recs.map((r) => r.type));
    // values are not rounded to float32
    expect(df['point'].values.slice(7)).toEqual(p.point);
    expect(df['hi_95'].values.slice(7)).toEqual(p.intervals[1].upper);
    expect(df['value'].values.slice(0, 7)).toEqual([719, 802, 861, 899, 909, 995, 1057]);
    expect(df['value'].values[7]).toBeNull();
  });

  it('systemFrame: year x measure x group rows', () => {
    const sys = projectSystem(
      {
        stock: cic,
        started: findSeries(ds, 'started'),
        ceased: findSeries(ds, 'ceased'),
        breakdowns: { placement: { fostering: [{ year: 2022, value: 620 }, { year: 2023, value: 634 }], residential: [{ year: 2022, value: 190 }, { year: 2023, value: 234 }] } },
      },
      { to: 2027, paths: 200, seed: 1 },
    );
    const recs = systemRecords(sys);
    const df = systemFrame(sys, dfd);
    expect(df.shape[0]).toBe(recs.length);
    expect(df.shape[0]).toBe(3 * 6); // 3 years x (stock, started, ceased, fostering, residential, unallocated)
    expect(df.columns.slice(0, 7)).toEqual(['area', 'year', 'measure', 'group', 'point', 'median', 'share']);
    const placement = df.query(df['measure'].eq('placement'));
    expect(placement.shape[0]).toBe(9);
    expect(placement['group'].unique().values).toEqual(['fostering', 'residential', 'unallocated']);
    expect(df['point'].values).toEqual(recs.map((r) => r.point));
  });

  it('toDataFrame fills ragged rows with null and rejects a non-module', () => {
    const df = toDataFrame([{ a: 1, b: 'x' }, { a: 2, c: 3.25 }], dfd);
    expect(df.shape).toEqual([2, 3]);
    expect(df.columns).toEqual(['a', 'b', 'c']);
    expect(df['c'].values).toEqual([null, 3.25]);
    expect(() => toDataFrame([{ a: 1 }], {} as never)).toThrow(TypeError);
  });
});

describe('carecast/danfo without danfo', () => {
  it('works with any constructor of the same shape and never loads danfo itself', async () => {
    class Frame {
      constructor(readonly rows: object[]) {}
    }
    const f = toDataFrame([{ year: 2025, point: 1 }, { year: 2026 }], { DataFrame: Frame });
    expect(f.rows).toEqual([{ year: 2025, point: 1 }, { year: 2026, point: null }]);
    const { readFileSync } = await import('node:fs');
    const src = readFileSync('src/danfo.ts', 'utf8');
    expect(src).not.toMatch(/^import[^;]*from ['"]danfojs/m); // only the doc comment names it
    expect(src).not.toMatch(/import\(\s*['"]danfojs/);
    expect(readFileSync('src/index.ts', 'utf8')).not.toMatch(/from ['"][^'"]*danfo/); // the front door does not import the adapter
  });
});
