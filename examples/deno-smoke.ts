/**
 * Deno smoke test: carecast's source runs under Deno, reading its bundled
 * seeds and using its npm dependencies from node_modules.
 *
 * Run with `npm run test:deno`, i.e.
 * `deno run --node-modules-dir=manual --sloppy-imports --allow-read --allow-env --allow-sys examples/deno-smoke.ts`
 * (`npx deno` after `npm install`; `--sloppy-imports` lets Deno resolve the
 * sources' `./x.js` imports to `./x.ts`). Exits non-zero if anything is off.
 */
import { fanChartSpec, findSeries, forecast, loadSeed, projectionRecords, renderSvg } from '../src/index.js';

const cic = findSeries(loadSeed('derbyshire').dataset, 'children_in_care');
const p = forecast(cic, { to: 2030 });
const rows = projectionRecords(p).filter((r) => r.type === 'forecast');
console.log(`carecast under Deno: ${p.area} ${p.measure}, method ${p.method}`);
console.table(rows.map((r) => ({ year: r.year, point: Math.round(r.point ?? 0), lo_80: Math.round(r.lo_80 ?? 0), hi_80: Math.round(r.hi_80 ?? 0) })));
const svg = await renderSvg(fanChartSpec(p));
if (rows.length !== 6 || !svg.startsWith('<svg') || !(p.point[0] > 1000)) {
  console.error('deno smoke test failed');
  throw new Error('deno smoke test failed');
}
console.log(`fan chart SVG: ${svg.length} characters; deno smoke test passed`);
