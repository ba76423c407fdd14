/**
 * Benchmark: the cold cost of loading the bundled data (issue 11). Targets:
 * `loadDfePanel()` under 150 ms CPU, `loadDfePanelArea(name)` under 40 ms
 * CPU for one area, and `import('carecast')` no slower than before.
 *
 * Each row is `--runs` cold processes (default 9) of the build: each
 * `node --input-type=module -e` imports the entry point, then times one
 * call with `process.cpuUsage()` (CPU: user + system of the call alone, the
 * import excluded) and `performance.now()` (wall), and reads the heap in
 * use after it. The first row times the import of `carecast` itself the
 * same way, for scale and to see that the import did not get slower; the
 * last row is Node's own start (`node -e`, CPU and wall time until the
 * script runs), to read how loaded the machine was: every figure grows
 * with the load.
 *
 * Prints the machine, date, command and the median, min and max of each.
 * `--dist DIR` measures another build (e.g. one of an older commit, with
 * its `seeds/` beside its `dist/`).
 *
 * Usage: `npm run build && npx tsx benchmarks/panel-load.ts [--runs 9] [--dist dist]`
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { coldCommand, fmt, parseColdArgs, relativeToRoot, stats } from './lib/coldRuns.js';
import { pathToFileURL } from 'node:url';




interface Run {
  readonly cpu: number;
  readonly wall: number;
  readonly heapMb: number;
  readonly check: string;
}

/**
 * One cold process: import `entry`, then time `call` (an expression using
 * the imported names). With `call` null the import itself is timed.
 */
function coldRun(entry: string, names: readonly string[], call: string | null, check: string, cwd: string): Run {
  const url = JSON.stringify(pathToFileURL(entry).href);
  const timed = call === null ? `const m = await import(${url});` : `const m = await import(${url}); const { ${names.join(', ')} } = m;`;
  const code =
    call === null
      ? `const t = process.cpuUsage(); const w = performance.now(); ${timed} const c = process.cpuUsage(t); const wall = performance.now() - w; const r = m; ` +
        `console.log(JSON.stringify({ cpu: (c.user + c.system) / 1000, wall, heapMb: process.memoryUsage().heapUsed / 2 ** 20, check: String(${check}) }));`
      : `${timed} const t = process.cpuUsage(); const w = performance.now(); const r = ${call}; const c = process.cpuUsage(t); const wall = performance.now() - w; ` +
        `console.log(JSON.stringify({ cpu: (c.user + c.system) / 1000, wall, heapMb: process.memoryUsage().heapUsed / 2 ** 20, check: String(${check}) }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`the cold run of ${call ?? `import ${entry}`} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Run;
}

/** Node's own start: CPU and wall time until a script's first line runs. */
function nodeAlone(cwd: string): Run {
  const code = "const c = process.cpuUsage(); console.log(JSON.stringify({ cpu: (c.user + c.system) / 1000, wall: performance.now(), heapMb: process.memoryUsage().heapUsed / 2 ** 20, check: '' }));";
  const r = spawnSync(process.execPath, ['-e', code], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`node -e failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Run;
}

function main(): void {
  const args = parseColdArgs(process.argv.slice(2), 'panel-load.ts', 9);
  const root = join(args.dist, 'index.js');
  const data = join(args.dist, 'data', 'index.js');
  if (!existsSync(root) || !existsSync(data)) {
    console.error(`${root} or ${data} does not exist: run \`npm run build\` first`);
    process.exit(1);
  }
  const cpus = os.cpus();
  console.log('carecast bundled data: cold load times of the built package');
  console.log(`- Machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${os.type()} ${os.release()} (${os.arch()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM; load average at start ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')}`);
  console.log(`- Node ${process.version}`);
  console.log(`- Date: ${new Date().toISOString()}`);
  console.log(`- Command: ${coldCommand('panel-load.ts', args)}`);
  console.log(`- Build: ${relativeToRoot(args.dist)}; ${args.runs} cold processes per row, each timing one call after the import (the first row: the import); median (min-max)`);
  console.log('');
  console.log('| what is timed (one cold process each) | CPU ms | wall ms | heap after, MB | check |');
  console.log('|---|---|---|---|---|');
  const rows: [string, string, string[], string | null, string][] = [
    ["`await import('carecast')`", root, [], null, "Object.keys(r).length + ' names'"],
    ['`loadDfePanel()`', root, ['loadDfePanel'], 'loadDfePanel()', "r.areas.length + ' areas, Derby 2024 ' + r.series.get('Derby').childrenInCare.points.at(-1).value"],
    ["`loadDfePanelArea('Derby')`", root, ['loadDfePanelArea'], "loadDfePanelArea('Derby')", "r.area.name + ' 2024 ' + r.childrenInCare.points.at(-1).value"],
    ['`loadOnsPopulation()` (`carecast/data`)', data, ['loadOnsPopulation'], 'loadOnsPopulation()', "r.areas.length + ' areas'"],
  ];
  const cwd = dirname(args.dist);
  for (const [label, entry, names, call, check] of rows) {
    const runs = Array.from({ length: args.runs }, () => coldRun(entry, names, call, check, cwd));
    const checks = [...new Set(runs.map((r) => r.check))];
    console.log(`| ${label} | ${fmt(stats(runs.map((r) => r.cpu)))} | ${fmt(stats(runs.map((r) => r.wall)))} | ${fmt(stats(runs.map((r) => r.heapMb)))} | ${checks.join('; ')} |`);
  }
  const bare = Array.from({ length: args.runs }, () => nodeAlone(cwd));
  console.log(`| Node's own start (\`node -e\`), for scale | ${fmt(stats(bare.map((r) => r.cpu)))} | ${fmt(stats(bare.map((r) => r.wall)))} | ${fmt(stats(bare.map((r) => r.heapMb)))} | Node alone |`);
  console.log(`\nload average at end ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')}`);
}


main();
