import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGE_BANDS, PLACEMENT_GROUPS, PLACEMENT_TYPES, PROVIDER_GROUPS } from '../../src/data/codes.js';
import { CarecastInputError } from '../../src/data/errors.js';
import {
  areaLevelOfName,
  datasetToTidyRecords,
  readCsvRows,
  readTidyCsv,
  readTidyJson,
  TIDY_COLUMNS,
  tidyRecordsToCsv,
  writeTidyJson,
  type TidyRecord,
} from '../../src/data/loaders/tidy.js';
import { DatasetSchema, type Breakdown, type Dataset, type Series } from '../../src/data/schemas.js';
import { errorOf } from '../helpers/inputError.js';

const HEADER = TIDY_COLUMNS.join(',');
const csvOf = (...rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

const derby: Dataset = {
  name: 'Derby',
  area: { name: 'Derby', level: 'local_authority' },
  notes: [],
  series: [
    {
      frequency: 'annual',
      measure: 'children_in_care',
      kind: 'snapshot',
      unit: 'children',
      breakdown: {},
      area: 'Derby',
      points: [
        { year: 2019, value: 562, provenance: { source: 'cla.csv', line: 1217 } },
        { year: 2020, value: 588, provenance: { source: 'cla.csv', line: 713 } },
        { year: 2021, value: null, suppressed: { marker: 'c', upper: 5 } },
      ],
    },
    {
      frequency: 'annual',
      measure: 'children_in_care',
      kind: 'snapshot',
      unit: 'children',
      breakdown: { provider: 'private', placement: 'fostering' },
      area: 'Derby',
      points: [{ year: 2020, value: 101 }],
    },
    {
      frequency: 'quarterly',
      measure: 'placement_cost',
      kind: 'amount',
      unit: 'gbp',
      breakdown: {},
      area: 'Derby',
      points: [
        { year: 2024, quarter: 3, value: -5 },
        { year: 2024, quarter: 4, value: 1250.5 },
        { year: 2025, quarter: 1, value: 0 },
      ],
    },
  ],
};

describe('writing', () => {
  it('writes the documented columns, periods, sorted breakdowns and suppression', () => {
    const records = datasetToTidyRecords(derby);
    expect(records[2]).toEqual({
      area: 'Derby',
      measure: 'children_in_care',
      kind: 'snapshot',
      unit: 'children',
      frequency: 'annual',
      period: '2021',
      breakdown: '',
      value: null,
      suppressed: 'c;upper=5',
      source: '',
      line: null,
    });
    expect(records[3].breakdown).toBe('placement=fostering;provider=private');
    expect(records.slice(4).map((r) => r.period)).toEqual(['2024Q3', '2024Q4', '2025Q1']);
    const csv = tidyRecordsToCsv(records);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines[1]).toBe('Derby,children_in_care,snapshot,children,annual,2019,,562,,cla.csv,1217');
    expect(lines[5]).toBe('Derby,placement_cost,amount,gbp,quarterly,2024Q3,,-5,,,');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('quotes fields with commas, quotes and line breaks (RFC 4180)', () => {
    const r: TidyRecord = { ...datasetToTidyRecords(derby)[0], area: 'Bristol, City of', source: 'the "big"\nfile' };
    const csv = tidyRecordsToCsv([r]);
    expect(csv).toContain('"Bristol, City of",');
    expect(csv).toContain('"the ""big""\nfile"');
  });

  it('neutralises formula injection, but not plain numbers such as -5', () => {
    const base = datasetToTidyRecords(derby)[0];
    const evil: TidyRecord[] = [
      { ...base, area: '=HYPERLINK("http://x","y")' },
      { ...base, area: '+cmd', period: '2020' },
      { ...base, area: '-2+3', period: '2021' },
      { ...base, area: '@SUM(A1)', source: "'quoted", period: '2022' },
    ];
    const csv = tidyRecordsToCsv(evil);
    const rows = csv.split('\r\n').slice(1, 5);
    expect(rows[0].startsWith(`"'=HYPERLINK(""http://x"",""y"")"`)).toBe(true);
    expect(rows[1].startsWith("'+cmd,")).toBe(true);
    expect(rows[2].startsWith("'-2+3,")).toBe(true);
    expect(rows[3]).toMatch(/^'@SUM\(A1\),.*,''quoted,/);
    // no written cell starts a formula: = + @ never lead, and - leads only plain numbers
    for (const { cells } of readCsvRows(tidyRecordsToCsv([...evil, ...datasetToTidyRecords(derby)]), 'x').slice(1)) {
      for (const cell of cells) {
        expect(cell).not.toMatch(/^[=+@\t\r]/);
        if (cell.startsWith('-')) expect(cell).toMatch(/^-\d+(\.\d+)?$/);
      }
    }
    expect(tidyRecordsToCsv(datasetToTidyRecords(derby))).toContain(',-5,');
    // and the text reads back exactly
    const back = readTidyCsv(csv, 'evil.csv');
    expect(back.map((d) => d.area.name)).toEqual(evil.map((r) => r.area));
    expect(back[3].series[0].points[0].provenance?.source).toBe("'quoted");
  });
});

describe('round trip', () => {
  it('reads back the example dataset exactly (CSV and JSON)', () => {
    const records = datasetToTidyRecords(derby);
    expect(readTidyCsv(tidyRecordsToCsv(records), 'd.csv')).toEqual([derby]);
    expect(readTidyJson(writeTidyJson(records), 'd.json')).toEqual([derby]);
  });

  const text = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
    .filter((s) => s.trim() === s && s.length > 0);
  const count = fc.nat({ max: 1_000_000 });
  const real = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).map((v) => (Object.is(v, -0) ? 0 : v));
  const kindValue = fc.oneof(
    fc.record({ kind: fc.constant('snapshot' as const), unit: fc.constant('children' as const), v: count }),
    fc.record({ kind: fc.constant('flow' as const), unit: fc.constant('placements' as const), v: count }),
    fc.record({ kind: fc.constant('amount' as const), unit: fc.constant('gbp' as const), v: real }),
    fc.record({ kind: fc.constant('rate' as const), unit: fc.constant('per_10k' as const), v: real.map(Math.abs) }),
    fc.record({ kind: fc.constant('share' as const), unit: fc.constant('share' as const), v: fc.double({ min: 0, max: 1, noNaN: true }).map((v) => (Object.is(v, -0) ? 0 : v)) }),
  );
  const breakdown: fc.Arbitrary<Breakdown> = fc
    .record(
      {
        placement: fc.constantFrom(...PLACEMENT_GROUPS),
        placementType: fc.constantFrom(...PLACEMENT_TYPES),
        provider: fc.constantFrom(...PROVIDER_GROUPS),
        age: fc.constantFrom(...AGE_BANDS),
        uasc: fc.constantFrom('uasc' as const, 'not_uasc' as const),
        reason: fc.constantFrom('abuse_or_neglect', 'family_dysfunction', 'n1'),
      },
      { requiredKeys: [] },
    )
    .map((b) => b as Breakdown);
  const suppressed = fc.option(
    fc.record(
      { marker: fc.constantFrom('c', 'x', 'z', 'low', 'u', '..', ':', '*', 'k', 'partly_suppressed'), upper: fc.nat({ max: 100 }) },
      { requiredKeys: ['marker'] },
    ),
    { nil: undefined },
  );
  const provenance = fc.option(fc.record({ source: text, line: fc.integer({ min: 1, max: 100_000 }) }, { requiredKeys: ['source'] }), { nil: undefined });

  const seriesArb = (area: string, i: number): fc.Arbitrary<Series> =>
    fc
      .record({
        kv: kindValue,
        breakdown,
        quarterly: fc.boolean(),
        start: fc.integer({ min: 1990 * 4, max: 2100 * 4 }),
        n: fc.integer({ min: 1, max: 6 }),
        cells: fc.array(fc.record({ hide: fc.boolean(), suppressed, provenance }), { minLength: 6, maxLength: 6 }),
      })
      .map(({ kv, breakdown: b, quarterly, start, n, cells }) => {
        const points = cells.slice(0, n).map((c, k) => {
          const p: { year: number; quarter?: number; value: number | null; suppressed?: { marker: string; upper?: number }; provenance?: { source: string; line?: number } } = quarterly
            ? { year: Math.floor((start + k) / 4), quarter: ((start + k) % 4) + 1, value: c.hide ? null : kv.v }
            : { year: Math.floor(start / 4) + k, value: c.hide ? null : kv.v };
          if (c.suppressed) p.suppressed = c.suppressed;
          if (c.provenance) p.provenance = c.provenance;
          return p;
        });
        const common = { measure: `m${i}`, kind: kv.kind, unit: kv.unit, breakdown: b, area };
        return quarterly
          ? { frequency: 'quarterly' as const, ...common, points: points.map((p) => ({ ...p, quarter: p.quarter as number })) }
          : { frequency: 'annual' as const, ...common, points };
      });

  const datasetArb: fc.Arbitrary<Dataset> = fc
    .record({ area: fc.oneof(text, fc.constantFrom('England', 'South West', 'Bristol, City of', '=cmd', '-x', "'a")), n: fc.integer({ min: 1, max: 4 }) })
    .chain(({ area, n }) =>
      fc.tuple(...Array.from({ length: n }, (_, i) => seriesArb(area, i))).map((series) => ({
        name: area,
        area: { name: area, level: areaLevelOfName(area) },
        series,
        notes: [],
      })),
    );

  it('property: random valid datasets round-trip exactly through CSV', () => {
    fc.assert(
      fc.property(datasetArb, (ds) => {
        expect(DatasetSchema.safeParse(ds).success).toBe(true);
        expect(readTidyCsv(tidyRecordsToCsv(datasetToTidyRecords(ds)), 'p.csv')).toEqual([ds]);
      }),
      { numRuns: 300 },
    );
  });

  it('property: random valid datasets round-trip exactly through JSON', () => {
    fc.assert(
      fc.property(datasetArb, (ds) => {
        expect(readTidyJson(writeTidyJson(datasetToTidyRecords(ds)), 'p.json')).toEqual([ds]);
      }),
      { numRuns: 300 },
    );
  });

  it('several areas give several datasets, in order of first appearance', () => {
    const other: Dataset = { ...derby, name: 'England', area: { name: 'England', level: 'national' }, series: derby.series.map((s) => ({ ...s, area: 'England' })) };
    const csv = tidyRecordsToCsv([...datasetToTidyRecords(other), ...datasetToTidyRecords(derby)]);
    expect(readTidyCsv(csv, 'two.csv')).toEqual([other, derby]);
  });
});

describe('validation: every problem, with row, field, value and fix', () => {
  const good = 'Derby,children_in_care,snapshot,children,annual,2020,,588,,cla.csv,713';

  it('reports missing and unknown columns', () => {
    const err = errorOf(() => readTidyCsv('area,measure,kind,unit,frequency,period,breakdown,valu,suppressed,source\nx\n', 'h.csv'));
    const fields = err.problems.map((p) => p.field);
    expect(fields).toContain('value');
    expect(fields).toContain('line');
    const unknown = err.problems.find((p) => p.field === 'valu');
    expect(unknown?.row).toBe(1);
    expect(unknown?.fix).toMatch(/did you mean value/);
  });

  it('reports bad periods, including dates, with the period to write', () => {
    const err = errorOf(() =>
      readTidyCsv(
        csvOf(
          'Derby,children_in_care,snapshot,children,annual,2023-03-31,,588,,,',
          'Derby,children_in_care,snapshot,children,quarterly,2024Q5,,588,,,',
          'Derby,children_in_care,snapshot,children,quarterly,2023-02-30,,588,,,',
          'Derby,children_in_care,snapshot,children,quarterly,15/11/2023,,588,,,',
          'Derby,children_in_care,snapshot,children,annual,2022/23,,588,,,',
          'Derby,children_in_care,snapshot,children,annual,2024Q1,,588,,,',
        ),
        'p.csv',
      ),
    );
    expect(err.problems.map((p) => [p.row, p.field])).toEqual([
      [2, 'period'],
      [3, 'period'],
      [4, 'period'],
      [5, 'period'],
      [6, 'period'],
      [7, 'period'],
    ]);
    expect(err.problems[0].message).toContain('"2023-03-31"');
    expect(err.problems[0].fix).toMatch(/write 2023/);
    expect(err.problems[1].message).toMatch(/quarter 5/);
    expect(err.problems[2].message).toMatch(/not a valid date/);
    expect(err.problems[3].fix).toMatch(/2024Q3/);
    expect(err.problems[4].fix).toMatch(/2023/);
    expect(err.problems[5].message).toMatch(/frequency is annual/);
  });

  it('names both rows of a duplicate', () => {
    const err = errorOf(() => readTidyCsv(csvOf(good, 'Derby,children_in_care,snapshot,children,annual,2021,,600,,,', good), 'd.csv'));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ row: 4, field: 'period' });
    expect(err.problems[0].message).toMatch(/rows 2 and 4/);
  });

  it('reports gaps in an annual series with the missing years, unless allowGaps', () => {
    const text = csvOf(
      'Derby,children_in_care,snapshot,children,annual,2015,,500,,,',
      'Derby,children_in_care,snapshot,children,annual,2016,,510,,,',
      'Derby,children_in_care,snapshot,children,annual,2019,,520,,,',
      'Derby,children_in_care,snapshot,children,annual,2021,,530,,,',
    );
    const err = errorOf(() => readTidyCsv(text, 'g.csv'));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ row: 4, field: 'period' });
    expect(err.problems[0].message).toMatch(/missing 2017, 2018, 2020 between 2015 and 2021/);
    expect(err.problems[0].fix).toMatch(/allowGaps/);
    expect(readTidyCsv(text, 'g.csv', { allowGaps: true })[0].series[0].points).toHaveLength(4);
  });

  it('reports gaps in a quarterly series', () => {
    const text = csvOf('Derby,children_in_care,snapshot,children,quarterly,2024Q3,,5,,,', 'Derby,children_in_care,snapshot,children,quarterly,2025Q2,,5,,,');
    expect(errorOf(() => readTidyCsv(text, 'q.csv')).problems[0].message).toMatch(/missing 2024Q4, 2025Q1/);
  });

  it('reports negative and fractional counts, and shares outside 0-1', () => {
    const err = errorOf(() =>
      readTidyCsv(
        csvOf(
          'Derby,children_in_care,snapshot,children,annual,2020,,-1,,,',
          'Derby,started,flow,children,annual,2020,,12.5,,,',
          'Derby,fostering_share,share,share,annual,2020,,45,,,',
          'Derby,cost,amount,gbp,annual,2020,,-12.5,,,',
        ),
        'v.csv',
      ),
    );
    expect(err.problems.map((p) => [p.row, p.field])).toEqual([
      [2, 'value'],
      [3, 'value'],
      [4, 'value'],
    ]);
    expect(err.problems[0].message).toMatch(/negative count -1/);
    expect(err.problems[1].message).toMatch(/12.5 is not a whole number/);
    expect(err.problems[2].fix).toMatch(/0.45/);
  });

  it('reports unknown breakdown categories and keys with the closest valid ones', () => {
    const err = errorOf(() =>
      readTidyCsv(
        csvOf(
          'Derby,children_in_care,snapshot,children,annual,2020,placement=foster,400,,,',
          'Derby,children_in_care,snapshot,children,annual,2020,placment=fostering,400,,,',
          'Derby,children_in_care,snapshot,children,annual,2020,placement_type=secure,4,,,',
          'Derby,children_in_care,snapshot,children,annual,2020,reason=Abuse,4,,,',
          'Derby,children_in_care,snapshot,children,annual,2020,provider,4,,,',
        ),
        'b.csv',
      ),
    );
    expect(err.problems.map((p) => [p.row, p.field])).toEqual([
      [2, 'breakdown'],
      [3, 'breakdown'],
      [4, 'breakdown'],
      [5, 'breakdown'],
      [6, 'breakdown'],
    ]);
    expect(err.problems[0].message).toContain('"foster"');
    expect(err.problems[0].fix).toMatch(/did you mean fostering/);
    expect(err.problems[1].fix).toMatch(/did you mean placement\b/);
    expect(err.problems[2].fix).toMatch(/did you mean placementType/);
  });

  it('reports parts that exceed their total (and allows rounding of figures in tens)', () => {
    const err = errorOf(() =>
      readTidyCsv(
        csvOf(
          'Derby,children_in_care,snapshot,children,annual,2020,,100,,,',
          'Derby,children_in_care,snapshot,children,annual,2020,placement=fostering,80,,,',
          'Derby,children_in_care,snapshot,children,annual,2020,placement=residential,25,,,',
          'Derby,children_in_care,snapshot,children,annual,2020,placement=other,,c,,',
        ),
        'parts.csv',
      ),
    );
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ row: 2, field: 'value' });
    expect(err.problems[0].message).toMatch(/placement categories .* sum to 105 \(rows 3, 4\) but the total is 100/);
    // a nested breakdown is checked against its parent too
    const nested = errorOf(() =>
      readTidyCsv(
        csvOf(
          'Derby,children_in_care,snapshot,children,annual,2020,placement=fostering,80,,,',
          'Derby,children_in_care,snapshot,children,annual,2020,placement=fostering;provider=private,50,,,',
          'Derby,children_in_care,snapshot,children,annual,2020,placement=fostering;provider=internal,31,,,',
        ),
        'n.csv',
      ),
    );
    expect(nested.problems[0].message).toMatch(/provider categories .* sum to 81/);
    // 100 vs 110 in tens: within DfE rounding
    expect(
      readTidyCsv(csvOf('England,children_in_care,snapshot,children,annual,2020,,100,,,', 'England,children_in_care,snapshot,children,annual,2020,age=under_1,60,,,', 'England,children_in_care,snapshot,children,annual,2020,age=1_4,50,,,'), 'r.csv'),
    ).toHaveLength(1);
  });

  it('reports unknown suppression markers and bad bounds', () => {
    const err = errorOf(() =>
      readTidyCsv(
        csvOf('Derby,children_in_care,snapshot,children,annual,2020,,,cc,,', 'Derby,children_in_care,snapshot,children,annual,2021,,,x;upper=-3,,'),
        's.csv',
      ),
    );
    expect(err.problems.map((p) => [p.row, p.field])).toEqual([
      [2, 'suppressed'],
      [3, 'suppressed'],
    ]);
    expect(err.problems[0].fix).toMatch(/did you mean c/);
    const ok = readTidyCsv(csvOf('Derby,children_in_care,snapshot,children,annual,2020,,,<11,,'), 's.csv');
    expect(ok[0].series[0].points[0]).toEqual({ year: 2020, value: null, suppressed: { marker: '<11', upper: 10 } });
  });

  it('reports bad kinds, units, measures, lines and field counts, with line numbers after multi-line cells', () => {
    const err = errorOf(() =>
      readTidyCsv(
        csvOf(
          '"Derby\r\nCity",children_in_care,snapshot,children,annual,2020,,1,,,',
          'Derby,Children In Care,snapshots,kids,yearly,2020,,1,,,0',
          'Derby,children_in_care,snapshot,children,annual,2020,,abc,,,',
          'Derby,children_in_care,snapshot',
          'Derby,children_in_care,snapshot,children,annual,2020,,1,,,7',
        ),
        'k.csv',
      ),
    );
    const rows = err.problems.map((p) => [p.row, p.field]);
    expect(rows).toEqual([
      [4, 'measure'],
      [4, 'kind'],
      [4, 'unit'],
      [4, 'frequency'],
      [4, 'line'],
      [5, 'value'],
      [6, undefined],
      [7, 'source'],
    ]);
    expect(err.problems[1].fix).toMatch(/did you mean snapshot/);
    expect(err.problems[5].message).toContain('"abc"');
  });

  it('returns nothing partially: one bad row fails the whole file', () => {
    expect(() => readTidyCsv(csvOf(good, 'Derby,started,flow,children,annual,2020,,-3,,,'), 'x.csv')).toThrow(CarecastInputError);
  });

  it('reads an empty value with no marker as a missing point, and a header-only file as no datasets', () => {
    expect(readTidyCsv(csvOf('Derby,children_in_care,snapshot,children,annual,2020,,,,,'), 'm.csv')[0].series[0].points).toEqual([{ year: 2020, value: null }]);
    expect(readTidyCsv(csvOf(), 'e.csv')).toEqual([]);
    expect(() => readTidyCsv('', 'e.csv')).toThrow(/empty/);
  });

  it('reports a kind or unit that changes within a series', () => {
    const err = errorOf(() => readTidyCsv(csvOf(good, 'Derby,children_in_care,flow,children,annual,2021,,1,,,'), 'x.csv'));
    expect(err.problems[0]).toMatchObject({ row: 3, field: 'kind' });
    expect(err.problems[0].message).toMatch(/row 2/);
  });
});

describe('JSON', () => {
  it('reports JSON errors with the line of the record', () => {
    const json = writeTidyJson(datasetToTidyRecords(derby)).replace('"value":588', '"value":"588"').replace('"kind":"amount"', '"kind":"amout"');
    const err = errorOf(() => readTidyJson(json, 'd.json'));
    expect(err.problems.map((p) => [p.row, p.field])).toEqual([
      [3, 'value'],
      [6, 'kind'],
    ]);
    expect(err.problems[1].fix).toMatch(/did you mean amount/);
  });

  it('reports syntax errors, non-arrays and unknown fields', () => {
    expect(errorOf(() => readTidyJson('[{"area": }]', 'x.json')).problems[0].message).toMatch(/not valid JSON/);
    expect(errorOf(() => readTidyJson('{"area": 1}', 'x.json')).problems[0].message).toMatch(/expected an array/);
    const rec = { ...datasetToTidyRecords(derby)[0], colour: 'red' };
    expect(errorOf(() => readTidyJson(JSON.stringify([rec], null, 2), 'x.json')).problems[0]).toMatchObject({ row: 2, field: 'colour' });
  });
});
