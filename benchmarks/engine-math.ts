/**
 * Where Node's and Chromium's numbers part (issue 16): the same `Math`
 * functions on the same arguments (benchmarks/lib/mathProbe.ts), run in
 * Node and in headless Chromium (Debian's `chromium`, playwright-core), bit
 * for bit. Prints each function's share of arguments whose result differs,
 * the largest difference in ulps, and the first argument that shows it
 * with both results (bits and decimal).
 *
 * Usage: `npx tsx benchmarks/engine-math.ts [--n 100000]`
 *
 * @module
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { mathProbe, ulpDistance, type MathProbe } from './lib/mathProbe.js';

const args = process.argv.slice(2);
const N = Number(args.includes('--n') ? args[args.indexOf('--n') + 1] : '100000');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install -y chromium, or set CHROMIUM_PATH)`);

const fromHex = (h: string): number => new Float64Array(new BigUint64Array([BigInt(`0x${h}`)]).buffer)[0];

const node = mathProbe(N);
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
let web: MathProbe;
let v8 = '';
try {
  const page = await browser.newPage();
  // tsx names functions through a helper, __name, which the page lacks: give it one that does nothing
  web = (await page.evaluate(`((__name) => (${mathProbe.toString()})(${N}))((f) => f)`)) as MathProbe;
  v8 = browser.version();
} finally {
  await browser.close();
}
console.log(`# Math.* in Node and in Chromium, bit for bit (${new Date().toISOString().slice(0, 10)})`);
console.log(`node ${process.version} (V8 ${process.versions.v8}); chromium ${v8}; ${os.cpus()[0]?.model ?? 'cpu'}, ${os.platform()} ${os.arch()}`);
console.log(`command: npx tsx benchmarks/engine-math.ts --n ${N}\n`);
console.log('| function | results that differ | largest difference | first argument that shows it | Node | Chromium |');
console.log('|---|---|---|---|---|---|');
for (const name of Object.keys(node)) {
  const a = node[name];
  const b = web[name];
  let differ = 0;
  let most = 0;
  let first = -1;
  for (let i = 0; i < N; i++) {
    if (a.results[i] === b.results[i]) continue;
    differ++;
    most = Math.max(most, ulpDistance(a.results[i], b.results[i]));
    if (first < 0) first = i;
  }
  const arg = first < 0 ? '' : a.args[first].split(' ').map((h) => `${fromHex(h)} (0x${h})`).join(', ');
  const show = (h: string): string => `${fromHex(h)} (0x${h})`;
  console.log(
    `| Math.${name} | ${differ} of ${N} (${((100 * differ) / N).toFixed(2)}%) | ${differ ? `${most} ulp` : 'none'} | ${arg} | ${first < 0 ? '' : show(a.results[first])} | ${first < 0 ? '' : show(b.results[first])} |`,
  );
}
