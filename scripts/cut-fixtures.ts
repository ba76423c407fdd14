/**
 * Cut the test fixtures under `test/fixtures/dfe/` and `test/fixtures/ons/`
 * from the real raw files: whole lines copied byte for byte (byte-order
 * mark, line endings and quoting as published), for a few areas and
 * years, so that the tests read real published rows without the raw data
 * folder. Each fixture folder gets a `SHA256SUMS` of its files, and
 * `test/fixtures/dfe/FIXTURES.md` and `test/fixtures/ons/FIXTURES.md`
 * record, per file, its source, the source's SHA-256, the rule used and the
 * source lines kept.
 *
 * Run: npx tsx scripts/cut-fixtures.ts [--data DIR]   (DIR defaults to ../shared/data)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCsvRows } from '../src/data/loaders/csvText.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const at = args.indexOf('--data');
const DATA = resolve(at >= 0 ? args[at + 1] : join(ROOT, '..', 'shared', 'data'));
const OUT = join(ROOT, 'test', 'fixtures');

/** Local authorities (DfE codes) in the SFR tables fixture: the panel's test cases and the golden R scripts' series. */
const SFR_LAS = ['830', '831', '835', '836', '837', '928', '909', '815', '933', '390', '840', '420', '201', '370', '330', '886', '856', '857', '908'];
/** Local authorities in the number-and-rate fixtures: every reorganisation and code change the panel handles. */
const EES_LAS = ['830', '831', '835', '836', '837', '838', '839', '928', '940', '941', '909', '942', '943', '815', '933', '390', '840', '420', '201'];
/** Local authorities in the long-file fixtures. */
const LONG_LAS = ['830', '831', '201', '838', '942'];
/** Regions kept (ONS code; SFR letter). */
const REGIONS = [
  ['E12000004', 'D'],
  ['E13000001', 'H'],
];
/** The long-file groups the panel reads (every group is kept for Derby 2024). */
const LONG_GROUPS = ['Placement', 'Place providers', 'Age group', 'Unaccompanied asylum-seeking children', 'Reason episode ceased', 'Age on ceasing'];
const LONG_YEARS = ['2022', '2023', '2024'];

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const records: { dir: string; text: string }[] = [];

/** Split text into lines, each keeping its own line ending. */
function linesOf(text: string): string[] {
  return text.match(/[^\r\n]*(\r\n|\n|\r|$)/g)!.filter((l) => l !== '');
}

function cut(srcRel: string, dstRel: string, keep: (row: Record<string, string>) => boolean, rule: string): void {
  const buf = readFileSync(join(DATA, srcRel));
  const text = buf.toString('utf8');
  const lines = linesOf(text);
  const header = readCsvRows(lines[0], srcRel)[0].cells.map((h) => h.trim());
  const kept: string[] = [lines[0]];
  const keptLines: number[] = [];
  lines.slice(1).forEach((line, i) => {
    const cells = readCsvRows(line.replace(/^\ufeff/, ''), srcRel)[0]?.cells ?? [];
    const row = Object.fromEntries(header.map((h, k) => [h, (cells[k] ?? '').trim()]));
    if (keep(row)) {
      kept.push(line);
      keptLines.push(i + 2);
    }
  });
  // The last line keeps the source's ending (the source may end without one).
  const out = kept.join('');
  mkdirSync(dirname(join(OUT, dstRel)), { recursive: true });
  writeFileSync(join(OUT, dstRel), out);
  const ranges: string[] = [];
  for (let i = 0; i < keptLines.length; i++) {
    let j = i;
    while (j + 1 < keptLines.length && keptLines[j + 1] === keptLines[j] + 1) j++;
    ranges.push(i === j ? String(keptLines[i]) : `${keptLines[i]}-${keptLines[j]}`);
    i = j;
  }
  records.push({
    dir: dstRel.split('/')[0],
    text: `## ${dstRel}\n\n- Source: \`${srcRel}\` (${buf.length} bytes, SHA-256 \`${sha(buf)}\`)\n- Kept: the header and ${keptLines.length} of ${lines.length - 1} rows: ${rule}\n- Source lines kept: ${ranges.join(', ')}\n- Fixture: ${Buffer.byteLength(out)} bytes, SHA-256 \`${sha(out)}\`\n`,
  });
}

const isRegion = (code: string) => REGIONS.some(([c]) => c === code);

rmSync(join(OUT, 'dfe'), { recursive: true, force: true });
rmSync(join(OUT, 'ons'), { recursive: true, force: true });

// SFR tables.
for (const name of readdirSync(join(DATA, 'dfe', 'sfr_la_cla_2011_2017')).filter((n) => /^la_cla_31_march_\d{4}\.csv$/.test(n)).sort()) {
  cut(
    `dfe/sfr_la_cla_2011_2017/${name}`,
    `dfe/sfr_la_cla_2011_2017/${name}`,
    (r) => r.geog_c === '999' || REGIONS.some(([, l]) => l === r.geog_c) || SFR_LAS.includes(r.geog_c),
    `England (999), regions ${REGIONS.map(([c, l]) => `${l} (${c})`).join(', ')}, DfE codes ${SFR_LAS.join(', ')}`,
  );
}
// Number-and-rate files.
const eesArea = (r: Record<string, string>, las: readonly string[]) =>
  r.geographic_level === 'National' || (r.geographic_level === 'Regional' && isRegion(r.region_code)) || (r.geographic_level === 'Local authority' && las.includes(r.old_la_code));
cut(
  'dfe/ees_2024/cla_number_and_rate_per_10k_children_2019_2023.csv',
  'dfe/ees_2024/cla_number_and_rate_per_10k_children_2019_2023.csv',
  (r) => eesArea(r, EES_LAS) && (r.time_period === '2019' || (['2023', '2020'].includes(r.time_period) && ['831', '838', '815', '835'].includes(r.old_la_code)) || (r.time_period === '2023' && r.geographic_level === 'National')),
  `2019 for England, regions ${REGIONS.map(([c]) => c).join(', ')} and DfE codes ${EES_LAS.join(', ')}; 2020 and 2023 for 831, 838, 815, 835 and 2023 for England (figures the 2024 publication revised or superseded)`,
);
cut(
  'dfe/ees_2024/cla_number_and_rate_per_10k_children_2020_2024.csv',
  'dfe/ees_2024/cla_number_and_rate_per_10k_children_2020_2024.csv',
  (r) => eesArea(r, EES_LAS),
  `England, regions ${REGIONS.map(([c]) => c).join(', ')} and DfE codes ${EES_LAS.join(', ')}, every year`,
);
cut('dfe/ees_2024/cla_time_series_1994_2024.csv', 'dfe/ees_2024/cla_time_series_1994_2024.csv', () => true, 'every row (England 1994-2024)');
for (const name of ['la_cla_on_31_march_by_characteristics_2020_2024.csv', 'la_children_who_started_to_be_looked_after_during_the_year_2020_2024.csv', 'la_children_who_ceased_during_the_year_2020_2024.csv']) {
  cut(
    `dfe/ees_2024/${name}`,
    `dfe/ees_2024/${name}`,
    (r) =>
      (eesArea(r, LONG_LAS) && !(r.geographic_level === 'Regional' && r.region_code === 'E13000001') && LONG_YEARS.includes(r.time_period) && LONG_GROUPS.includes(r.cla_group)) ||
      (r.old_la_code === '831' && r.time_period === '2024'),
    `${LONG_YEARS.join(', ')} for England, region E12000004 and DfE codes ${LONG_LAS.join(', ')}, groups ${LONG_GROUPS.filter((g) => name.includes('ceased') === ['Reason episode ceased', 'Age on ceasing'].includes(g)).join(', ')}; every group for Derby (831) 2024`,
  );
}
// ONS.
const ONS_AREAS = ['E92000001', 'E06000015', 'E10000007', 'E06000065'];
cut('ons/snpp2018_principal_age0_17_lad23_county.csv', 'ons/snpp2018_principal_age0_17_lad23_county.csv', (r) => ONS_AREAS.includes(r.area_code), `areas ${ONS_AREAS.join(', ')}`);
cut('ons/snpp2018_custom_variants_age0_17_totals_lad23_county.csv', 'ons/snpp2018_custom_variants_age0_17_totals_lad23_county.csv', (r) => ONS_AREAS.includes(r.area_code), `areas ${ONS_AREAS.join(', ')}`);
cut('ons/mye2024_mye2_persons_single_year_of_age.csv', 'ons/mye2024_mye2_persons_single_year_of_age.csv', (r) => ONS_AREAS.includes(r.Code), `areas ${ONS_AREAS.join(', ')}`);
cut('ons/lookup_ltla23_to_utla23_april2023.csv', 'ons/lookup_ltla23_to_utla23_april2023.csv', (r) => ONS_AREAS.includes(r.UTLA23CD), `districts of ${ONS_AREAS.join(', ')}`);

// Checksums beside the fixtures, as beside the raw files.
for (const dir of ['dfe/ees_2024', 'ons']) {
  const names = readdirSync(join(OUT, dir)).filter((n) => n.endsWith('.csv')).sort();
  writeFileSync(join(OUT, dir, 'SHA256SUMS'), names.map((n) => `${sha(readFileSync(join(OUT, dir, n)))}  ${n}\n`).join(''));
}
for (const dir of ['dfe', 'ons']) {
  writeFileSync(
    join(OUT, dir, 'FIXTURES.md'),
    `# Test fixtures cut from the raw ${dir === 'dfe' ? 'DfE' : 'ONS'} files\n\nMade by \`npx tsx scripts/cut-fixtures.ts\` from the data folder (\`../shared/data\`): whole lines copied byte for byte from the published files (byte-order marks, line endings and quoting kept), for a few areas and years. Line numbers in the fixtures are not those of the source files; the source lines kept are listed below. Licence: Open Government Licence v3.0 (${dir === 'dfe' ? 'Department for Education' : 'Office for National Statistics'}).\n\n${records.filter((r) => r.dir === dir).map((r) => r.text).join('\n')}`,
  );
}
console.log(`wrote ${records.length} fixtures under test/fixtures/`);
