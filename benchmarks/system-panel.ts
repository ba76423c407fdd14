/**
 * Benchmark (issues 3 and 13): project every LA of the DfE panel as a whole system with the one
 * system model: children in care anchored to the default forecast, starters and leavers (pooled
 * mean-reverting rates, reconciled with the total on every path), placement, provider and age groups
 * as shares of the total on every path, with 80% and 95% bands and quantiles from the paths. Target
 * (issue 13): all LAs in under 2 s in one thread on this 2-core machine.
 *
 * Run: npx tsx benchmarks/system-panel.ts [--paths 1000] [--to 2031] [--runs 5] [--data DIR]
 * (default: the bundled DfE panel; the bundled system dynamics, seeds/dfe-system.json)
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { dfeSystemPanel } from '../src/system/dfeInput.js';
import { loadDfeSystem } from '../src/system/dfeSystem.js';
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
const tInput = performance.now();
const inputs: PanelItem[] = [...dfeSystemPanel(panel)].map(([area, input]) => ({ area, input }));
const inputMs = performance.now() - tInput;
const dynamics = loadDfeSystem();
const skipped: string[] = [];

async function runAll(pool?: SystemPanelPool): Promise<{ ok: number; failed: { area: string; reason: string }[] }> {
  const results = await projectSystemPanel(inputs, { to: TO, paths: PATHS, seed: 1, levels: [80, 95], dynamics, ...(pool ? { pool } : {}) });
  return {
    ok: results.filter((r) => r.ok).length,
    failed: results.flatMap((r) => (r.ok ? [] : [{ area: r.area, reason: r.error.split('\n')[0].slice(0, 140) }])),
  };
}

async function timeRuns(pool?: SystemPanelPool): Promise<{ median: number; times: number[]; cpu: number[] }> {
  await runAll(pool); // warm-up
  const times: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await runAll(pool);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], times, cpu };
}

const warm = await runAll();
const single = await timeRuns();
const tPool = performance.now();
const pool = new SystemPanelPool(2);
await projectSystemPanel(inputs.slice(0, 2), { to: TO, paths: 10, dynamics, pool });
const poolStartMs = performance.now() - tPool;
const pooled = await timeRuns(pool);
await pool.close();
const peakRss = Math.max(process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`- Load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (2 cores shared with other jobs)`);
console.log(`- Machine: ${cpu}, ${os.cpus().length} cores, ${os.type()} ${os.release()} (${os.arch()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM; Node ${process.version}`);
console.log(`- Date: ${new Date().toISOString()}`);
console.log(`- Command: \`npx tsx benchmarks/system-panel.ts --paths ${PATHS} --to ${TO} --runs ${RUNS}\``);
console.log(`- Panel loaded in ${loadMs.toFixed(0)} ms (${source}); every LA's input (dfeSystemPanel, with populations) built in ${inputMs.toFixed(0)} ms: ${inputs.length} LAs${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}.`);
console.log(`- Each run: for every LA, projectSystem to ${TO} with the bundled dynamics and ${PATHS} paths: the total anchored to the default forecast (copula paths), starters and leavers, 4 placement groups + residential, 3 provider groups and 5 age bands as shares on every path, 80% and 95% bands and P10/P50/P90 for every quantity, and the tidy records.`);
console.log(`- Projected: ${warm.ok} LAs; refused with a clear error: ${warm.failed.length}${warm.failed.length ? ` (${warm.failed.map((f) => `${f.area}: ${f.reason}`).join('; ')})` : ''}.`);
console.log('');
console.log('| measure | this thread | 2 worker threads |');
console.log('|---|---:|---:|');
console.log(`| wall time, all LAs, median of ${RUNS} (ms) | ${single.median.toFixed(0)} | ${pooled.median.toFixed(0)} |`);
console.log(`| per LA (ms) | ${(single.median / Math.max(1, warm.ok)).toFixed(2)} | ${(pooled.median / Math.max(1, warm.ok)).toFixed(2)} |`);
console.log(`| runs (ms) | ${single.times.map((t) => t.toFixed(0)).join(', ')} | ${pooled.times.map((t) => t.toFixed(0)).join(', ')} |`);
console.log(`| CPU time of the process per run (ms; all its threads) | ${single.cpu.map((t) => t.toFixed(0)).join(', ')} | ${pooled.cpu.map((t) => t.toFixed(0)).join(', ')} |`);
console.log(`| target 2000 ms | ${single.median < 2000 ? 'met' : 'not met'} (${(single.median / 2000).toFixed(2)} of target) | ${pooled.median < 2000 ? 'met' : 'not met'} (${(pooled.median / 2000).toFixed(2)} of target) |`);
console.log('');
console.log(`- Peak RSS (whole process incl. tsx, main thread and workers): ${(peakRss / 2 ** 20).toFixed(0)} MB.`);
console.log(`- Worker column: a SystemPanelPool of 2 threads kept open across runs (started once in ${poolStartMs.toFixed(0)} ms from the TypeScript sources through tsx; ~60 ms from the compiled build), warm-up run first. Each area uses seed streamSeed(1, i), so both columns compute identical numbers.`);
