/**
 * carecast quick start: run with `npx tsx examples/quick-start.ts`.
 *
 * 1. Reproduce the Derbyshire statement's "1373 by 2028" with its own method.
 * 2. Project the same data with carecast's defaults: the method the panel evidence picks, with its default bands.
 * 3. Project any LA from the DfE data bundled with carecast (every English LA, 2011-2024).
 * 4. Calibrated bands and cross-LA evidence, both bundled from every DfE LA's backtest.
 */
import { findSeries, forecast, formatProjectionTable, loadDfeCalibration, loadDfeEvidence, loadDfePanelArea, loadSeed, projectionRecords, toCsv } from '../src/index.js'; // 'carecast' once installed

const { dataset, projections } = loadSeed('derbyshire');
const cic = findSeries(dataset, 'children_in_care');

// 1. The statement: the 2018-2023 increase (38%) applied again from 2023, with a flat 5% band.
const asPublished = forecast(
  { ...cic, points: cic.points.filter((p) => p.year <= 2023) },
  { to: 2028, method: 'repeatGrowth', methodOptions: { repeatGrowth: { window: 5, roundPercent: 0 } }, band: 0.05 },
);
const published = projections.find((p) => p.targetYear === 2028 && p.value !== undefined);
console.log(`Published: ${published?.value} by 2028. Reproduced: ${asPublished.point.at(-1)?.toFixed(1)}`);
console.log(formatProjectionTable(asPublished));

// 2. carecast's default: the method the bundled DfE panel evidence picks for the measure (for children in care
//    a global method, panelGrowth), with its 80% and 95% bands: a global method's own pooled bands (log-normal,
//    their spread read off its errors across every DfE LA), else pooled conformal bands; one line says which.
const honest = forecast(cic, { to: 2035 });
console.log(`\n${honest.summary}`);
console.log(formatProjectionTable(honest, { historyYears: 3 }));
for (const c of honest.caveats) console.log(`- ${c}`);

// Tidy rows for a spreadsheet or DataFrame.
console.log(toCsv(projectionRecords(honest)).split('\r\n').slice(0, 3).join('\n'));

// 3. Any LA from the DfE data bundled with carecast (names or codes, old or new): children looked after
//    at 31 March 2011-2024 (2018 is not published for LAs: forecast() interpolates it and says so).
const derby = loadDfePanelArea('E06000015'); // a name, new or old code
console.log(`\n${derby.area.name}:`);
console.log(formatProjectionTable(forecast(derby.childrenInCare, { to: 2027, method: 'drift' }), { historyYears: 3 }));

// 4. The alternatives, when asked for: the series' own choice of method (auto) with auto's pooled bands,
//    and the model's own (analytic) bands, which held only about 64% / 80% on every DfE LA's later years.
const calibrated = forecast(cic, { to: 2027, method: 'auto', conformal: loadDfeCalibration('auto') });
console.log(`\nDerbyshire, ${calibrated.method} (its own choice) with pooled conformal bands:`);
console.log(formatProjectionTable(calibrated, { historyYears: 2 }));
console.log(forecast(cic, { to: 2027, method: 'auto', intervals: 'analytic' }).summary);
const evidence = loadDfeEvidence();
const crossLearned = forecast(cic, { to: 2027, evidence });
console.log(`Panel evidence (${evidence.forecasts} forecasts, ${evidence.areas} LAs) favours ${evidence.method}: ${crossLearned.selection?.rule}`);
