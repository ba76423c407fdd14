/**
 * The age-band model's input from a dataset: annual snapshots by band (the
 * SFR tables, a tidy CSV) or quarterly ones (an LA dashboard), with
 * starters and leavers by band where published.
 *
 * @module
 */
import { breakdownKey } from '../../data/breakdown.js';
import { AGE_BANDS, type AgeBand } from '../../data/codes.js';
import { CarecastInputError } from '../../data/errors.js';
import type { AnnualSeries, Breakdown, Dataset, QuarterlySeries } from '../../data/schemas.js';
import type { YearValue } from '../../data/yearValue.js';
import { BAND_LIST, mapBands } from './helpers.js';
import type { AgeingInput, AgeingInputConversion } from './types.js';

function findOne<S extends AnnualSeries | QuarterlySeries>(ds: Dataset, frequency: S['frequency'], measure: string, breakdown: Breakdown): S | undefined {
  const key = breakdownKey(breakdown);
  return ds.series.find((s): s is S => s.frequency === frequency && s.measure === measure && breakdownKey(s.breakdown) === key);
}

/**
 * Build an {@link AgeingInput} from an annual dataset, such as the SFR
 * tables (`sfrDataset`) or a tidy file: `children_in_care` by `age` band
 * at 31 March (required) and the total; `started` and `ceased` by `age` band
 * and in total where present. Annual `ceased` by `age: '16_plus'` is taken to
 * exclude leavers at 18 only when a `ceased` series with `ageGroup: 'aged_18'`
 * is also present (it is subtracted); otherwise leavers by band are not used
 * (the total is).
 *
 * @param dataset - an annual dataset for one area
 * @returns the input and notes on what was used
 * @throws CarecastInputError when a band of annual `children_in_care` by age is missing (listing the series available)
 * @example
 * ```ts
 * const sfr = sfrDataset(loadSfrFolder('sfr_la_cla_2011_2017'), 'E10000007');
 * const { input } = ageingInputFromAnnual(sfr);   // Derbyshire stock by band, 2011-2017
 * ```
 */
export function ageingInputFromAnnual(dataset: Dataset): AgeingInputConversion {
  const notes: string[] = [];
  const stockSeries = {} as Record<AgeBand, AnnualSeries>;
  const missing = AGE_BANDS.filter((b) => {
    const s = findOne<AnnualSeries>(dataset, 'annual', 'children_in_care', { age: b });
    if (s) stockSeries[b] = s;
    return !s;
  });
  if (missing.length > 0) {
    const available = [...new Set(dataset.series.filter((s) => s.measure === 'children_in_care').map((s) => `${s.frequency} ${breakdownKey(s.breakdown) || 'total'}`))];
    throw new CarecastInputError([
      { source: dataset.name, field: `children_in_care[age=${missing[0]}]`, message: `no annual children_in_care series for age band${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in ${dataset.area.name}`, fix: `give annual stock for every band ${BAND_LIST}; the dataset has: ${available.slice(0, 20).join('; ')}${available.some((a) => a.startsWith('quarterly')) ? ' (for quarterly tables use ageingInputFromQuarterly)' : ''}` },
    ]);
  }
  const align = (byBand: Record<AgeBand, AnnualSeries>): Record<AgeBand, YearValue[]> => {
    const ys = [...new Set(AGE_BANDS.flatMap((b) => byBand[b].points.map((p) => p.year)))].sort((x, y) => x - y);
    return mapBands((b) => ys.map((y) => ({ year: y, value: byBand[b].points.find((p) => p.year === y)?.value ?? null })));
  };
  const stockByBand = align(stockSeries);
  const years = stockByBand[AGE_BANDS[0]].map((p) => p.year);
  notes.push(`Stock by band at 31 March ${years[0]}-${years[years.length - 1]} from children_in_care by age.`);
  const bandsOf = (measure: string): Record<AgeBand, AnnualSeries> | undefined => {
    const out = {} as Record<AgeBand, AnnualSeries>;
    for (const b of AGE_BANDS) {
      const s = findOne<AnnualSeries>(dataset, 'annual', measure, { age: b });
      if (!s) return undefined;
      out[b] = s;
    }
    return out;
  };
  const total = findOne<AnnualSeries>(dataset, 'annual', 'children_in_care', {});
  const startedB = bandsOf('started');
  const startedT = findOne<AnnualSeries>(dataset, 'annual', 'started', {});
  const ceasedB = bandsOf('ceased');
  const ceasedT = findOne<AnnualSeries>(dataset, 'annual', 'ceased', {});
  const at18 = findOne<AnnualSeries>(dataset, 'annual', 'ceased', { ageGroup: 'aged_18' });
  let ceasedByBand: Record<AgeBand, YearValue[]> | undefined;
  if (ceasedB && at18) {
    ceasedByBand = align(ceasedB);
    ceasedByBand['16_plus'] = ceasedByBand['16_plus'].map((p) => {
      const l = at18.points.find((q) => q.year === p.year)?.value;
      return { year: p.year, value: p.value === null || l === null || l === undefined ? null : p.value - l };
    });
    notes.push('Leavers by band from ceased by age; 16_plus less those ceasing at 18.');
  } else if (ceasedB) {
    notes.push('ceased by age is not used: without leavers at 18 (ageGroup aged_18) the 16_plus band cannot be split into leaving at 16-17 and at 18.');
  }
  if (startedB) notes.push('Starters by band from started by age.');
  if (!startedB && !startedT) notes.push('No starters in the dataset.');
  if (!ceasedB && !ceasedT) notes.push('No leavers in the dataset.');
  const input: AgeingInput = {
    source: dataset.name,
    stockByBand,
    ...(total ? { stockTotal: total } : {}),
    ...(startedB ? { startersByBand: align(startedB) } : {}),
    ...(startedT ? { startersTotal: startedT } : {}),
    ...(ceasedByBand ? { ceasedByBand } : {}),
    ...(at18 ? { ceasedAt18: at18 } : {}),
    ...(ceasedT ? { ceasedTotal: ceasedT } : {}),
  };
  return { input, notes };
}

/**
 * Build an annual {@link AgeingInput} from quarterly tables (such as Derby's
 * quarterly dashboard, `loadSeed('derby')`): the stock at 31 March of each
 * year is the Q4 snapshot (`{ year, quarter: 4 }`, January-March); starters
 * and leavers in the year to 31 March are the sums of its four quarters, for
 * years with all four quarters published (other years are left out and
 * noted). Used: quarterly `children_in_care` by `age` (required) and in
 * total; `started` by `age` and in total; `ceased` by `age` for the bands up
 * to 10-15, with `ageGroup: '16_17'` as the 16_plus band (leaving other than at
 * 18) and `ageGroup: 'aged_18'` as the leavers at 18, and in total. Age
 * bands are as the source gives them: at the quarter end for snapshots, at
 * starting or ceasing for flows.
 *
 * @param dataset - a dataset with quarterly series by age band
 * @returns the annual input and notes on the conversion
 * @throws CarecastInputError when a band of quarterly `children_in_care` by age is missing (listing the series available)
 * @example
 * ```ts
 * const { input, notes } = ageingInputFromQuarterly(loadSeed('derby').dataset);
 * input.stockByBand['16_plus']; // [{ year: 2022, value: 116 }, { year: 2023, value: 134 }, { year: 2024, value: 150 }]
 * ```
 */
export function ageingInputFromQuarterly(dataset: Dataset): AgeingInputConversion {
  const notes: string[] = [];
  const q = (measure: string, breakdown: Breakdown) => findOne<QuarterlySeries>(dataset, 'quarterly', measure, breakdown);
  const stockQ = {} as Record<AgeBand, QuarterlySeries>;
  const missing = AGE_BANDS.filter((b) => {
    const s = q('children_in_care', { age: b });
    if (s) stockQ[b] = s;
    return !s;
  });
  if (missing.length > 0) {
    const available = [...new Set(dataset.series.filter((s) => s.measure === 'children_in_care').map((s) => `${s.frequency} ${breakdownKey(s.breakdown) || 'total'}`))];
    throw new CarecastInputError([
      { source: dataset.name, field: `children_in_care[age=${missing[0]}]`, message: `no quarterly children_in_care series for age band${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in ${dataset.area.name}`, fix: `give quarterly stock for every band ${BAND_LIST}; the dataset has: ${available.slice(0, 20).join('; ')}${available.some((a) => a.startsWith('annual')) ? ' (for annual tables use ageingInputFromAnnual)' : ''}` },
    ]);
  }
  const q4 = (s: QuarterlySeries): Map<number, number | null> => new Map(s.points.filter((p) => p.quarter === 4).map((p) => [p.year, p.value]));
  const snapshot = (s: QuarterlySeries | undefined): YearValue[] | undefined => (s ? [...q4(s)].map(([year, value]) => ({ year, value })).sort((x, y) => x.year - y.year) : undefined);
  const stockYears = [...new Set(AGE_BANDS.flatMap((b) => [...q4(stockQ[b]).keys()]))].sort((x, y) => x - y);
  const stockByBand = mapBands((b) => {
    const m = q4(stockQ[b]);
    return stockYears.map((y) => ({ year: y, value: m.get(y) ?? null }));
  });
  const allQ = [...new Set(stockQ[AGE_BANDS[0]].points.map((p) => `${p.year} Q${p.quarter}`))];
  notes.push(`Stock at 31 March ${stockYears.join(', ')} = the Q4 (January-March) snapshot; quarters published: ${allQ.join(', ')}.`);

  /** Sums of the four quarters, for the years with all four published (null if one is suppressed). */
  const annualFlow = (s: QuarterlySeries): Map<number, number | null> => {
    const by = new Map<number, Map<number, number | null>>();
    for (const p of s.points) {
      const m = by.get(p.year) ?? new Map<number, number | null>();
      m.set(p.quarter, p.value);
      by.set(p.year, m);
    }
    const out = new Map<number, number | null>();
    for (const [y, m] of by) {
      if (m.size !== 4) continue;
      const vals = [...m.values()];
      out.set(y, vals.some((v) => v === null) ? null : (vals as number[]).reduce((x, z) => x + z, 0));
    }
    return out;
  };
  const quarterYears = (s: QuarterlySeries): number[] => [...new Set(s.points.map((p) => p.year))];
  const flowBands = (label: string, byBand: Record<AgeBand, QuarterlySeries | undefined>): Record<AgeBand, YearValue[]> | undefined => {
    if (AGE_BANDS.some((b) => !byBand[b])) return undefined;
    const maps = mapBands((b) => annualFlow(byBand[b]!));
    const ys = [...new Set(AGE_BANDS.flatMap((b) => quarterYears(byBand[b]!)))].sort((x, y) => x - y);
    const full = ys.filter((y) => AGE_BANDS.every((b) => maps[b].has(y)));
    const partial = ys.filter((y) => !full.includes(y));
    if (partial.length > 0) notes.push(`${label} in the year${partial.length > 1 ? 's' : ''} to 31 March ${partial.join(', ')} left out: not all four quarters are published.`);
    if (full.length > 0) notes.push(`${label} by band in the year${full.length > 1 ? 's' : ''} to 31 March ${full.join(', ')} = the sum of the four quarters.`);
    return mapBands((b) => full.map((y) => ({ year: y, value: maps[b].get(y) ?? null })));
  };
  const flowTotal = (s: QuarterlySeries | undefined): YearValue[] | undefined =>
    s ? [...annualFlow(s)].map(([year, value]) => ({ year, value })).sort((x, y) => x.year - y.year) : undefined;
  const startersByBand = flowBands('Starters', mapBands((b) => q('started', { age: b })));
  const ceasedSeries = mapBands((b) => (b === '16_plus' ? q('ceased', { ageGroup: '16_17' }) : q('ceased', { age: b })));
  const at18Q = q('ceased', { ageGroup: 'aged_18' });
  const ceasedByBand = at18Q ? flowBands('Leavers other than at 18 (16_plus = ageGroup 16_17)', ceasedSeries) : undefined;
  if (!at18Q && AGE_BANDS.every((b) => ceasedSeries[b])) notes.push('Leavers by band not used: no leavers at 18 (ageGroup aged_18).');
  const totalQ = q('children_in_care', {});
  const input: AgeingInput = {
    source: `${dataset.name} (quarterly, converted to years to 31 March)`,
    stockByBand,
    ...(totalQ ? { stockTotal: snapshot(totalQ)! } : {}),
    ...(startersByBand ? { startersByBand } : {}),
    ...(q('started', {}) ? { startersTotal: flowTotal(q('started', {}))! } : {}),
    ...(ceasedByBand ? { ceasedByBand } : {}),
    ...(at18Q && ceasedByBand ? { ceasedAt18: flowTotal(at18Q)! } : {}),
    ...(q('ceased', {}) ? { ceasedTotal: flowTotal(q('ceased', {}))! } : {}),
  };
  return { input, notes };
}
