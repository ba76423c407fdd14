/** loadSeed: typed, validated seed datasets with provenance. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findQuarterlySeries, findSeries } from '../../src/data/breakdown.js';
import { CarecastInputError } from '../../src/data/errors.js';
import { SEEDS_DIR } from '../../src/data/seedFiles.js';
import { loadSeed, parseSeed } from '../../src/data/seeds.js';

describe('loadSeed', () => {
  it('derbyshire: children in care 2018-2024 with the source line of every value', () => {
    const { dataset, projections } = loadSeed('derbyshire');
    expect(dataset.area).toMatchObject({ name: 'Derbyshire', code: 'E10000007', oldCode: '830' });
    const cic = findSeries(dataset, 'children_in_care');
    expect(cic.points.map((p) => [p.year, p.value])).toEqual([
      [2018, 719],
      [2019, 802],
      [2020, 861],
      [2021, 899],
      [2022, 909],
      [2023, 995],
      [2024, 1057],
    ]);
    for (const p of cic.points) expect(p.provenance?.source).toMatch(/^00[0-4]_[0-9a-f]{16}\.txt$/);
    const y2023 = cic.points.find((p) => p.year === 2023);
    expect(y2023?.provenance?.line).toBeGreaterThan(0);
    const headline = projections.find((p) => p.value === 1373);
    expect(headline).toMatchObject({ baseYear: 2023, targetYear: 2028 });
    const fostering = projections.find((p) => p.percentChange === 35);
    expect(fostering).toMatchObject({ baseYear: 2023, targetYear: 2035 });
  });

  it('derby: quarterly dashboard totals', () => {
    const { dataset } = loadSeed('derby');
    const q = findQuarterlySeries(dataset, 'children_in_care');
    expect(q.points.length).toBeGreaterThanOrEqual(10);
    const q4 = q.points.find((p) => p.year === 2023 && p.quarter === 4);
    expect(q4?.value).toBe(620);
  });

  it('rejects an unknown seed and an unknown series with the choices', () => {
    expect(() => loadSeed('leeds' as 'derby')).toThrow(/unknown seed "leeds".*derbyshire, derby/);
    expect(() => findSeries(loadSeed('derbyshire').dataset, 'children_in_cair')).toThrow(/no annual series children_in_cair.*children_in_care/);
  });

  it('parseSeed names the record and field of a bad value, and rejects duplicates', () => {
    const text = readFileSync(`${SEEDS_DIR}derbyshire.json`, 'utf8');
    const json = JSON.parse(text) as { records: Record<string, unknown>[] };
    const bad = structuredClone(json);
    bad.records[3].year = 'twenty';
    try {
      parseSeed(JSON.stringify(bad), 'bad.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CarecastInputError);
      expect((e as CarecastInputError).problems[0]).toMatchObject({ source: 'bad.json', row: 4, field: 'records.3.year' });
    }
    const dup = structuredClone(json);
    dup.records.push(dup.records[0]);
    expect(() => parseSeed(JSON.stringify(dup), 'dup.json')).toThrow(/repeats record 1/);
    expect(() => parseSeed('{"name":', 'cut.json')).toThrow(/cut.json: not valid JSON/);
  });
});
