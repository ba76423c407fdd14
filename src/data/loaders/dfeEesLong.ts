/**
 * Loader for the long DfE Explore Education Statistics (EES) files, one
 * published number per row, keyed by `cla_group` and `characteristic`:
 *
 * - `la_cla_on_31_march_by_characteristics_*.csv`: children looked after at
 *   31 March by placement, place provider, age group, legal status,
 *   gender (or sex), ethnicity, category of need, UASC, distance and
 *   locality of placement, LA of placement;
 * - `la_children_who_started_to_be_looked_after_during_the_year_*.csv`:
 *   starters by age group, category of need, gender, legal status, taken
 *   into care, UASC;
 * - `la_children_who_ceased_during_the_year_*.csv`: leavers by reason
 *   episode ceased, age on ceasing, gender.
 *
 * ## Labels, matched on meaning
 *
 * DfE words its labels differently between publications and files ("N4.
 * Family acute stress" and "N4. Family in acute stress", "Gender" and
 * "Sex", "UASC" and "Unaccompanied asylum-seeking children", "Voluntary
 * agreements under S20 CA 1989" and "Voluntary agreement under S20"). Each
 * `cla_group` is mapped to a breakdown dimension and each characteristic to
 * a lower_snake_case category by what it means (patterns on the lower-cased
 * label, punctuation ignored), never by the exact string:
 *
 * | `cla_group` | dimension | categories |
 * |---|---|---|
 * | Placement | `dfePlacement` | `fostering`, `secure_childrens_homes`, `independent_supported` (independent and semi-independent living, supported accommodation), `other_residential`, `residential_schools`, `adoption`, `parents`, `other_placements`; older wordings `secure_homes_semi_independent`, `other_community`, `missing` |
 * | Place providers | `dfeProvider` | `own_la`, `other_la`, `other_public`, `private`, `voluntary`, `parents`, `not_reported` |
 * | Age group (31 March, starters) | `age` | `under_1`, `1_4`, `5_9`, `10_15`, `16_plus` |
 * | Age on ceasing | `ceasedAge` | `under_1`, `1_4`, `5_9`, `10_15`, `16`, `17`, `18_plus` |
 * | Unaccompanied asylum-seeking children | `uasc` | `uasc`, `not_uasc` |
 * | Reason episode ceased | `reason` | see {@link DFE_CEASED_REASONS} |
 * | Category of need | `need` | `abuse_or_neglect` (N1), `child_disability`, `parental_illness_or_disability`, `family_in_acute_stress`, `family_dysfunction`, `socially_unacceptable_behaviour`, `low_income`, `absent_parenting` (N8) |
 * | Gender, Sex | `gender` | `male`, `female` (others as written) |
 * | Legal status | `legalStatus` | `interim_care_order`, `full_care_order`, `placement_order`, `section_20`, `youth_justice`, `detained_child_protection`, `emergency_protection_order`, `police_protection`, `child_assessment_order`, `pace`, `remand`, `youth_rehabilitation_order` (others as written) |
 * | Ethnicity | `ethnicity` | `white`, `mixed`, `asian`, `black`, `other`, `not_known` |
 * | Taken into care | `takenIntoCare` | `taken`, `not_taken` |
 * | Distance between home and placement | `distance` | `within_20_miles`, `over_20_miles`, `not_known` |
 * | ... and locality of placement | `distanceLocality` | `inside_boundary_within_20_miles`, ..., `outside_boundary_not_known` |
 * | Locality of placement | `location` | `inside_boundary`, `outside_boundary` |
 * | LA of placement | `laOfPlacement` | `own_la_children`, `other_la_children` (children placed inside the LA's boundary by any LA: a different population, so its total is not the LA's children in care) |
 *
 * Every group's `Total` row has category `total`. For the dimensions the
 * DfE panel is built from (placement, provider, age, ceased age, UASC,
 * reason) an unknown characteristic is an error, so nothing is grouped by
 * guesswork; in the other groups an unknown characteristic keeps its label
 * as a lower_snake_case category, and an unknown `cla_group` becomes a
 * camelCase dimension of its own.
 *
 * Values are read with {@link parseCount}: suppressed cells (`c`, `z`,
 * `x`, `low`, `k` and the bracketed `[c]`, ...) are `null` with their
 * marker, never zero. The `percentage` column is read too (DfE writes `k`
 * for a share below 0.5% that is not zero).
 *
 * This module reads text only (no file access): {@link loadDfeEesLong}
 * reads a file by path.
 *
 * @module
 */
import { CarecastInputError, type InputProblem } from '../errors.js';
import { MEASURES, type AnnualPoint, type AnnualSeries, type Area, type Dataset, type SeriesKind } from '../schemas.js';
import { parseCount, type ParsedCount } from '../suppression.js';
import { readCsvRows } from './csvText.js';
import { describeArea, findArea } from './findArea.js';

/** What a long EES file counts: children at 31 March, starters or leavers. */
export type DfeEesLongMeasure = 'children_in_care' | 'started' | 'ceased';

/** One validated data row of a long EES file. */
export interface DfeEesLongRow {
  /** Line in the file (header = line 1). */
  readonly line: number;
  /** Year of the 31 March (or year to 31 March). */
  readonly year: number;
  /** Index of the row's area in {@link DfeEesLongTable.areas}. */
  readonly areaIndex: number;
  /** The `cla_group` as published, e.g. `Placement`. */
  readonly group: string;
  /** The characteristic as published, e.g. `Foster placements`. */
  readonly characteristic: string;
  /** The breakdown dimension the group means, e.g. `dfePlacement`. */
  readonly dimension: string;
  /** The category the characteristic means, e.g. `fostering`; `total` for the group's Total row. */
  readonly category: string;
  /** The count. */
  readonly number: ParsedCount;
  /** The published percentage of the group's total, when the file has the column. */
  readonly percentage?: ParsedCount;
}

/** One `cla_group` of a long file and what it was read as. */
export interface DfeEesLongGroup {
  /** The group as published. */
  readonly label: string;
  /** The breakdown dimension. */
  readonly dimension: string;
  /** The categories found, in file order (`total` included). */
  readonly categories: readonly string[];
}

/** A parsed, validated long EES file. */
export interface DfeEesLongTable {
  /** The file name the rows came from (used in provenance). */
  readonly source: string;
  /** What the file counts. */
  readonly measure: DfeEesLongMeasure;
  /** Snapshot at 31 March, or flow during the year. */
  readonly kind: SeriesKind;
  /** Every area, in order of first appearance. */
  readonly areas: readonly Area[];
  /** Every data row, in file order. */
  readonly rows: readonly DfeEesLongRow[];
  /** The groups found, in order of first appearance. */
  readonly groups: readonly DfeEesLongGroup[];
  /** The years in the file, ascending. */
  readonly years: readonly number[];
}

/** Options of {@link readDfeEesLong}. */
export interface DfeEesLongOptions {
  /**
   * What the file counts. By default it is told from the groups (Placement
   * or Place providers: at 31 March; Taken into care: starters; Reason
   * episode ceased or Age on ceasing: leavers), else from the file name.
   */
  readonly measure?: DfeEesLongMeasure;
}

/**
 * Reasons an episode of care ceased, as DfE publishes them, with the
 * SSDA903 `REC` codes they stand for and the group the DfE panel reports
 * them in (`reasonGroup`): `adoption`, `special_guardianship`,
 * `returned_home`, `independent_living` (moved into independent living,
 * stayed with carers at 18 "staying put", or transferred to adult social
 * care) and `other`.
 */
export const DFE_CEASED_REASONS: readonly {
  /** The category (lower_snake_case). */
  readonly reason: string;
  /** SSDA903 reason-episode-ceased codes. */
  readonly codes: string;
  /** The group reported by the DfE panel. */
  readonly group: 'adoption' | 'special_guardianship' | 'returned_home' | 'independent_living' | 'other';
  /** Pattern on the normalised label. */
  readonly pattern: RegExp;
}[] = [
  { reason: 'adopted', codes: 'E11, E12', group: 'adoption', pattern: /^adopted/ },
  { reason: 'special_guardianship_order', codes: 'E43-E48', group: 'special_guardianship', pattern: /special guardianship/ },
  { reason: 'child_arrangements_order', codes: 'E41', group: 'other', pattern: /residence order|child arrangements? order/ },
  { reason: 'returned_home_planned', codes: 'E4A', group: 'returned_home', pattern: /^returned home.*\bwhich was part of the care planning/ },
  { reason: 'returned_home_unplanned', codes: 'E4B', group: 'returned_home', pattern: /^returned home.*\bnot part of the care planning/ },
  { reason: 'left_to_live_with_relatives', codes: 'E13', group: 'returned_home', pattern: /^left care to live with/ },
  { reason: 'independent_living_supported', codes: 'E5', group: 'independent_living', pattern: /independent living.*\bwith supportive accommodation/ },
  { reason: 'independent_living_unsupported', codes: 'E6', group: 'independent_living', pattern: /independent living.*\bno formalised support/ },
  { reason: 'aged_18_remained_with_carers', codes: 'E17', group: 'independent_living', pattern: /remained with current carers/ },
  { reason: 'transferred_to_adult_social_care', codes: 'E7', group: 'independent_living', pattern: /adult social services|adult social care/ },
  { reason: 'age_assessed_18_or_over', codes: 'E15', group: 'other', pattern: /age assessment/ },
  { reason: 'care_taken_over_by_another_la', codes: 'E3', group: 'other', pattern: /another local authority/ },
  { reason: 'sentenced_to_custody', codes: 'E9', group: 'other', pattern: /sentenced to custody/ },
  { reason: 'remand_ended', codes: 'E14', group: 'other', pattern: /remand ended/ },
  { reason: 'moved_abroad', codes: 'E16', group: 'other', pattern: /moved abroad/ },
  { reason: 'died', codes: 'E2', group: 'other', pattern: /^died/ },
  { reason: 'other_reason', codes: 'E8', group: 'other', pattern: /any other reason/ },
];

type Categories = readonly (readonly [RegExp, string])[];

interface GroupRule {
  readonly test: RegExp;
  readonly dimension: string;
  readonly categories: Categories;
  /** Unknown characteristics are an error (dimensions the panel groups). */
  readonly strict: boolean;
  /** Which files the group belongs to (undefined: any). */
  readonly measures?: readonly DfeEesLongMeasure[];
}

const AGE: Categories = [
  [/^under 1\b/, 'under_1'],
  [/^1 to 4\b/, '1_4'],
  [/^5 to 9\b/, '5_9'],
  [/^10 to 15\b/, '10_15'],
  [/^16 (years )?(and|or) (over|older)$|^16 plus$|^16 years plus$/, '16_plus'],
];

const GROUP_RULES: readonly GroupRule[] = [
  {
    test: /^placements?( type)?$/,
    dimension: 'dfePlacement',
    strict: true,
    categories: [
      [/^foster/, 'fostering'],
      [/(secure|children s homes).*semi independent/, 'secure_homes_semi_independent'],
      [/secure|children s homes/, 'secure_childrens_homes'],
      [/in the community/, 'other_community'],
      [/independent|supported accommodation/, 'independent_supported'],
      [/^other residential/, 'other_residential'],
      [/^residential (care )?schools?/, 'residential_schools'],
      [/adoption/, 'adoption'],
      [/parent/, 'parents'],
      [/^missing|^absent/, 'missing'],
      [/^other placements?\b|^other$/, 'other_placements'],
    ],
  },
  {
    test: /^place(ment)? providers?$/,
    dimension: 'dfeProvider',
    strict: true,
    categories: [
      [/^own provision|\bby the la\b|^own la\b/, 'own_la'],
      [/^other la\b|other local authority/, 'other_la'],
      [/other public/, 'other_public'],
      [/^private/, 'private'],
      [/voluntary|third sector/, 'voluntary'],
      [/parent/, 'parents'],
      [/not (reported|recorded)/, 'not_reported'],
    ],
  },
  {
    test: /^age on ceasing$/,
    dimension: 'ceasedAge',
    strict: true,
    categories: [...AGE.slice(0, 4), [/^16( years?)?$/, '16'], [/^17( years?)?$/, '17'], [/^18( years?)?( (and|or) (over|older)| plus)?$/, '18_plus']],
  },
  { test: /^age( group| at 31 march| on starting)?$/, dimension: 'age', strict: true, categories: AGE },
  {
    test: /unaccompanied asylum|^uasc$/,
    dimension: 'uasc',
    strict: true,
    categories: [
      [/^(non|not)\b/, 'not_uasc'],
      [/^uasc$|^unaccompanied/, 'uasc'],
    ],
  },
  { test: /^reason (episode |for )?ceased$|^reason episode of care ceased$/, dimension: 'reason', strict: true, categories: DFE_CEASED_REASONS.map((r) => [r.pattern, r.reason] as const) },
  {
    test: /^category of need$/,
    dimension: 'need',
    strict: true,
    categories: [
      [/^n1\b/, 'abuse_or_neglect'],
      [/^n2\b/, 'child_disability'],
      [/^n3\b/, 'parental_illness_or_disability'],
      [/^n4\b/, 'family_in_acute_stress'],
      [/^n5\b/, 'family_dysfunction'],
      [/^n6\b/, 'socially_unacceptable_behaviour'],
      [/^n7\b/, 'low_income'],
      [/^n8\b/, 'absent_parenting'],
    ],
  },
  {
    test: /^(gender|sex)$/,
    dimension: 'gender',
    strict: false,
    categories: [
      [/^(male|boys?)$/, 'male'],
      [/^(female|girls?)$/, 'female'],
    ],
  },
  {
    test: /^legal status$/,
    dimension: 'legalStatus',
    strict: false,
    categories: [
      [/^interim care order/, 'interim_care_order'],
      [/^full care order/, 'full_care_order'],
      [/^placement order/, 'placement_order'],
      [/\bs ?20\b|section 20|voluntary agreement/, 'section_20'],
      [/^youth justice/, 'youth_justice'],
      [/^detained for child protection/, 'detained_child_protection'],
      [/^emergency protection order/, 'emergency_protection_order'],
      [/^police protection/, 'police_protection'],
      [/^child assessment order/, 'child_assessment_order'],
      [/\bpace\b/, 'pace'],
      [/^remand/, 'remand'],
      [/youth rehabilitation order/, 'youth_rehabilitation_order'],
    ],
  },
  {
    test: /^ethnicity|ethnic (group|origin)/,
    dimension: 'ethnicity',
    strict: false,
    categories: [
      [/^white/, 'white'],
      [/^mixed/, 'mixed'],
      [/^asian/, 'asian'],
      [/^black/, 'black'],
      [/^other ethnic|^any other/, 'other'],
      [/refused|not yet available|not known|not obtained/, 'not_known'],
    ],
  },
  {
    test: /^taken into care$/,
    dimension: 'takenIntoCare',
    strict: false,
    categories: [
      [/^not taken/, 'not_taken'],
      [/taken into care$/, 'taken'],
    ],
  },
  { test: /^distance between home and placement and locality/, dimension: 'distanceLocality', strict: false, categories: [] },
  {
    test: /^distance between home and placement$/,
    dimension: 'distance',
    strict: false,
    categories: [
      [/not known|not recorded/, 'not_known'],
      [/20 miles or less|within 20 miles/, 'within_20_miles'],
      [/more than 20 miles|over 20 miles/, 'over_20_miles'],
    ],
  },
  {
    test: /^locality of placement$/,
    dimension: 'location',
    strict: false,
    categories: [
      [/inside/, 'inside_boundary'],
      [/outside/, 'outside_boundary'],
    ],
  },
  {
    test: /^la of placement$/,
    dimension: 'laOfPlacement',
    strict: false,
    categories: [
      [/own la children/, 'own_la_children'],
      [/other la children/, 'other_la_children'],
    ],
  },
];

/**
 * A label in one canonical form for matching: lower case, apostrophes
 * dropped, other punctuation as spaces, runs of spaces collapsed.
 *
 * @param label - the label as published
 * @returns the canonical form, e.g. `children s homes` for "children's homes"
 */
function canon(label: string): string {
  return label
    .toLowerCase()
    .replace(/['\u2018\u2019]/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function snake(label: string): string {
  const s = canon(label).replace(/ /g, '_');
  return s === '' ? 'unknown' : s;
}

function camel(label: string): string {
  const words = canon(label).split(' ').filter((w) => w !== '');
  const s = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
  return /^[a-z]/.test(s) ? s : `group${s}`;
}

function distanceLocality(c: string): string | undefined {
  const loc = /inside/.test(c) ? 'inside_boundary' : /outside/.test(c) ? 'outside_boundary' : undefined;
  const dist = /not known|not recorded/.test(c) ? 'not_known' : /20 miles or less/.test(c) ? 'within_20_miles' : /more than 20 miles/.test(c) ? 'over_20_miles' : undefined;
  return loc && dist ? `${loc}_${dist}` : undefined;
}

/** The dimension and category a (group, characteristic) pair means, or why it could not be read. */
function classify(groupLabel: string, characteristic: string): { dimension: string; category?: string; strict: boolean; rule?: GroupRule } {
  const g = canon(groupLabel);
  const c = canon(characteristic);
  const rule = GROUP_RULES.find((r) => r.test.test(g));
  const dimension = rule?.dimension ?? camel(groupLabel);
  if (c === 'total' || c === 'all children' || c === 'all') return { dimension, category: 'total', strict: rule?.strict ?? false, rule };
  if (!rule) return { dimension, category: snake(characteristic), strict: false };
  const hit = rule.categories.find(([re]) => re.test(c));
  if (hit) return { dimension, category: hit[1], strict: rule.strict, rule };
  if (rule.dimension === 'distanceLocality') {
    const dl = distanceLocality(c);
    if (dl) return { dimension, category: dl, strict: false, rule };
  }
  return rule.strict ? { dimension, strict: true, rule } : { dimension, category: snake(characteristic), strict: false, rule };
}

const NUMBER_COLUMNS = ['number', 'children_count'] as const;
const GROUP_COLUMNS = ['cla_group', 'characteristic_type', 'breakdown_topic'] as const;
const CHARACTERISTIC_COLUMNS = ['characteristic', 'breakdown'] as const;

function measureFromGroups(groups: readonly string[], source: string): DfeEesLongMeasure | undefined {
  const dims = new Set(groups.map((g) => classify(g, 'Total').dimension));
  if (dims.has('reason') || dims.has('ceasedAge')) return 'ceased';
  if (dims.has('dfePlacement') || dims.has('dfeProvider')) return 'children_in_care';
  if (dims.has('takenIntoCare')) return 'started';
  const name = source.toLowerCase();
  if (/ceased|ceasing/.test(name)) return 'ceased';
  if (/start/.test(name)) return 'started';
  if (/31_?march|on_31|at_31/.test(name)) return 'children_in_care';
  return undefined;
}

/**
 * Parse and validate a long EES file (one number per row, keyed by
 * `cla_group` and `characteristic`), once, for every area; see the module
 * notes for how labels are read. Use {@link dfeEesLongDataset} to take one
 * area's series from it.
 *
 * Checks: the columns `time_period`, `geographic_level`, `cla_group`,
 * `characteristic` and `number` (or `children_count`) are present; every
 * row has as many fields as the header; years and levels are known;
 * counts are whole numbers of zero or more or markers; in the groups the
 * DfE panel is built from every characteristic is recognised; and each
 * (area, year, group, category) appears once. Every problem is collected
 * and reported together.
 *
 * @param text - the file's text (a leading byte-order mark is fine)
 * @param source - the file name, used in messages and provenance
 * @param options - what the file counts, when it cannot be told from its groups or name
 * @returns the validated table
 * @throws `CarecastInputError` listing every problem, each with line, column, value found and fix
 * @example
 * ```ts
 * const t = readDfeEesLong(text, 'la_cla_on_31_march_by_characteristics_2020_2024.csv');
 * t.measure; // 'children_in_care'
 * dfeEesLongDataset(t, 'Derby').series.find((s) => s.breakdown.dfePlacement === 'fostering')?.points.at(-1)?.value; // 426 (2024)
 * ```
 */
export function readDfeEesLong(text: string, source: string, options: DfeEesLongOptions = {}): DfeEesLongTable {
  const rows = readCsvRows(text, source);
  if (rows.length === 0) throw new CarecastInputError([{ source, row: 1, message: 'the file is empty', fix: 'give the EES CSV file with its header row' }]);
  const header = rows[0].cells.map((h) => h.trim().toLowerCase());
  const col = new Map<string, number>();
  header.forEach((h, i) => {
    if (!col.has(h)) col.set(h, i);
  });
  const problems: InputProblem[] = [];
  const need = (names: readonly string[], what: string): string | undefined => {
    const found = names.find((n) => col.has(n));
    if (!found) problems.push({ source, row: 1, field: names[0], message: `missing column ${names[0]}${names.length > 1 ? ` (or ${names.slice(1).join(', ')})` : ''}`, fix: `use the EES file as published: ${what}` });
    return found;
  };
  need(['time_period'], 'the year is in time_period');
  need(['geographic_level'], 'the level (National, Regional, Local authority) is in geographic_level');
  const groupCol = need(GROUP_COLUMNS, 'the group (Placement, Age group, ...) is in cla_group');
  const charCol = need(CHARACTERISTIC_COLUMNS, 'the category (Foster placements, ...) is in characteristic');
  const numberCol = need(NUMBER_COLUMNS, 'the count is in number (children_count in some publications)');
  if (problems.length > 0) throw new CarecastInputError(problems);
  const get = (cells: readonly string[], name: string): string => {
    const i = col.get(name);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  const groupLabels = [...new Set(rows.slice(1).filter((r) => r.cells.length === header.length).map((r) => get(r.cells, groupCol!)))];
  const measure = options.measure ?? measureFromGroups(groupLabels, source);
  if (!measure) {
    throw new CarecastInputError([
      { source, field: groupCol, message: `cannot tell whether the file counts children at 31 March, starters or leavers (groups: ${groupLabels.slice(0, 8).join(', ')})`, fix: "pass options.measure: 'children_in_care', 'started' or 'ceased'" },
    ]);
  }

  const areas: Area[] = [];
  const areaIndex = new Map<string, number>();
  const out: DfeEesLongRow[] = [];
  const seen = new Map<string, number>();
  const years = new Set<number>();
  const groups = new Map<string, { label: string; dimension: string; categories: string[] }>();
  const classified = new Map<string, ReturnType<typeof classify>>();
  for (const r of rows.slice(1)) {
    const cells = r.cells;
    const at = (field: string | undefined, message: string, fix: string) => problems.push({ source, row: r.line, field, message, fix });
    if (cells.length !== header.length) {
      at(undefined, `${cells.length} fields, the header has ${header.length}`, 'fields containing commas must be quoted; check that the row was not cut or joined');
      continue;
    }
    const tp = get(cells, 'time_period');
    let year: number | undefined;
    const four = /^(\d{4})$/.exec(tp);
    const six = /^(\d{4})(\d{2})$/.exec(tp);
    if (four) year = Number(four[1]);
    else if (six && (Number(six[1]) + 1) % 100 === Number(six[2])) year = Number(six[1]) + 1;
    else at('time_period', `bad time_period ${JSON.stringify(tp)}`, 'write the year of the 31 March, e.g. 2024 (or the EES form 202324)');
    const level = get(cells, 'geographic_level').toLowerCase();
    let area: Area | undefined;
    if (level === 'national') area = { name: get(cells, 'country_name') || 'England', level: 'national', ...(get(cells, 'country_code') ? { code: get(cells, 'country_code') } : {}) };
    else if (level === 'regional') {
      const name = get(cells, 'region_name');
      if (name === '') at('region_name', 'regional row without a region_name', 'give the region name');
      else area = { name, level: 'region', ...(get(cells, 'region_code') ? { code: get(cells, 'region_code') } : {}) };
    } else if (level === 'local authority') {
      const name = get(cells, 'la_name');
      if (name === '') at('la_name', 'local authority row without an la_name', 'give the local authority name');
      else area = { name, level: 'local_authority', ...(get(cells, 'new_la_code') ? { code: get(cells, 'new_la_code') } : {}), ...(get(cells, 'old_la_code') ? { oldCode: get(cells, 'old_la_code') } : {}) };
    } else at('geographic_level', `unknown geographic_level ${JSON.stringify(get(cells, 'geographic_level'))}`, 'use National, Regional or Local authority');
    const groupLabel = get(cells, groupCol!);
    const characteristic = get(cells, charCol!);
    const clsKey = `${groupLabel}\u0000${characteristic}`;
    let cls = classified.get(clsKey);
    if (!cls) {
      cls = classify(groupLabel, characteristic);
      classified.set(clsKey, cls);
    }
    if (cls.category === undefined) {
      at(
        charCol,
        `unknown ${JSON.stringify(groupLabel)} characteristic ${JSON.stringify(characteristic)}`,
        `carecast reads this group by meaning and does not recognise this label; the known categories are ${cls.rule!.categories.map(([, c]) => c).join(', ')}, total`,
      );
    }
    let number: ParsedCount | undefined;
    let percentage: ParsedCount | undefined;
    try {
      number = parseCount(get(cells, numberCol!), { source, row: r.line, field: numberCol });
    } catch (e) {
      if (!(e instanceof CarecastInputError)) throw e;
      problems.push(...e.problems);
    }
    if (col.has('percentage')) {
      try {
        percentage = parseCount(get(cells, 'percentage'), { source, row: r.line, field: 'percentage' }, { integer: false });
      } catch (e) {
        if (!(e instanceof CarecastInputError)) throw e;
        problems.push(...e.problems);
      }
    }
    if (year === undefined || !area || cls.category === undefined || !number || (col.has('percentage') && !percentage)) continue;
    const key = `${area.level}|${area.name}|${area.code ?? ''}|${area.oldCode ?? ''}`;
    let ai = areaIndex.get(key);
    if (ai === undefined) {
      ai = areas.length;
      areas.push(area);
      areaIndex.set(key, ai);
    }
    const dupKey = `${key}|${year}|${cls.dimension}|${cls.category}`;
    const dup = seen.get(dupKey);
    if (dup !== undefined) {
      at(charCol, `duplicate row: ${describeArea(area)} ${year} ${JSON.stringify(groupLabel)} ${JSON.stringify(characteristic)} is on lines ${dup} and ${r.line} (both read as ${cls.dimension}=${cls.category})`, 'keep one row per area, year, group and characteristic');
      continue;
    }
    seen.set(dupKey, r.line);
    let g = groups.get(groupLabel);
    if (!g) {
      g = { label: groupLabel, dimension: cls.dimension, categories: [] };
      groups.set(groupLabel, g);
    }
    if (!g.categories.includes(cls.category)) g.categories.push(cls.category);
    years.add(year);
    out.push({ line: r.line, year, areaIndex: ai, group: groupLabel, characteristic, dimension: cls.dimension, category: cls.category, number, ...(percentage ? { percentage } : {}) });
  }
  // Two published groups read as one dimension would mix populations.
  const dims = new Map<string, string>();
  for (const g of groups.values()) {
    const other = dims.get(g.dimension);
    if (other !== undefined) problems.push({ source, field: groupCol, message: `the groups ${JSON.stringify(other)} and ${JSON.stringify(g.label)} both read as ${g.dimension}`, fix: 'keep one group per breakdown in the file' });
    else dims.set(g.dimension, g.label);
  }
  if (problems.length > 0) throw new CarecastInputError(problems);
  return {
    source,
    measure,
    kind: measure === 'children_in_care' ? 'snapshot' : 'flow',
    areas,
    rows: out,
    groups: [...groups.values()],
    years: [...years].sort((a, b) => a - b),
  };
}

/**
 * One area's series from a long EES table: the total (from the first group
 * whose Total counts the area's own children; LA of placement counts
 * another population and is never used for it) and one series per
 * published category, breakdown `{ [dimension]: category }` (for example
 * `{ dfePlacement: 'fostering' }`, `{ age: '10_15' }`,
 * `{ reason: 'adopted' }`). Every point carries its file and line;
 * suppressed cells are `null` with their marker, never zero.
 *
 * @param table - a table from {@link readDfeEesLong}
 * @param la - a name (case and punctuation ignored), ONS code, DfE code, `England` or a region name
 * @returns the area's dataset
 * @throws `CarecastInputError` for an unknown area (suggesting close names) or an ambiguous one
 * @example
 * ```ts
 * const ds = dfeEesLongDataset(table, 'Derby');
 * ds.series.find((s) => s.breakdown.dfeProvider === 'private')?.points.map((p) => p.value);
 * ```
 */
export function dfeEesLongDataset(table: DfeEesLongTable, la: string): Dataset {
  const ai = findArea(table.areas, la, table.source);
  const area = table.areas[ai];
  const rows = table.rows.filter((r) => r.areaIndex === ai);
  const measure = table.measure === 'children_in_care' ? MEASURES.childrenInCare : table.measure === 'started' ? MEASURES.started : MEASURES.ceased;
  const series = new Map<string, AnnualSeries>();
  const add = (breakdown: Record<string, string>, p: AnnualPoint) => {
    const key = JSON.stringify(breakdown);
    let s = series.get(key);
    if (!s) {
      s = { frequency: 'annual', measure, kind: table.kind, unit: 'children', breakdown, area: area.name, points: [] };
      series.set(key, s);
    }
    s.points.push(p);
  };
  const point = (r: DfeEesLongRow): AnnualPoint => {
    const p: AnnualPoint = { year: r.year, value: r.number.value, provenance: { source: table.source, line: r.line, cell: 'number' } };
    if (r.number.suppressed) p.suppressed = { ...r.number.suppressed };
    return p;
  };
  const totalGroup = table.groups.find((g) => g.dimension !== 'laOfPlacement' && g.categories.includes('total'));
  const sorted = [...rows].sort((a, b) => a.year - b.year || a.line - b.line);
  const disagree: string[] = [];
  for (const r of sorted) {
    if (r.category !== 'total') continue;
    if (r.group === totalGroup?.label) add({}, point(r));
    else if (r.dimension !== 'laOfPlacement') {
      const t = sorted.find((x) => x.year === r.year && x.group === totalGroup?.label && x.category === 'total');
      if (t && (t.number.value !== r.number.value || t.number.suppressed?.marker !== r.number.suppressed?.marker)) {
        disagree.push(`${r.year} ${r.group} Total ${r.number.value ?? r.number.suppressed?.marker} (line ${r.line}) against ${t.number.value ?? t.number.suppressed?.marker}`);
      }
    }
  }
  for (const g of table.groups) for (const r of sorted) if (r.group === g.label && r.category !== 'total') add({ [r.dimension]: r.category }, point(r));
  const notes = [
    `DfE Explore Education Statistics (${table.source}), ${table.measure === 'children_in_care' ? 'children looked after at 31 March' : table.measure === 'started' ? 'children who started to be looked after during the year' : 'children who ceased to be looked after during the year'}, ${describeArea(area)}.`,
    `Groups: ${table.groups.map((g) => `${g.label} as ${g.dimension}`).join('; ')}. The total is the ${totalGroup?.label ?? 'first'} group's Total.`,
    'Suppressed cells are null with their marker (c confidential, z not applicable, x not available), never zero.',
  ];
  if (table.groups.some((g) => g.dimension === 'laOfPlacement')) notes.push('LA of placement counts children placed inside the LA boundary by any LA: another population than the LA\u2019s own children, so its total is not used.');
  if (disagree.length > 0) notes.push(`Group totals that differ from the total: ${disagree.join('; ')}.`);
  if (area.level !== 'local_authority') notes.push('National and regional figures are rounded to the nearest 10 by DfE.');
  return { name: `${area.name}: DfE ${table.source}`, area: { ...area }, series: [...series.values()], notes };
}
