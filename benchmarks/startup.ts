/**
 * Benchmark: start-up cost of the built package (issue 11). Targets: under
 * 150 ms CPU for `import('carecast')`, under 1 s wall for the CLI's main job.
 *
 * For each entry point of the build (`dist/index.js` = `carecast`, then
 * `carecast/data`, `/models`, ... `/danfo`), `--runs` cold processes (default
 * 15), each `node --input-type=module -e` timing one `await import(...)` with
 * `process.cpuUsage()` (CPU: user + system of the import alone, Node's own
 * start-up excluded) and `performance.now()` (wall). In one more process the
 * modules the import loaded are counted by package through a module `load`
 * hook (the build's `dist/vendor/zod.js` as `vendored zod`), which also says
 * whether exceljs, vega, vega-lite, commander or cli-progress were loaded.
 *
 * Then the CLI from the build, `--runs` cold processes each: `node
 * dist/cli/main.js --version` and `node dist/cli/main.js project --seed
 * derbyshire --to 2035 --no-write`, wall time of the whole process and its
 * CPU time (user + system, Node's start-up included, read at exit).
 *
 * Prints the machine, date, command and the median, min and max of each.
 * `--dist DIR` measures another build (e.g. one of an older commit: entry
 * points it lacks are skipped).
 *
 * Usage: `npm run build && npx tsx benchmarks/startup.ts [--runs 15] [--dist dist]`
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { coldCommand, fmt, parseColdArgs, relativeToRoot, ROOT, stats } from './lib/coldRuns.js';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';


const ENTRIES: readonly [string, string][] = [
  ['carecast', 'index.js'],
  ['carecast/data', 'data/index.js'],
  ['carecast/models', 'models/index.js'],
  ['carecast/uncertainty', 'uncertainty/index.js'],
  ['carecast/system', 'system/index.js'],
  ['carecast/finance', 'finance/index.js'],
  ['carecast/evaluate', 'evaluate/index.js'],
  ['carecast/output', 'output/index.js'],
  ['carecast/reproduce', 'reproduce/index.js'],
  ['carecast/danfo', 'danfo.js'],
];
const HEAVY = ['exceljs', 'vega', 'vega-lite', 'commander', 'cli-progress'];



function node(args: readonly string[], cwd: string): { stdout: string; stderr: string; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr, ms };
}

/** One cold import: CPU and wall time of the import alone. */
function timeImport(url: string, cwd: string): { cpu: number; wall: number } {
  const code = `const t = process.cpuUsage(); const w = performance.now(); await import(${JSON.stringify(url)}); const c = process.cpuUsage(t); console.log(JSON.stringify({ cpu: (c.user + c.system) / 1000, wall: performance.now() - w }));`;
  return JSON.parse(node(['--input-type=module', '-e', code], cwd).stdout) as { cpu: number; wall: number };
}

/** The modules an import loads, counted by package (one extra process with a load hook). */
function modulesOf(url: string, cwd: string): Map<string, number> {
  const hook = `let port; export function initialize(d) { port = d.port; } export async function load(url, ctx, next) { port.postMessage(url); return next(url, ctx); }`;
  const code = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const urls = [];
port1.on('message', (u) => urls.push(u));
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}), { data: { port: port2 }, transferList: [port2] });
await import(${JSON.stringify(url)});
await new Promise((r) => setTimeout(r, 200));
port1.close();
console.log(JSON.stringify(urls));`;
  const urls = JSON.parse(node(['--input-type=module', '-e', code], cwd).stdout) as string[];
  const byPkg = new Map<string, number>();
  for (const u of urls) {
    if (u.startsWith('node:')) continue;
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
    // the build's vendored zod (scripts/vendorZod.mjs) is one file of carecast's dist/; named apart
    const k = m ? m[1] : /\/dist\/vendor\/zod\.js$/.test(u) ? 'vendored zod' : 'carecast';
    byPkg.set(k, (byPkg.get(k) ?? 0) + 1);
  }
  return byPkg;
}

/** One cold CLI run: wall time of the process and its CPU time at exit. */
function timeCli(args: readonly string[], cwd: string): { cpu: number; wall: number } {
  const atExit = `process.on('exit', () => { const c = process.cpuUsage(); process.stderr.write('\\ncarecast-cpu-ms ' + (c.user + c.system) / 1000 + '\\n'); });`;
  const r = node([`--import=data:text/javascript,${encodeURIComponent(atExit)}`, ...args], cwd);
  const m = /carecast-cpu-ms ([\d.]+)/.exec(r.stderr);
  if (!m) throw new Error(`no CPU time from node ${args.join(' ')}`);
  return { cpu: Number(m[1]), wall: r.ms };
}

function main(): void {
  const args = parseColdArgs(process.argv.slice(2), 'startup.ts', 15);
  if (!existsSync(join(args.dist, 'index.js'))) {
    console.error(`${join(args.dist, 'index.js')} does not exist: run \`npm run build\` first`);
    process.exit(1);
  }
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' / ');
  const cpus = os.cpus();
  console.log('carecast start-up: cold imports of the built entry points and cold CLI runs');
  console.log(`- Machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${os.type()} ${os.release()} (${os.arch()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM; load average at start ${load}`);
  console.log(`- Node ${process.version}`);
  console.log(`- Date: ${new Date().toISOString()}`);
  console.log(`- Command: ${coldCommand('startup.ts', args)}`);
  console.log(`- Build: ${relativeToRoot(args.dist)}; ${args.runs} cold processes per row; median (min-max), ms`);
  console.log('');
  console.log('| import | CPU ms | wall ms | modules loaded | heavy libraries loaded |');
  console.log('|---|---|---|---|---|');
  const cwd = dirname(args.dist);
  for (const [name, file] of ENTRIES) {
    const path = join(args.dist, file);
    if (!existsSync(path)) {
      console.log(`| \`${name}\` | (not in this build) | | | |`);
      continue;
    }
    const url = pathToFileURL(path).href;
    const runs = Array.from({ length: args.runs }, () => timeImport(url, cwd));
    const mods = modulesOf(url, cwd);
    const total = [...mods.values()].reduce((s, n) => s + n, 0);
    const detail = [...mods].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
    const heavy = HEAVY.filter((h) => mods.has(h));
    console.log(`| \`${name}\` | ${fmt(stats(runs.map((r) => r.cpu)))} | ${fmt(stats(runs.map((r) => r.wall)))} | ${total}: ${detail} | ${heavy.length > 0 ? heavy.join(', ') : 'none'} |`);
  }
  console.log('');
  console.log('| command (from the repository root) | CPU ms (whole process) | wall ms |');
  console.log('|---|---|---|');
  const main = join(args.dist, 'cli', 'main.js');
  for (const cli of [['--version'], ['project', '--seed', 'derbyshire', '--to', '2035', '--no-write']]) {
    const runs = Array.from({ length: args.runs }, () => timeCli([main, ...cli], ROOT));
    console.log(`| \`node ${relativeToRoot(main)} ${cli.join(' ')}\` | ${fmt(stats(runs.map((r) => r.cpu)))} | ${fmt(stats(runs.map((r) => r.wall)))} |`);
  }
  const bare = Array.from({ length: args.runs }, () => timeCli(['-e', '0'], ROOT));
  console.log(`| \`node -e 0\` (Node alone, for scale) | ${fmt(stats(bare.map((r) => r.cpu)))} | ${fmt(stats(bare.map((r) => r.wall)))} |`);
  console.log(`\nload average at end ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')}`);
}


main();
