/**
 * The README's quick start, line for line (only the import path differs:
 * 'carecast' once installed). Run with `npx tsx examples/readme-quick-start.ts`;
 * test/examples.test.ts runs it and checks the README still holds these lines.
 */
import { findSeries, forecast, formatProjectionTable, loadDfePanelArea, loadSeed } from '../src/index.js';

const derby = loadDfePanelArea('Derby'); // the DfE panel bundled with carecast: a name, ONS code or DfE code
const p = forecast(derby.childrenInCare, { to: 2030 }); // the method the evidence across every DfE LA picks, with its 80% and 95% bands
const [b80, b95] = p.intervals;
console.log(`${derby.area.name}, children in care at 31 March. ${p.summary}`);
p.years.forEach((year, i) => {
  console.log(year, Math.round(p.point[i]), `80%: ${Math.round(b80.lower[i])}-${Math.round(b80.upper[i])}`, `95%: ${Math.round(b95.lower[i])}-${Math.round(b95.upper[i])}`);
});
p.caveats.forEach((c) => console.log(`- ${c}`));

// Derbyshire, from the figures in its own sufficiency statement (each value cites its document and line),
// and the same with the series' own choice of method and the model's own bands, for comparison
const cic = findSeries(loadSeed('derbyshire').dataset, 'children_in_care');
const q = forecast(cic, { to: 2030 });
console.log(`\nDerbyshire: ${q.summary}`);
console.log(formatProjectionTable(q));
console.log(forecast(cic, { to: 2030, method: 'auto', intervals: 'analytic' }).summary);
