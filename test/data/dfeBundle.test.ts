/**
 * The bundled DfE panel (seeds/dfe-panel.json) and the manifest of bundled files: checksums, the strict
 * schema, the documented checks on every area-year, and the numbers of the 2024 publication.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DfePanelBundleSchema, readDfePanelBundle } from '../../src/data/dfe/bundle.js';
import { dfePanelReader } from '../../src/data/dfe/bundleDecode.js';
import { bundledDfePanel, readCheckedSeed, SeedManifestSchema } from '../../src/data/dfe/bundled.js';
import { findPanelArea, loadDfePanel, loadDfePanelArea, panelSeries } from '../../src/data/panel.js';
import type { AnnualSeries } from '../../src/data/schemas.js';
import { errorOf } from '../helpers/inputError.js';

const SEEDS = fileURLToPath(new URL('../../seeds/', import.meta.url));
const manifest = SeedManifestSchema.parse(JSON.parse(readFileSync(`${SEEDS}MANIFEST.json`, 'utf8')));
const panel = loadDfePanel();
const numbers = (s: AnnualSeries | undefined) => s?.points.filter((p) => p.value !== null).map((p) => [p.year, p.value]);

describe('seeds/MANIFEST.json', () => {
  it('lists the bundled data files, each matching its recorded size and SHA-256', () => {
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining(['dfe-panel.json', 'ons-population.json']));
    for (const [name, entry] of Object.entries(manifest.files)) {
      const buf = readFileSync(`${SEEDS}${name}`);
      expect(buf.length, name).toBe(entry.bytes);
      expect(createHash('sha256').update(buf).digest('hex'), name).toBe(entry.sha256);
    }
  });
});

describe('a changed bundled file', () => {
  it('is refused by loadDfePanelArea and loadDfePanel, naming the file, both sizes and checksums (a copy of the sources and seeds)', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'carecast-seeds-'));
    try {
      cpSync(join(root, 'src'), join(dir, 'src'), { recursive: true });
      cpSync(join(root, 'seeds'), join(dir, 'seeds'), { recursive: true });
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
      const file = join(dir, 'seeds', 'dfe-panel.json');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"Derby"', '"Derbx"'));
      const copy = (await import(pathToFileURL(join(dir, 'src', 'data', 'panel.ts')).href)) as typeof import('../../src/data/panel.js');
      // the copy's own CarecastInputError class, so the error is matched by name
      const errorOfCopy = (fn: () => unknown): { name: string; problems: { source: string; message: string; fix?: string }[] } => {
        try {
          fn();
        } catch (e) {
          return e as { name: string; problems: { source: string; message: string; fix?: string }[] };
        }
        throw new Error('expected an error');
      };
      for (const load of [() => copy.loadDfePanelArea('Derby'), () => copy.loadDfePanel()]) {
        const err = errorOfCopy(load);
        expect(err.name).toBe('CarecastInputError');
        expect(err.problems[0].source).toBe('seeds/dfe-panel.json');
        expect(err.problems[0].message).toMatch(/^\d+ bytes, SHA-256 [0-9a-f]{64}; seeds\/MANIFEST\.json records \d+ bytes, [0-9a-f]{64}$/);
        expect(err.problems[0].fix).toMatch(/has been changed/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('seeds/dfe-panel.json', () => {
  const text = readFileSync(`${SEEDS}dfe-panel.json`, 'utf8');
  const json = JSON.parse(text);

  it('is ASCII JSON with one line per area after the header, and parses with its strict schema, which refuses unknown keys', () => {
    expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
    expect(text.split('\n')).toHaveLength(1 + json.panel.areas.length + 2);
    expect(json.format).toBe('carecast-dfe-panel');
    expect(json.version).toBe(2);
    expect(DfePanelBundleSchema.safeParse(json).success).toBe(true);
    expect(DfePanelBundleSchema.safeParse({ ...json, extra: 1 }).success).toBe(false);
    expect(DfePanelBundleSchema.safeParse({ ...json, sources: [{ ...json.sources[0], url: 'x' }, ...json.sources.slice(1)] }).success).toBe(false);
  });

  it('records every input file: path, size, SHA-256 (checked against SHA256SUMS where there is one), publication and licence', () => {
    const bundle = bundledDfePanel().header;
    expect(bundle.sources.map((s) => s.path)).toEqual([
      ...[2011, 2012, 2013, 2014, 2015, 2016, 2017].map((y) => `dfe/sfr_la_cla_2011_2017/la_cla_31_march_${y}.csv`),
      'dfe/ees_2024/cla_number_and_rate_per_10k_children_2019_2023.csv',
      'dfe/ees_2024/cla_number_and_rate_per_10k_children_2020_2024.csv',
      'dfe/ees_2024/cla_time_series_1994_2024.csv',
      'dfe/ees_2024/la_cla_on_31_march_by_characteristics_2020_2024.csv',
      'dfe/ees_2024/la_children_who_started_to_be_looked_after_during_the_year_2020_2024.csv',
      'dfe/ees_2024/la_children_who_ceased_during_the_year_2020_2024.csv',
    ]);
    // the SHA-256 of the 2024 publication files as listed in data/dfe/ees_2024/SHA256SUMS
    expect(bundle.sources.find((s) => s.path.endsWith('2020_2024.csv') && s.kind === 'numberAndRate')).toMatchObject({
      sha256: '6b7edd622ed5d9f352fc3dbfdb2659bf5fb63704bceb79ff625d7a962414a543',
      bytes: 404870,
      checkedAgainst: 'dfe/ees_2024/SHA256SUMS',
      years: [2020, 2021, 2022, 2023, 2024],
    });
    expect(bundle.sources.find((s) => s.path.endsWith('2019_2023.csv'))?.years).toEqual([2019]);
    for (const s of bundle.sources) expect(s.licence).toMatch(/Open Government Licence v3\.0/);
  });
});

describe('loadDfePanel(): the bundled panel', () => {
  it('every English local authority, England and the regions, 2011-2024 with 2018 missing', () => {
    expect(panel.areas.filter((a) => a.level === 'national').map((a) => a.name)).toEqual(['England']);
    expect(panel.areas.filter((a) => a.level === 'region')).toHaveLength(11);
    // the 153 authorities of 2024, and Dorset (835), Bournemouth, Poole, Northamptonshire and Cumbria
    expect(panel.areas.filter((a) => a.level === 'local_authority')).toHaveLength(158);
    expect(panel.years).toEqual([2011, 2012, 2013, 2014, 2015, 2016, 2017, 2019, 2020, 2021, 2022, 2023, 2024]);
    expect(panel.missingYears).toEqual([2018]);
    expect(loadDfePanel()).toBe(panel); // read once per process
  });

  it('the build ran the documented checks on every area-year and recorded them: Placement Total = children looked after at 31 March (825 area-years), ...', () => {
    const checks = bundledDfePanel().header.checks;
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(checks).toHaveLength(11);
    expect(byName['Placement Total = children looked after at 31 March (number-and-rate file)']).toMatchObject({ compared: 825, exceptions: [] });
    expect(byName['dfeProvider Total = Placement Total (characteristics file)'].exceptions).toEqual([expect.stringMatching(/^City of London 2024 children_in_care\|dfeProvider=total "c"/)]);
    expect(byName['started age Total = started (number-and-rate file)']).toMatchObject({ compared: 825, exceptions: [] });
    expect(byName['ceased reason Total = ceased (number-and-rate file)']).toMatchObject({ compared: 835, exceptions: [] });
    expect(byName['England time series children_in_care = number-and-rate England']).toMatchObject({ compared: 6, exceptions: [] });
  });

  it('England 2023 = 83,760 (the 2024 publication; 83,840 in the 2023 one), 2024 = 83,630; 1994-2024 from the time series', () => {
    const e = panel.series.get('England')!;
    expect(e.childrenInCare.points.find((p) => p.year === 2023)?.value).toBe(83760);
    expect(e.childrenInCare.points.at(-1)?.value).toBe(83630);
    expect(e.childrenInCare.points[0]).toMatchObject({ year: 1994, value: 47590 });
    expect(e.childrenInCare.points).toHaveLength(31);
  });

  it('Derby: 461 (2011) ... 598 (2024), and Derbyshire 1,057 in 2024', () => {
    expect(numbers(panel.series.get('Derby')!.childrenInCare)).toEqual([
      [2011, 461], [2012, 480], [2013, 465], [2014, 445], [2015, 470], [2016, 448], [2017, 448],
      [2019, 562], [2020, 588], [2021, 642], [2022, 627], [2023, 620], [2024, 598],
    ]);
    expect(panel.series.get('Derby')!.breakdowns.placement.fostering?.points.at(-1)?.value).toBe(426);
    expect(panel.series.get('Derbyshire')!.childrenInCare.points.at(-1)?.value).toBe(1057);
  });

  it('the 0-17 populations DfE published: mid-(t-1) for 31 March t (Derby 59,191 and Derbyshire 153,032 for 2023 = the ONS mid-2022 estimates)', () => {
    const pop = (la: string, y: number) => panel.series.get(la)!.population!.points.find((p) => p.year === y)?.value;
    expect([pop('Derby', 2023), pop('Derbyshire', 2023)]).toEqual([59191, 153032]);
    // the rebased mid-2018 estimate for 31 March 2019, not the 2018-based projection's base (59,899; England 11,954,618)
    expect([pop('Derby', 2019), pop('England', 2019)]).toEqual([59234, 11755593]);
  });

  it('every local authority with a children-in-care number; 146 have all 13 years (148 had 2011-2021; Northamptonshire and Cumbria end in 2021 and 2023)', () => {
    const cic = panelSeries(panel);
    expect(cic.size).toBe(158);
    const complete = [...cic].filter(([, s]) => s.points.filter((p) => p.value !== null).length === 13).map(([n]) => n);
    expect(complete).toHaveLength(146);
    for (const n of ['Northamptonshire', 'Cumbria', 'Isles of Scilly', 'Dorset (835)', 'Dorset (838)', 'Cumberland']) expect(complete).not.toContain(n);
  });

  it('the placement groups add up to the total wherever all are published (local authorities)', () => {
    let checked = 0;
    for (const a of panel.areas) {
      if (a.level !== 'local_authority') continue;
      const s = panel.series.get(a.name)!;
      for (const p of s.childrenInCare.points) {
        const parts = Object.values(s.breakdowns.placement).map((g) => g?.points.find((q) => q.year === p.year)?.value);
        if (p.value === null || parts.length < 5 || parts.some((v) => v === null || v === undefined)) continue;
        checked++;
        expect(Math.abs((parts as number[]).reduce((x, y) => x + y, 0) - p.value), `${a.name} ${p.year}`).toBeLessThanOrEqual(1);
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('loadDfePanelArea gives the area\u2019s entry of the whole panel (the same object once the panel is loaded); unknown names suggest at most three', () => {
    expect(loadDfePanelArea('Derby')).toBe(panel.series.get('Derby'));
    expect(loadDfePanelArea('E10000023')).toBe(panel.series.get('North Yorkshire'));
    expect(findPanelArea(panel, 'E10000023').area.name).toBe('North Yorkshire');
    const err = errorOf(() => findPanelArea(panel, 'Northampton'));
    expect(err.problems[0].fix).toBe('did you mean "Northamptonshire", "North Northamptonshire", "West Northamptonshire"? You can also give the ONS code (E10000007) or DfE code (830)');
    expect(errorOf(() => loadDfePanelArea('Northampton')).problems[0].fix).toBe(err.problems[0].fix);
  });

  it('an area decoded alone from the file, before anything else, equals its entry in the whole panel', () => {
    const reader = dfePanelReader(readDfePanelBundle(readCheckedSeed('dfe-panel.json'), 'seeds/dfe-panel.json'), 'seeds/dfe-panel.json');
    for (const name of ['Derby', 'Dorset (838)', 'England', 'Isles of Scilly']) {
      expect(reader.area(reader.areas.findIndex((a) => a.name === name)), name).toEqual(panel.series.get(name));
    }
  });
});
