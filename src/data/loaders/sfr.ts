/**
 * Loader for the older DfE Statistical First Release local authority tables
 * `la_cla_31_march_YYYY.csv` (2011-2017): children looked after at 31 March
 * by placement type, placement provider, age band and UASC status, for
 * every local authority, region and England.
 *
 * ## Reading the files
 *
 * Columns are found by header name, never by position: 2017 has an extra
 * `LA_order` column first, 2014 has trailing empty columns, 2015-2017 drop
 * some columns, and headers may carry trailing spaces. A column a year does
 * not have is missing for that year. The year comes from the `CLA_MarYYYY`
 * column and must match the year in the file name. Only the columns below
 * are read, so stray text in other columns (2013's `#VALUE!` in
 * `CLA_NetGain`) does not matter. The 2017 Isles of Scilly row has no
 * `geog_l`; its level is taken from its code. Areas are matched across years
 * by level and DfE code (`geog_c`); names differ slightly between years
 * ("Kingston upon Hull"/"Kingston Upon Hull") and the latest is used.
 *
 * The set in the project holds 2011-2017; there is no 2018 file (a real gap:
 * later years come from the EES files, 2019 on). {@link SfrPanel.years} and
 * {@link SfrPanel.missingYears} report what was found.
 *
 * ## Placement columns, checked numerically
 *
 * England, 31 March 2011: total `CLA_Mar2011` = 65,520 and
 * Fost 48,530 + Adopt 2,450 + Parent 3,970 + Ocom 2,460 + Secure 5,890 +
 * Ores 1,050 + RSch 970 + Miss 110 + OthPl 90 = 65,520 exactly. The nine
 * columns are the nine rows of SFR table A2:
 *
 * | column | SFR row | carecast |
 * |---|---|---|
 * | `CLA_Fost` | foster placements | group `fostering`, type `fostering` |
 * | `CLA_Adopt` | placed for adoption | group `adoption`, type `adoption` |
 * | `CLA_Parent` | placed with own parents or person with parental responsibility | group `parents`, type `parents` |
 * | `CLA_Ocom` | other placements in the community: living independently (P2) and residential employment (P3) | group `residential` (P2 is semi-independent in carecast's code table; P3 is tiny) |
 * | `CLA_Secure` | secure units, children's homes and semi-independent living accommodation (K1, K2, H5) | group `residential` |
 * | `CLA_Ores` | other residential settings: residential care homes, NHS/health trust, family centres and mother and baby units, young offender institutions (R1, R2, R3, R5) | group `other` |
 * | `CLA_RSch` | residential schools (S1) | group `other`, type `residential_school` |
 * | `CLA_Miss` | missing (absent for more than 24 hours); 2011-2014 and 2016 only | group `other` |
 * | `CLA_OthPl` | other placements; not in 2016 | group `other` |
 *
 * So `CLA_Secure` (5,890) is the secure/children's home/semi-independent
 * block and `CLA_Ores` (1,050) is "other residential settings", not
 * children's homes. The block cannot be split into the carecast types
 * `secure`, `childrens_home` and `semi_independent`, so there are no
 * `placementType` series for those (and none for `CLA_Ocom`, which is
 * independent living rather than H5 semi-independent accommodation, or for
 * the mixed `other`): `placementType` series are given only for
 * `fostering`, `adoption`, `parents` and `residential_school`. Every
 * published column is also kept as it is, under the breakdown key
 * `sfrPlacement` (categories `fostering`, `adoption`, `parents`,
 * `other_community`, `secure_homes_semi_independent`,
 * `other_residential`, `residential_school`, `missing`, `other_placement`).
 *
 * For England the placement groups sum to the total exactly in 2011, 2012,
 * 2014 and 2016, and within 10 (national figures are rounded to the nearest
 * 10) in 2013, 2015 and 2017. Providers likewise (within 10 in 2012, 2014,
 * 2016) and age bands (within 10 in 2011, 2015, 2016).
 *
 * ## Provider columns
 *
 * `internal` = `CLA_OwnP` (own provision) + `CLA_OthLA` (other local
 * authority); `private` = `CLA_Priv`; `voluntary` = `CLA_Vol`; `other` =
 * `CLA_OthPP` (other public provision) + `CLA_Par` (parents or other person
 * with parental responsibility) + `CLA_Nrep` (provider not recorded: in
 * 2011 England, 200 = the 110 missing + 90 in other placements). Raw columns
 * are kept under `sfrProvider` (`own_la`, `other_la`, `other_public`,
 * `private`, `voluntary`, `parents`, `not_recorded`).
 *
 * ## Age and UASC
 *
 * `CLA_U1`, `CLA_1to4`, `CLA_5to9`, `CLA_10to15`, `CLA_16over` give the
 * `age` bands; `CLA_UASC` gives `{ uasc: 'uasc' }`.
 *
 * ## Suppression
 *
 * `x` cells are `null` with marker `x`, never zero. Local authority cells of
 * 1-5 are suppressed, but so are some larger ones (secondary suppression),
 * so `x` has no fixed upper bound. Where the total and the other cells of a
 * complete breakdown (placement, provider or age) are published, the
 * suppressed cells together hold exactly `total - published cells`, which
 * is the `upper` given to each of them (these tables add up to within one
 * child at local authority level). A group that includes a suppressed cell
 * (e.g. `other` = Ores + RSch + Miss + OthPl) is `null` with marker
 * `partly_suppressed` and `upper` = its published cells + the smaller of
 * its suppressed cells' bounds summed and the breakdown's residual; a group
 * of one suppressed cell keeps that cell's marker.
 *
 * This module reads text only (no file access): {@link loadSfrFolder} reads
 * a folder.
 *
 * @module
 */
import { type PlacementGroup, type PlacementType, type ProviderGroup, type AgeBand } from '../codes.js';
import { CarecastInputError, type InputProblem } from '../errors.js';
import { MEASURES, type AnnualPoint, type AnnualSeries, type Area, type Breakdown, type Dataset, type Suppression } from '../schemas.js';
import { parseCount, type ParsedCount } from '../suppression.js';
import { ENGLISH_REGIONS, normaliseName, readCsvRows } from './csvText.js';
import { findArea } from './findArea.js';

/** The file name pattern of the SFR local authority tables. */
export const SFR_FILE_PATTERN = /^la_cla_31_march_(\d{4})\.csv$/i;

/** One SFR file's text. */
export interface SfrFile {
  /** File name, e.g. `la_cla_31_march_2011.csv` (the year is read from it). */
  readonly name: string;
  /** The file's text. */
  readonly text: string;
}

/** What was found in one year's file. */
export interface SfrFileInfo {
  /** The year of the 31 March. */
  readonly year: number;
  /** The file name. */
  readonly source: string;
  /** The columns carecast reads that the file has. */
  readonly columns: readonly string[];
  /** The columns carecast reads that the file lacks (missing for that year). */
  readonly missingColumns: readonly string[];
}

/** One area's row in one year. */
export interface SfrRow {
  /** Index of the area in {@link SfrPanel.areas}. */
  readonly areaIndex: number;
  /** The year of the 31 March. */
  readonly year: number;
  /** The file name. */
  readonly source: string;
  /** Line in the file (header = line 1). */
  readonly line: number;
  /** The area name as written that year. */
  readonly name: string;
  /** Cells read, keyed by column name (`CLA_Mar` for the total, whatever its year suffix). */
  readonly cells: Readonly<Record<string, ParsedCount>>;
}

/** Every SFR year found, for every area. */
export interface SfrPanel {
  /** The years found, ascending. */
  readonly years: readonly number[];
  /** Years between the first and last found that have no file. */
  readonly missingYears: readonly number[];
  /** Per-year file details. */
  readonly files: readonly SfrFileInfo[];
  /** Every area (latest name, ONS code, DfE code, level). */
  readonly areas: readonly Area[];
  /** Every area-year row. */
  readonly rows: readonly SfrRow[];
}

/** Placement columns and their categories. */
const PLACEMENT_COLUMNS: readonly { col: string; raw: string; group: PlacementGroup; type?: PlacementType }[] = [
  { col: 'CLA_Fost', raw: 'fostering', group: 'fostering', type: 'fostering' },
  { col: 'CLA_Adopt', raw: 'adoption', group: 'adoption', type: 'adoption' },
  { col: 'CLA_Parent', raw: 'parents', group: 'parents', type: 'parents' },
  { col: 'CLA_Ocom', raw: 'other_community', group: 'residential' },
  { col: 'CLA_Secure', raw: 'secure_homes_semi_independent', group: 'residential' },
  { col: 'CLA_Ores', raw: 'other_residential', group: 'other' },
  { col: 'CLA_RSch', raw: 'residential_school', group: 'other', type: 'residential_school' },
  { col: 'CLA_Miss', raw: 'missing', group: 'other' },
  { col: 'CLA_OthPl', raw: 'other_placement', group: 'other' },
];

/** Provider columns and their categories. */
const PROVIDER_COLUMNS: readonly { col: string; raw: string; group: ProviderGroup }[] = [
  { col: 'CLA_OwnP', raw: 'own_la', group: 'internal' },
  { col: 'CLA_OthLA', raw: 'other_la', group: 'internal' },
  { col: 'CLA_OthPP', raw: 'other_public', group: 'other' },
  { col: 'CLA_Priv', raw: 'private', group: 'private' },
  { col: 'CLA_Vol', raw: 'voluntary', group: 'voluntary' },
  { col: 'CLA_Par', raw: 'parents', group: 'other' },
  { col: 'CLA_Nrep', raw: 'not_recorded', group: 'other' },
];

/** Age columns and bands. */
const AGE_COLUMNS: readonly { col: string; band: AgeBand }[] = [
  { col: 'CLA_U1', band: 'under_1' },
  { col: 'CLA_1to4', band: '1_4' },
  { col: 'CLA_5to9', band: '5_9' },
  { col: 'CLA_10to15', band: '10_15' },
  { col: 'CLA_16over', band: '16_plus' },
];

const TOTAL = 'CLA_Mar';
const READ_COLUMNS = [
  ...PLACEMENT_COLUMNS.map((c) => c.col),
  ...PROVIDER_COLUMNS.map((c) => c.col),
  ...AGE_COLUMNS.map((c) => c.col),
  'CLA_UASC',
];

function levelOf(geogL: string, code: string): Area['level'] | undefined {
  const l = geogL.trim().toUpperCase();
  if (l === 'NATIONAL') return 'national';
  if (l === 'REGION') return 'region';
  if (l === 'LA') return 'local_authority';
  if (l !== '') return undefined;
  if (code === '999') return 'national';
  if (/^[A-Z]$/i.test(code)) return 'region';
  if (/^\d{3}$/.test(code)) return 'local_authority';
  return undefined;
}

function displayName(level: Area['level'], name: string): string {
  if (level === 'national') return 'England';
  if (level === 'region') return ENGLISH_REGIONS.find((r) => normaliseName(r.name) === normaliseName(name))?.name ?? name;
  return name;
}

/**
 * Parse SFR files already in memory. Pure: no file-system access.
 *
 * @param files - each file's name (`la_cla_31_march_YYYY.csv`) and text
 * @returns the panel: years found, missing years, areas and rows
 * @throws `CarecastInputError` listing every problem: a file name without a year, a year that disagrees with the `CLA_MarYYYY` column, a missing total or name column, two files for one year, rows with the wrong number of fields, unknown levels, and cells that are neither counts nor markers (each with file, line and column)
 * @example
 * ```ts
 * const panel = readSfrFiles([{ name: 'la_cla_31_march_2011.csv', text }]);
 * panel.years; // [2011]
 * ```
 */
export function readSfrFiles(files: readonly SfrFile[]): SfrPanel {
  const problems: InputProblem[] = [];
  const infos: SfrFileInfo[] = [];
  const areas: Area[] = [];
  const areaIndex = new Map<string, number>();
  const areaLatest = new Map<number, number>();
  const rows: SfrRow[] = [];
  const byYear = new Map<number, string>();
  const sorted = [...files].sort((a, b) => a.name.localeCompare(b.name));
  for (const f of sorted) {
    const source = f.name;
    const m = SFR_FILE_PATTERN.exec(f.name.split(/[\\/]/).pop() ?? f.name);
    const nameYear = m ? Number(m[1]) : undefined;
    let csv;
    try {
      csv = readCsvRows(f.text, source);
    } catch (e) {
      if (e instanceof CarecastInputError) {
        problems.push(...e.problems);
        continue;
      }
      throw e;
    }
    if (csv.length === 0) {
      problems.push({ source, row: 1, message: 'the file is empty', fix: 'give the SFR file with its header row' });
      continue;
    }
    const header = csv[0].cells.map((h) => h.trim());
    const col = new Map<string, number>();
    header.forEach((h, i) => {
      if (h !== '' && !col.has(h.toLowerCase())) col.set(h.toLowerCase(), i);
    });
    const totalCols = header.filter((h) => /^CLA_Mar\d{4}$/i.test(h));
    if (totalCols.length !== 1) {
      problems.push({
        source,
        row: 1,
        field: 'CLA_MarYYYY',
        message: totalCols.length === 0 ? 'no CLA_MarYYYY column (children looked after at 31 March)' : `several total columns: ${totalCols.join(', ')}`,
        fix: 'use the SFR local authority table as published',
      });
      continue;
    }
    const year = Number(totalCols[0].slice(7));
    if (nameYear === undefined) {
      problems.push({ source, message: `file name ${JSON.stringify(f.name)} is not la_cla_31_march_YYYY.csv`, fix: `rename it la_cla_31_march_${year}.csv` });
      continue;
    }
    if (nameYear !== year) {
      problems.push({
        source,
        row: 1,
        field: totalCols[0],
        message: `the file name says ${nameYear} but the total column is ${totalCols[0]}`,
        fix: 'check that the file is the right year and rename it to match its CLA_MarYYYY column',
      });
      continue;
    }
    if (byYear.has(year)) {
      problems.push({ source, message: `a second file for ${year} (the first is ${byYear.get(year)})`, fix: 'keep one file per year' });
      continue;
    }
    byYear.set(year, source);
    const missingIds = ['geog_l', 'geog_c', 'geog_n'].filter((c) => !col.has(c));
    if (missingIds.length > 0) {
      problems.push({ source, row: 1, field: missingIds[0], message: `missing column${missingIds.length > 1 ? 's' : ''} ${missingIds.join(', ')}`, fix: 'use the SFR local authority table as published' });
      continue;
    }
    const present = READ_COLUMNS.filter((c) => col.has(c.toLowerCase()));
    infos.push({ year, source, columns: [TOTAL + year, ...present], missingColumns: READ_COLUMNS.filter((c) => !col.has(c.toLowerCase())) });
    const totalIdx = header.indexOf(totalCols[0]);
    for (const r of csv.slice(1)) {
      const cells = r.cells;
      if (cells.every((c) => c.trim() === '')) continue;
      if (cells.length !== header.length) {
        problems.push({ source, row: r.line, message: `${cells.length} fields, the header has ${header.length}`, fix: 'names containing commas must be quoted; check that the row was not cut or joined' });
        continue;
      }
      const get = (name: string) => cells[col.get(name.toLowerCase())!] ?? '';
      const code = get('geog_c').trim();
      const level = levelOf(get('geog_l'), code);
      if (!level) {
        problems.push({ source, row: r.line, field: 'geog_l', message: `unknown level ${JSON.stringify(get('geog_l'))} with code ${JSON.stringify(code)}`, fix: 'use NATIONAL, REGION or LA' });
        continue;
      }
      const parsed: Record<string, ParsedCount> = {};
      let ok = true;
      const parseCell = (key: string, idx: number, field: string) => {
        try {
          parsed[key] = parseCount(cells[idx], { source, row: r.line, field });
        } catch (e) {
          if (!(e instanceof CarecastInputError)) throw e;
          problems.push(...e.problems);
          ok = false;
        }
      };
      parseCell(TOTAL, totalIdx, totalCols[0]);
      for (const c of present) parseCell(c, col.get(c.toLowerCase())!, header[col.get(c.toLowerCase())!]);
      if (!ok) continue;
      const name = get('geog_n').trim();
      const newCode = get('New_geog_code').trim();
      const key = `${level}|${level === 'national' ? '' : code}`;
      let ai = areaIndex.get(key);
      if (ai === undefined) {
        ai = areas.length;
        areaIndex.set(key, ai);
        areas.push({ name: displayName(level, name), level });
      }
      if ((areaLatest.get(ai) ?? -1) < year) {
        areaLatest.set(ai, year);
        const regionCode = level === 'region' ? ENGLISH_REGIONS.find((x) => normaliseName(x.name) === normaliseName(name))?.code : undefined;
        const area: Area = { name: displayName(level, name), level };
        const ons = regionCode ?? (newCode || undefined);
        if (ons) area.code = ons;
        if (level === 'local_authority') area.oldCode = code;
        areas[ai] = area;
      }
      rows.push({ areaIndex: ai, year, source, line: r.line, name, cells: parsed });
    }
  }
  if (problems.length > 0) throw new CarecastInputError(problems);
  const years = [...byYear.keys()].sort((a, b) => a - b);
  const missingYears: number[] = [];
  for (let y = years[0]; years.length > 0 && y <= years[years.length - 1]; y++) if (!byYear.has(y)) missingYears.push(y);
  return { years, missingYears, files: infos.sort((a, b) => a.year - b.year), areas, rows };
}

/**
 * The areas in a panel (latest name, ONS code, DfE code, level).
 *
 * @param panel - a panel from {@link readSfrFiles} or {@link loadSfrFolder}
 * @returns a copy of the areas
 * @example
 * ```ts
 * listSfrAreas(panel).length; // 163: England, 11 regions, 151 authorities (+ Isles of Scilly in 2017)
 * ```
 */
export function listSfrAreas(panel: SfrPanel): Area[] {
  return panel.areas.map((a) => ({ ...a }));
}

interface Part {
  readonly col: string;
  readonly cell: ParsedCount | undefined;
  readonly upper: number | undefined;
}

function rawPoint(year: number, source: string, line: number, col: string, p: Part): AnnualPoint {
  const c = p.cell!;
  const point: AnnualPoint = { year, value: c.value, provenance: { source, line, cell: col } };
  if (c.suppressed) point.suppressed = p.upper !== undefined && c.suppressed.upper === undefined ? { ...c.suppressed, upper: p.upper } : { ...c.suppressed };
  return point;
}

/**
 * Sum of parts; null + `partly_suppressed` when any part is suppressed.
 */
function groupPoint(year: number, source: string, line: number, parts: readonly Part[], residual: number | undefined): AnnualPoint | undefined {
  const present = parts.filter((p) => p.cell !== undefined);
  if (present.length === 0) return undefined;
  const cols = present.map((p) => p.col).join(' + ');
  const provenance = { source, line, cell: cols, ...(present.length > 1 ? { note: `sum of ${cols}` } : {}) };
  const hidden = present.filter((p) => p.cell!.value === null);
  if (hidden.length === 0) return { year, value: present.reduce((s, p) => s + (p.cell!.value as number), 0), provenance };
  if (present.length === 1) {
    const p = present[0];
    return { year, value: null, suppressed: rawPoint(year, source, line, p.col, p).suppressed, provenance };
  }
  const known = present.reduce((s, p) => s + (p.cell!.value ?? 0), 0);
  const uppers = hidden.map((p) => p.upper ?? p.cell!.suppressed?.upper);
  const sumUppers = uppers.every((u) => u !== undefined) ? uppers.reduce((s: number, u) => s + (u as number), 0) : undefined;
  const bound = sumUppers === undefined ? residual : residual === undefined ? sumUppers : Math.min(sumUppers, residual);
  const suppressed: Suppression = { marker: 'partly_suppressed' };
  if (bound !== undefined) suppressed.upper = known + bound;
  return { year, value: null, suppressed, provenance: { ...provenance, note: `sum of ${cols}; suppressed: ${hidden.map((p) => p.col).join(', ')}` } };
}

/**
 * One area's series from the SFR panel: annual `children_in_care` at 31
 * March, in total and broken down by placement group (`placement`), the
 * placement types the SFR columns identify (`placementType`: fostering,
 * adoption, parents, residential_school), each published placement column
 * (`sfrPlacement`), provider group (`provider`), each published provider
 * column (`sfrProvider`), age band (`age`) and UASC (`uasc`). Every point
 * has provenance (file, line, column). The column mapping and the handling
 * of suppressed cells are described in the module notes: suppressed cells
 * are never read as zero, and a group containing one is `null` with marker
 * `partly_suppressed` and an upper bound where one can be derived. A column
 * missing from a year's file gives a `null` point marked `z` (not
 * applicable: that category was not published that year) in the
 * `sfrPlacement`/`sfrProvider` series; groups are summed over the columns
 * present.
 *
 * @param panel - a panel from {@link readSfrFiles} or {@link loadSfrFolder}
 * @param la - a name (case and punctuation ignored), ONS code (`E10000007`), DfE code (`830`), `England` or a region name
 * @returns the area's dataset
 * @throws `CarecastInputError` for an unknown area (listing close names) or an ambiguous one
 * @example
 * ```ts
 * const ds = sfrDataset(panel, 'Derbyshire');
 * ds.series.find((s) => s.measure === 'children_in_care' && s.breakdown.placement === 'fostering')?.points[0].value; // 484 (2011)
 * ```
 */
export function sfrDataset(panel: SfrPanel, la: string): Dataset {
  const ai = findArea(panel.areas, la, 'SFR local authority tables');
  return buildDataset(panel, ai);
}

function buildDataset(panel: SfrPanel, ai: number): Dataset {
  const area = panel.areas[ai];
  const rows = panel.rows.filter((r) => r.areaIndex === ai).sort((a, b) => a.year - b.year);
  const series = new Map<string, AnnualSeries>();
  const add = (breakdown: Breakdown, p: AnnualPoint | undefined) => {
    if (!p) return;
    const key = JSON.stringify(breakdown);
    let s = series.get(key);
    if (!s) {
      s = { frequency: 'annual', measure: MEASURES.childrenInCare, kind: 'snapshot', unit: 'children', breakdown, area: area.name, points: [] };
      series.set(key, s);
    }
    s.points.push(p);
  };
  // Series order follows the first row: total, placement, placementType, sfrPlacement, provider, sfrProvider, age, uasc.
  const dims: { cols: readonly string[] }[] = [
    { cols: PLACEMENT_COLUMNS.map((c) => c.col) },
    { cols: PROVIDER_COLUMNS.map((c) => c.col) },
    { cols: AGE_COLUMNS.map((c) => c.col) },
  ];
  for (const r of rows) {
    const total = r.cells[TOTAL];
    // Residual per complete breakdown: total minus its published cells.
    const residualOf = (cols: readonly string[]): number | undefined => {
      if (total.value === null) return undefined;
      const known = cols.reduce((s, c) => s + (r.cells[c]?.value ?? 0), 0);
      return Math.max(0, total.value - known);
    };
    const residual = new Map<string, number | undefined>();
    for (const d of dims) for (const c of d.cols) residual.set(c, residualOf(d.cols));
    const part = (col: string): Part => {
      const cell = r.cells[col];
      return { col, cell, upper: cell && cell.value === null && cell.suppressed && cell.suppressed.marker !== 'z' ? residual.get(col) : undefined };
    };
    const totalPoint: AnnualPoint = { year: r.year, value: total.value, provenance: { source: r.source, line: r.line, cell: `CLA_Mar${r.year}` } };
    if (total.suppressed) totalPoint.suppressed = { ...total.suppressed };
    add({}, totalPoint);
    const absent = (col: string): AnnualPoint => ({
      year: r.year,
      value: null,
      suppressed: { marker: 'z' },
      provenance: { source: r.source, line: r.line, note: `${col} is not in ${r.source}` },
    });
    const dimResidual = (cols: readonly string[]) => residual.get(cols[0]);
    const groupsP = [...new Set(PLACEMENT_COLUMNS.map((c) => c.group))];
    for (const g of groupsP) {
      add({ placement: g }, groupPoint(r.year, r.source, r.line, PLACEMENT_COLUMNS.filter((c) => c.group === g).map((c) => part(c.col)), dimResidual(PLACEMENT_COLUMNS.map((c) => c.col))));
    }
    for (const c of PLACEMENT_COLUMNS) if (c.type) add({ placementType: c.type }, groupPoint(r.year, r.source, r.line, [part(c.col)], undefined));
    for (const c of PLACEMENT_COLUMNS) add({ sfrPlacement: c.raw }, r.cells[c.col] ? rawPoint(r.year, r.source, r.line, c.col, part(c.col)) : absent(c.col));
    const groupsV = [...new Set(PROVIDER_COLUMNS.map((c) => c.group))];
    for (const g of groupsV) {
      add({ provider: g }, groupPoint(r.year, r.source, r.line, PROVIDER_COLUMNS.filter((c) => c.group === g).map((c) => part(c.col)), dimResidual(PROVIDER_COLUMNS.map((c) => c.col))));
    }
    for (const c of PROVIDER_COLUMNS) add({ sfrProvider: c.raw }, r.cells[c.col] ? rawPoint(r.year, r.source, r.line, c.col, part(c.col)) : absent(c.col));
    for (const c of AGE_COLUMNS) add({ age: c.band }, r.cells[c.col] ? rawPoint(r.year, r.source, r.line, c.col, part(c.col)) : undefined);
    if (r.cells.CLA_UASC) add({ uasc: 'uasc' }, rawPoint(r.year, r.source, r.line, 'CLA_UASC', part('CLA_UASC')));
  }
  const years = rows.map((r) => r.year);
  const excess: string[] = [];
  if (area.level === 'local_authority') {
    for (const r of rows) {
      const total = r.cells[TOTAL].value;
      if (total === null) continue;
      for (const [label, cols] of [
        ['placement', PLACEMENT_COLUMNS.map((c) => c.col)],
        ['provider', PROVIDER_COLUMNS.map((c) => c.col)],
        ['age', AGE_COLUMNS.map((c) => c.col)],
      ] as const) {
        const sum = cols.reduce((s, c) => s + (r.cells[c]?.value ?? 0), 0);
        if (sum > total) excess.push(`${r.year} ${label}: published parts sum to ${sum}, ${sum - total} more than the total ${total}`);
      }
    }
  }
  const notes = [
    `DfE SFR local authority tables, children looked after at 31 March ${years[0] ?? ''}-${years[years.length - 1] ?? ''} (${rows.map((r) => r.source).join(', ')}).`,
    'placement groups: fostering = CLA_Fost; adoption = CLA_Adopt; parents = CLA_Parent; residential = CLA_Secure (secure units, children\u2019s homes and semi-independent living) + CLA_Ocom (living independently, residential employment); other = CLA_Ores (other residential settings) + CLA_RSch + CLA_Miss + CLA_OthPl.',
    'provider groups: internal = CLA_OwnP + CLA_OthLA; private = CLA_Priv; voluntary = CLA_Vol; other = CLA_OthPP + CLA_Par + CLA_Nrep.',
    'Suppressed cells (x) are null, never zero; a group containing one is null with marker partly_suppressed and an upper bound from the published total where possible.',
  ];
  if (panel.missingYears.length > 0) notes.push(`No SFR file for ${panel.missingYears.join(', ')}.`);
  const last = panel.years[panel.years.length - 1];
  if (last !== undefined) notes.push(`SFR years end in ${last}; ${last + 1} is not in this set (later years come from the EES files).`);
  if (excess.length > 0) notes.push(`As published, some parts exceed the total (${excess.join('; ')}); read a tidy export with partsTolerance to accept it.`);
  if (area.level !== 'local_authority') notes.push('National and regional figures are rounded to the nearest 10 by DfE, so parts may differ from the total by up to a few tens.');
  return { name: `${area.name}: DfE SFR children looked after at 31 March`, area: { ...area }, series: [...series.values()].filter((s) => s.points.length > 0), notes };
}

/**
 * Every area's dataset from the panel (England, regions and local
 * authorities), as {@link sfrDataset} gives them.
 *
 * @param panel - a panel from {@link readSfrFiles} or {@link loadSfrFolder}
 * @returns one dataset per area, in panel order
 * @example
 * ```ts
 * const all = sfrAllAreas(panel);
 * all.filter((d) => d.area.level === 'local_authority').length; // 152
 * ```
 */
export function sfrAllAreas(panel: SfrPanel): Dataset[] {
  return panel.areas.map((_, i) => buildDataset(panel, i));
}
