/**
 * The bundled ONS child population file (`seeds/ons-population.json`): its
 * schema, and how it is built from the raw ONS files (text in, no file
 * access).
 *
 * Contents, per upper-tier local authority (April 2023 codes) and England:
 *
 * - the ONS 2018-based subnational population projection (SNPP) of
 *   persons aged 0-17, principal projection, mid-2018 to mid-2043 (the sum
 *   of single years of age 0-17 of
 *   `snpp2018_principal_age0_17_lad23_county.csv`);
 * - the `low_population` and `high_population` variants, mid-2018 to
 *   mid-2043 (`snpp2018_custom_variants_age0_17_totals_lad23_county.csv`:
 *   the ratio of the 2018-based national low/high population variant to the
 *   national principal applied to the SNPP principal, not ONS subnational
 *   variants);
 * - the ONS mid-2024 estimate of persons aged 0-17
 *   (`mye2024_mye2_persons_single_year_of_age.csv`, first edition);
 * - names from the April 2023 lookup, and the DfE code where the DfE panel
 *   has one for the ONS code.
 *
 * @module
 */
import { z } from 'zod';
import { CarecastInputError, type InputProblem } from '../errors.js';
import { readCsvRows } from '../loaders/csvText.js';

/** The population variants bundled. */
export const POPULATION_VARIANTS = ['principal', 'low_population', 'high_population'] as const;
/** A bundled population variant. */
export type PopulationVariant = (typeof POPULATION_VARIANTS)[number];

/** The format name written in the file. */
export const ONS_POPULATION_FORMAT = 'carecast-ons-population';

const SourceSchema = z.strictObject({
  role: z.enum(['principal', 'variants', 'estimate', 'lookup']),
  path: z.string().min(1),
  bytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  checkedAgainst: z.string().nullable(),
  publication: z.string().min(1),
  licence: z.string().min(1),
});

const count = z.number().int().nonnegative();

const AreaSchema = z.strictObject({
  code: z.string().regex(/^E(06|08|09|10|92)\d{6}$/),
  name: z.string().min(1),
  level: z.enum(['national', 'local_authority']),
  oldCode: z.string().regex(/^\d{3}$/).nullable(),
  formerCodes: z.array(z.string()),
  lines: z.strictObject({ principal: z.number().int().positive(), variants: z.number().int().positive(), estimate: z.number().int().positive() }),
  principal: z.array(count),
  low_population: z.array(count),
  high_population: z.array(count),
  estimate: count,
});

/** The zod schema of `seeds/ons-population.json` (strict: unknown keys are errors). */
export const OnsPopulationFileSchema = z.strictObject({
  format: z.literal(ONS_POPULATION_FORMAT),
  version: z.literal(1),
  description: z.string(),
  licence: z.string(),
  attribution: z.string(),
  command: z.string(),
  sources: z.array(SourceSchema),
  projection: z.strictObject({ basis: z.string(), firstYear: z.number().int(), lastYear: z.number().int(), variants: z.array(z.enum(POPULATION_VARIANTS)) }),
  estimate: z.strictObject({ basis: z.string(), year: z.number().int() }),
  areas: z.array(AreaSchema),
});

/** The bundled ONS population file, as parsed. */
export type OnsPopulationFile = z.infer<typeof OnsPopulationFileSchema>;

/** One raw ONS file's text and record. */
export interface OnsRawFile {
  /** The file's text. */
  readonly text: string;
  /** Where it came from, for the `sources` list. */
  readonly source: z.infer<typeof SourceSchema>;
}

/** The raw files the population file is built from. */
export interface OnsRawFiles {
  /** `snpp2018_principal_age0_17_lad23_county.csv`. */
  readonly principal: OnsRawFile;
  /** `snpp2018_custom_variants_age0_17_totals_lad23_county.csv`. */
  readonly variants: OnsRawFile;
  /** `mye2024_mye2_persons_single_year_of_age.csv`. */
  readonly estimate: OnsRawFile;
  /** `lookup_ltla23_to_utla23_april2023.csv`. */
  readonly lookup: OnsRawFile;
}

const UPPER_TIER = /^E(06|08|09|10)\d{6}$/;
const ENGLAND = 'E92000001';

function header(rows: readonly { cells: readonly string[] }[], source: string, need: readonly string[]): Map<string, number> {
  const col = new Map(rows[0]?.cells.map((h, i) => [h.trim(), i]) ?? []);
  const missing = need.filter((n) => !col.has(n));
  if (missing.length > 0) throw new CarecastInputError([{ source, row: 1, message: `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`, fix: 'use the ONS file as described in data/ons/README.md' }]);
  return col;
}

function int(raw: string, source: string, row: number, field: string, problems: InputProblem[]): number {
  const t = raw.trim();
  if (!/^\d+$/.test(t)) {
    problems.push({ source, row, field, message: `expected a whole number, found ${JSON.stringify(raw)}`, fix: 'use the ONS file as published' });
    return 0;
  }
  return Number(t);
}

/**
 * Build the population file from the raw ONS files (pure: text in, object
 * out). Checks that every area has all 18 ages in every year, that the
 * variants file's principal equals the sum of the single years, and that
 * there are 153 upper-tier authorities plus England.
 *
 * @param files - the raw files' text and records
 * @param dfeCodes - DfE codes by ONS code (current and former), from the DfE panel, so that `831` finds Derby
 * @param header0 - the file's description, licence, attribution and command
 * @param expectedAuthorities - how many upper-tier authorities the files must hold (153 on April 2023 boundaries; fewer for a test extract)
 * @returns the file, ready for `JSON.stringify`
 * @throws `CarecastInputError` listing every problem found
 * @example
 * ```ts
 * const file = buildOnsPopulationFile({ principal, variants, estimate, lookup }, dfeCodes, header);
 * file.areas.find((a) => a.code === 'E06000015')?.principal[0]; // 59899 (Derby, mid-2018)
 * ```
 */
export function buildOnsPopulationFile(
  files: OnsRawFiles,
  dfeCodes: ReadonlyMap<string, { oldCode: string; formerCodes: readonly string[] }>,
  header0: Pick<OnsPopulationFile, 'description' | 'licence' | 'attribution' | 'command'>,
  expectedAuthorities = 153,
): OnsPopulationFile {
  const problems: InputProblem[] = [];
  // Names.
  const lk = readCsvRows(files.lookup.text, files.lookup.source.path);
  const lkCol = header(lk, files.lookup.source.path, ['UTLA23CD', 'UTLA23NM']);
  const names = new Map<string, string>([[ENGLAND, 'England']]);
  for (const r of lk.slice(1)) names.set(r.cells[lkCol.get('UTLA23CD')!].trim(), r.cells[lkCol.get('UTLA23NM')!].trim());
  // Principal, by single year of age.
  const pSrc = files.principal.source.path;
  const pr = readCsvRows(files.principal.text, pSrc);
  const pCol = header(pr, pSrc, ['area_code', 'year', 'age', 'population']);
  const principal = new Map<string, { line0: number; byYear: Map<number, { sum: number; ages: Set<number>; firstLine: number }> }>();
  for (const r of pr.slice(1)) {
    const code = r.cells[pCol.get('area_code')!].trim();
    if (code !== ENGLAND && !UPPER_TIER.test(code)) continue;
    const year = int(r.cells[pCol.get('year')!], pSrc, r.line, 'year', problems);
    const age = int(r.cells[pCol.get('age')!], pSrc, r.line, 'age', problems);
    const pop = int(r.cells[pCol.get('population')!], pSrc, r.line, 'population', problems);
    let a = principal.get(code);
    if (!a) principal.set(code, (a = { line0: r.line, byYear: new Map() }));
    let y = a.byYear.get(year);
    if (!y) a.byYear.set(year, (y = { sum: 0, ages: new Set(), firstLine: r.line }));
    if (age > 17) problems.push({ source: pSrc, row: r.line, field: 'age', message: `age ${age} in a file of ages 0-17`, fix: 'use the 0-17 extract' });
    if (y.ages.has(age)) problems.push({ source: pSrc, row: r.line, field: 'age', message: `${code} ${year} age ${age} twice`, fix: 'keep one row per area, year and age' });
    y.ages.add(age);
    y.sum += pop;
  }
  const years = [...new Set([...principal.values()].flatMap((a) => [...a.byYear.keys()]))].sort((a, b) => a - b);
  const firstYear = years[0];
  const lastYear = years[years.length - 1];
  for (const [code, a] of principal) {
    for (const y of years) {
      const e = a.byYear.get(y);
      if (!e || e.ages.size !== 18) problems.push({ source: pSrc, field: 'age', message: `${code} ${y}: ${e?.ages.size ?? 0} ages, expected 18 (0-17)`, fix: 'use the complete 0-17 extract' });
      else if (e.firstLine !== a.line0 + (y - firstYear) * 18) problems.push({ source: pSrc, row: e.firstLine, message: `${code} ${y} does not start on line ${a.line0 + (y - firstYear) * 18}`, fix: 'keep the rows sorted by area, year and age' });
    }
  }
  // Variants.
  const vSrc = files.variants.source.path;
  const vr = readCsvRows(files.variants.text, vSrc);
  const vCol = header(vr, vSrc, ['area_code', 'year', 'principal', 'low_population', 'high_population']);
  const variants = new Map<string, { line0: number; rows: Map<number, Record<PopulationVariant, number>> }>();
  for (const r of vr.slice(1)) {
    const code = r.cells[vCol.get('area_code')!].trim();
    if (code !== ENGLAND && !UPPER_TIER.test(code)) continue;
    const year = int(r.cells[vCol.get('year')!], vSrc, r.line, 'year', problems);
    let a = variants.get(code);
    if (!a) variants.set(code, (a = { line0: r.line, rows: new Map() }));
    if (r.line !== a.line0 + (year - firstYear)) problems.push({ source: vSrc, row: r.line, message: `${code} ${year} is not on line ${a.line0 + (year - firstYear)}`, fix: 'keep the rows sorted by area and year' });
    const v = Object.fromEntries(POPULATION_VARIANTS.map((k) => [k, int(r.cells[vCol.get(k)!], vSrc, r.line, k, problems)])) as Record<PopulationVariant, number>;
    a.rows.set(year, v);
    const ssya = principal.get(code)?.byYear.get(year)?.sum;
    if (ssya !== v.principal) problems.push({ source: vSrc, row: r.line, field: 'principal', message: `${code} ${year}: principal ${v.principal}, but the single years of age sum to ${ssya}`, fix: 'the two files must be the same projection' });
  }
  // Mid-2024 estimate.
  const eSrc = files.estimate.source.path;
  const er = readCsvRows(files.estimate.text, eSrc);
  const eCol = header(er, eSrc, ['Code', ...Array.from({ length: 18 }, (_, i) => String(i))]);
  const estimate = new Map<string, { line: number; value: number }>();
  for (const r of er.slice(1)) {
    const code = r.cells[eCol.get('Code')!].trim();
    if (code !== ENGLAND && !UPPER_TIER.test(code)) continue;
    let v = 0;
    for (let age = 0; age <= 17; age++) v += int(r.cells[eCol.get(String(age))!], eSrc, r.line, String(age), problems);
    estimate.set(code, { line: r.line, value: v });
  }
  const codes = [...principal.keys()].sort((a, b) => (a === ENGLAND ? -1 : b === ENGLAND ? 1 : a.localeCompare(b)));
  const las = codes.filter((c) => c !== ENGLAND);
  if (las.length !== expectedAuthorities) problems.push({ source: pSrc, message: `${las.length} upper-tier authorities, expected ${expectedAuthorities}`, fix: 'use the April 2023 extract' });
  const areas: OnsPopulationFile['areas'] = [];
  for (const code of codes) {
    const v = variants.get(code);
    const e = estimate.get(code);
    const name = names.get(code);
    if (!v || !e || !name) {
      problems.push({ source: !v ? vSrc : !e ? eSrc : files.lookup.source.path, message: `${code} is not in the file`, fix: 'every area of the projection needs a variant row, a mid-2024 estimate and a name' });
      continue;
    }
    const dfe = dfeCodes.get(code);
    areas.push({
      code,
      name,
      level: code === ENGLAND ? 'national' : 'local_authority',
      oldCode: dfe?.oldCode ?? null,
      formerCodes: [...(dfe?.formerCodes ?? [])],
      lines: { principal: principal.get(code)!.line0, variants: v.line0, estimate: e.line },
      principal: years.map((y) => principal.get(code)!.byYear.get(y)?.sum ?? 0),
      low_population: years.map((y) => v.rows.get(y)?.low_population ?? 0),
      high_population: years.map((y) => v.rows.get(y)?.high_population ?? 0),
      estimate: e.value,
    });
  }
  if (problems.length > 0) throw new CarecastInputError(problems);
  return {
    format: ONS_POPULATION_FORMAT,
    version: 1,
    ...header0,
    sources: [files.principal.source, files.variants.source, files.estimate.source, files.lookup.source],
    projection: {
      basis: 'ONS 2018-based subnational population projections (SNPP) for England, persons aged 0-17 at 30 June (mid-year), April 2023 boundaries',
      firstYear,
      lastYear,
      variants: [...POPULATION_VARIANTS],
    },
    estimate: { basis: 'ONS mid-year estimate of the population, persons aged 0-17 at 30 June 2024 (first edition, July 2025)', year: 2024 },
    areas,
  };
}
