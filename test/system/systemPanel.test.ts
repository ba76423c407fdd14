/** projectSystemPanel: many areas, same numbers in this thread and on workers. */
import { describe, expect, it } from 'vitest';
import { findSeries } from '../../src/data/breakdown.js';
import { loadSeed } from '../../src/data/seeds.js';
import { projectSystemPanel, SystemPanelPool, type PanelItem } from '../../src/system/systemPanel.js';

function items(): PanelItem[] {
  const ds = loadSeed('derbyshire').dataset;
  const base = { stock: findSeries(ds, 'children_in_care'), started: findSeries(ds, 'started'), ceased: findSeries(ds, 'ceased') };
  return [
    { area: 'Derbyshire', input: base },
    { area: 'Derbyshire scaled', input: { ...base, stock: base.stock.points.map((p) => ({ year: p.year, value: (p.value ?? 0) * 2 })) } },
    { area: 'Broken', input: { ...base, stock: [] } },
  ];
}

describe('projectSystemPanel', () => {
  it('projects every area with its own seed; bad areas are reported, not fatal; workers give identical numbers', async () => {
    const progress: number[] = [];
    const local = await projectSystemPanel(items(), { to: 2028, paths: 200, seed: 5, onProgress: (d) => progress.push(d) });
    expect(progress).toEqual([1, 2, 3]);
    expect(local.map((r) => r.ok)).toEqual([true, true, false]);
    const broken = local[2];
    expect(broken.ok ? '' : broken.error).toMatch(/no children in care/);
    const pool = new SystemPanelPool(2);
    try {
      const onWorkers = await projectSystemPanel(items(), { to: 2028, paths: 200, seed: 5, pool });
      expect(onWorkers).toEqual(local);
      const again = await projectSystemPanel(items(), { to: 2028, paths: 200, seed: 6, pool });
      expect(again).not.toEqual(local);
    } finally {
      await pool.close();
    }
  }, 60_000);
  it('rejects a bad worker count', async () => {
    await expect(projectSystemPanel(items(), { to: 2028, workers: -1 })).rejects.toThrow(/whole number >= 0/);
    expect(() => new SystemPanelPool(0)).toThrow(/whole number >= 1/);
  });
});
