/** The bundled ONS child population (seeds/ons-population.json) and how it is built from the raw files. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadOnsPopulation, loadPopulationProjection } from '../../src/data/ons/population.js';
import { buildOnsPopulationFile, OnsPopulationFileSchema, type OnsRawFile } from '../../src/data/ons/populationFile.js';
import { ONS_FIXTURES } from '../helpers/fixtures.js';
import { errorOf } from '../helpers/inputError.js';

const SEEDS = fileURLToPath(new URL('../../seeds/', import.meta.url));

describe('loadPopulationProjection (bundled ONS 2018-based projection, ages 0-17)', () => {
  it('Derby and Derbyshire, principal: the figures of the ONS README (2018, 2025, 2030, 2035)', () => {
    const at = (la: string, ys: number[]) => ys.map((y) => loadPopulationProjection(la).series.points.find((p) => p.year === y)?.value);
    expect(at('Derby', [2018, 2025, 2030, 2035])).toEqual([59899, 59384, 56864, 55693]);
    expect(at('E10000007', [2018, 2025, 2030, 2035])).toEqual([153272, 156733, 154739, 154052]);
    const d = loadPopulationProjection('Derby');
    expect(d.area).toEqual({ name: 'Derby', code: 'E06000015', level: 'local_authority', oldCode: '831' });
    expect(d.series.points.map((p) => p.year)).toEqual(Array.from({ length: 26 }, (_, i) => 2018 + i));
    expect(d.series).toMatchObject({ measure: 'population_0_17', kind: 'snapshot', unit: 'children', area: 'Derby' });
    expect(d.series.points[0].provenance).toMatchObject({ source: 'ons/snpp2018_principal_age0_17_lad23_county.csv', note: expect.stringMatching(/^sum of ages 0-17, lines \d+-\d+$/) });
    expect(d.notes.join(' ')).toMatch(/mid-\(t-1\)/);
  });

  it('England 2030: principal 11.91 million, low_population 11.14 million, high_population 12.44 million; all equal in 2018', () => {
    const v = (variant: 'principal' | 'low_population' | 'high_population', y: number) => loadPopulationProjection('England', { variant }).series.points.find((p) => p.year === y)?.value;
    expect(v('principal', 2030)).toBe(11907569);
    expect(v('low_population', 2030)).toBe(11139895);
    expect(v('high_population', 2030)).toBe(12435406);
    expect(new Set([v('principal', 2018), v('low_population', 2018), v('high_population', 2018)])).toEqual(new Set([11954618]));
    expect(loadPopulationProjection('England', { variant: 'high_population' }).series.points[0].provenance).toMatchObject({ source: 'ons/snpp2018_custom_variants_age0_17_totals_lad23_county.csv', cell: 'high_population' });
  });

  it('the mid-2024 estimate: Derby 62,113; the 153 authorities sum to England\u2019s 12,183,016', () => {
    expect(loadPopulationProjection('Derby').estimate).toMatchObject({ year: 2024, value: 62113, provenance: { source: 'ons/mye2024_mye2_persons_single_year_of_age.csv' } });
    const file = loadOnsPopulation();
    expect(file.areas.filter((a) => a.level === 'local_authority')).toHaveLength(153);
    expect(file.areas.filter((a) => a.level === 'local_authority').reduce((s, a) => s + a.estimate, 0)).toBe(12183016);
    expect(loadPopulationProjection('England').estimate.value).toBe(12183016);
  });

  it('found by name, ONS code, former ONS code or DfE code; unknown names and variants are input errors', () => {
    expect(loadPopulationProjection('831').area.name).toBe('Derby');
    expect(loadPopulationProjection('E10000023').area).toMatchObject({ name: 'North Yorkshire', code: 'E06000065', oldCode: '815', formerCodes: ['E10000023'] });
    expect(errorOf(() => loadPopulationProjection('Derbyshir')).problems[0].fix).toMatch(/"Derbyshire"/);
    expect(errorOf(() => loadPopulationProjection('Derby', { variant: 'medium' as never })).problems[0].field).toBe('variant');
    // abolished authorities have no projection on April 2023 boundaries
    errorOf(() => loadPopulationProjection('Cumbria'));
  });

  it('the bundled file parses with its strict schema and matches the manifest', () => {
    const text = readFileSync(`${SEEDS}ons-population.json`);
    const manifest = JSON.parse(readFileSync(`${SEEDS}MANIFEST.json`, 'utf8'));
    expect(createHash('sha256').update(text).digest('hex')).toBe(manifest.files['ons-population.json'].sha256);
    const json = JSON.parse(text.toString('utf8'));
    expect(OnsPopulationFileSchema.safeParse(json).success).toBe(true);
    expect(OnsPopulationFileSchema.safeParse({ ...json, areas: [{ ...json.areas[0], extra: 1 }] }).success).toBe(false);
  });
});

describe('buildOnsPopulationFile from the fixtures cut from the raw files', () => {
  const raw = (role: OnsRawFile['source']['role'], name: string): OnsRawFile => {
    const buf = readFileSync(`${ONS_FIXTURES}${name}`);
    return { text: buf.toString('utf8'), source: { role, path: `ons/${name}`, bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex'), checkedAgainst: null, publication: 'test', licence: 'OGL v3.0' } };
  };
  const files = {
    principal: raw('principal', 'snpp2018_principal_age0_17_lad23_county.csv'),
    variants: raw('variants', 'snpp2018_custom_variants_age0_17_totals_lad23_county.csv'),
    estimate: raw('estimate', 'mye2024_mye2_persons_single_year_of_age.csv'),
    lookup: raw('lookup', 'lookup_ltla23_to_utla23_april2023.csv'),
  };
  const header = { description: 'd', licence: 'l', attribution: 'a', command: 'c' };
  const codes = new Map([['E06000015', { oldCode: '831', formerCodes: [] }]]);

  it('gives the same figures as the bundle for the same areas', () => {
    const built = buildOnsPopulationFile(files, codes, header, 3);
    expect(built.areas.map((a) => a.code)).toEqual(['E92000001', 'E06000015', 'E06000065', 'E10000007']);
    const bundled = loadOnsPopulation();
    for (const a of built.areas) {
      const b = bundled.areas.find((x) => x.code === a.code)!;
      expect([a.name, a.principal, a.low_population, a.high_population, a.estimate]).toEqual([b.name, b.principal, b.low_population, b.high_population, b.estimate]);
    }
    expect(built.areas[1].oldCode).toBe('831');
  });

  it('checks the variants file against the single years of age, and the number of authorities', () => {
    const bad = { ...files, variants: { ...files.variants, text: files.variants.text.replace(/\nE06000015,2030,56864,/, '\nE06000015,2030,56865,') } };
    expect(bad.variants.text).not.toBe(files.variants.text);
    expect(errorOf(() => buildOnsPopulationFile(bad, codes, header, 3)).message).toMatch(/E06000015 2030: principal 56865, but the single years of age sum to 56864/);
    expect(errorOf(() => buildOnsPopulationFile(files, codes, header)).message).toMatch(/3 upper-tier authorities, expected 153/);
  });
});
