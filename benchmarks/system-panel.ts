/**
 * Benchmark (issue 3): project every LA of the DfE panel as a whole system:
 * children in care through starters and leavers (stock-flow), placement groups
 * and provider groups as shares of that total, with 80% and 95% bands from
 * simulated paths. Target: all LAs in under 2 s on this 2-core machine.
 *
 * Run: npx tsx benchmarks/system-panel.ts [--paths 1000] [--to 2031] [--runs 5] [--data DIR]
 * (default: the bundled DfE panel; its placement and provider groups, SFR 2011-2017 and EES 2020-2024)
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { SeriesInput } from '../src/data/yearValue.js';
import { projectSystemPanel, SystemPanelPool, type PanelItem } from '../src/system/systemPanel.js';
import { benchmarkPanel } from './lib/dfeData.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const PATHS = Number(opt('paths', '1000'));
const TO = Number(opt('to', '2031'));
const RUNS = Number(opt('runs', '5'));
const DATA = opt('data', process.env.CARECAST_DFE_DIR ?? '') || undefined;

const tLoad = performance.now();
const { panel, source } = benchmarkPanel(DATA);
const loadMs = performance.now() - tLoad;

// build every LA's input once (data preparation is not part of the timed projection)
const inputs: PanelItem[] = [];
const skipped: string[] = [];
for (const area of panel.areas) {
  if (area.level !== 'local_authority') continue;
  const s = panel.series.get(area.name)!;
  const placement: Readonly<Record<string, SeriesInput>> = s.breakdowns.placement;
  const provider: Readonly<Record<string, SeriesInput>> = s.breakdowns.provider;
  if (!s.started || !s.ceased || Object.keys(placement).length < 5 || Object.keys(provider).length < 4) {
    skipped.push(area.name);
    continue;
  }
  inputs.push({
    area: area.name,
    input: {
      stock: s.childrenInCare,
      started: s.started,
      ceased: s.ceased,
      ...(s.population ? { population: s.population } : {}),
      breakdowns: { placement, provider },
    },
  });
}

async function runAll(pool?: SystemPanelPool): Promise<{ ok: number; failed: { area: string; reason: string }[] }> {
  const results = await projectSystemPanel(inputs, { to: TO, paths: PATHS, seed: 1, levels: [80, 95], ...(pool ? { pool } : {}) });
  return {
    ok: results.filter((r) => r.ok).length,
    failed: results.flatMap((r) => (r.ok ? [] : [{ area: r.area, reason: r.error.split('\n')[0].slice(0, 140) }])),
  };
}

async function timeRuns(pool?: SystemPanelPool): Promise<{ median: number; times: number[] }> {
  await runAll(pool); // warm-up
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    await runAll(pool);
    times.push(performance.now() - t0);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], times };
}

const warm = await runAll();
const single = await timeRuns();
const tPool = performance.now();
const pool = new SystemPanelPool(2);
await projectSystemPanel(inputs.slice(0, 2), { to: TO, paths: 10, pool });
const poolStartMs = performance.now() - tPool;
const pooled = await timeRuns(pool);
await pool.close();
const peakRss = Math.max(process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`- Machine: ${cpu}, ${os.cpus().length} cores, ${os.type()} ${os.release()} (${os.arch()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM; Node ${process.version}`);
console.log(`- Date: ${new Date().toISOString()}`);
console.log(`- Command: \`npx tsx benchmarks/system-panel.ts --paths ${PATHS} --to ${TO} --runs ${RUNS}\``);
console.log(`- Panel loaded in ${loadMs.toFixed(0)} ms (${source}). LAs with flows and placement and provider groups: ${inputs.length}; without: ${skipped.length} (${skipped.join(', ')}).`);
console.log(`- Each run: for every LA, projectSystem to ${TO}: stock-flow (entry and exit rates, auto among naive/drift/linear, ${PATHS} paths), 5 placement groups and 4 provider groups as joint log-ratio mixes, 80% and 95% bands and 5/10/25/50/75/90/95 quantiles for the stock, starters, leavers, rates and every group.`);
console.log(`- Projected: ${warm.ok} LAs; refused with a clear error: ${warm.failed.length}${warm.failed.length ? ` (${warm.failed.map((f) => `${f.area}: ${f.reason}`).join('; ')})` : ''}.`);
console.log('');
console.log('| measure | this thread | 2 worker threads |');
console.log('|---|---:|---:|');
console.log(`| wall time, all LAs, median of ${RUNS} (ms) | ${single.median.toFixed(0)} | ${pooled.median.toFixed(0)} |`);
console.log(`| per LA (ms) | ${(single.median / Math.max(1, warm.ok)).toFixed(2)} | ${(pooled.median / Math.max(1, warm.ok)).toFixed(2)} |`);
console.log(`| runs (ms) | ${single.times.map((t) => t.toFixed(0)).join(', ')} | ${pooled.times.map((t) => t.toFixed(0)).join(', ')} |`);
console.log(`| target 2000 ms | ${single.median < 2000 ? 'met' : 'not met'} (${(single.median / 2000).toFixed(2)} of target) | ${pooled.median < 2000 ? 'met' : 'not met'} (${(pooled.median / 2000).toFixed(2)} of target) |`);
console.log('');
console.log(`- Peak RSS (whole process incl. tsx, main thread and workers): ${(peakRss / 2 ** 20).toFixed(0)} MB.`);
console.log(`- Worker column: a SystemPanelPool of 2 threads kept open across runs (started once in ${poolStartMs.toFixed(0)} ms from the TypeScript sources through tsx; ~60 ms from the compiled build), warm-up run first. Each area uses seed streamSeed(1, i), so both columns compute identical numbers.`);
