/**
 * Speed of the global methods on the bundled DfE panel: fit one method on every LA at one origin,
 * then forecast every LA 8 years ahead with 80% and 95% bands, timed warm (after two untimed runs),
 * 15 runs, median and range. The goal: forecasts with bands for the whole panel in under
 * 0.1 s once warm. No accuracy is computed here.
 *
 * Run: npx tsx benchmarks/global-speed.ts [--origin 2024]
 */
import { cpus } from 'node:os';
import { dfePanelPopulations } from '../src/data/ons/panelPopulation.js';
import { loadDfePanel, panelSeries } from '../src/data/panel.js';
import { fitGlobal, forecastWithGlobal } from '../src/models/global/fitGlobal.js';
import { GLOBAL_METHOD_NAMES } from '../src/models/types.js';

const args = process.argv.slice(2);
const i = args.indexOf('--origin');
const origin = i >= 0 ? Number(args[i + 1]) : 2024;
const panel = loadDfePanel();
const series = panelSeries(panel);
const { populations } = dfePanelPopulations(panel);
const cut = new Map([...series].map(([k, s]) => [k, { ...s, points: s.points.filter((p) => p.year <= origin) }]));
console.log(`${cpus().length} x ${cpus()[0]?.model}; node ${process.version}; ${series.size} LAs, origin ${origin}`);
for (const method of GLOBAL_METHOD_NAMES) {
  const run = (): { fit: number; forecast: number; n: number } => {
    const t0 = performance.now();
    const fit = fitGlobal(method, cut, { origin, population: populations });
    const t1 = performance.now();
    let n = 0;
    for (const [k, s] of cut) {
      const pop = populations.get(k);
      if (fit.scale === 'rate' && !pop) continue;
      try {
        forecastWithGlobal(fit, s, 8, { levels: [80, 95], ...(pop ? { population: pop } : {}) });
        n++;
      } catch {
        // series the method leaves out (no value at the origin, no population): not timed apart
      }
    }
    return { fit: t1 - t0, forecast: performance.now() - t1, n };
  };
  run();
  run();
  const runs = Array.from({ length: 15 }, run);
  const total = runs.map((r) => r.fit + r.forecast).sort((a, b) => a - b);
  const fits = runs.map((r) => r.fit).sort((a, b) => a - b);
  const fcs = runs.map((r) => r.forecast).sort((a, b) => a - b);
  console.log(
    `${method}: fit + ${runs[0].n} forecasts with bands ${total[7].toFixed(1)} ms median (${total[0].toFixed(1)}-${total[14].toFixed(1)}); fit ${fits[7].toFixed(1)} ms, forecasts ${fcs[7].toFixed(1)} ms`,
  );
}
