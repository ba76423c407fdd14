/**
 * The breakdowns of the DfE panel: which published categories each group
 * is made of, and how suppressed cells are handled.
 *
 * ## Dimensions
 *
 * Children looked after at 31 March:
 *
 * | dimension | categories | years | made of |
 * |---|---|---|---|
 * | `placement` | `fostering`, `residential`, `adoption`, `parents`, `other` (carecast's {@link PlacementGroup}) | SFR 2011-2017, EES 2020-2024 | SFR: residential = `CLA_Secure` (secure units, children's homes and semi-independent living, K1 K2 H5) + `CLA_Ocom` (independent living P2, residential employment P3); other = other residential settings + residential schools + missing + other placements. EES: residential = secure homes and children's homes + independent and semi-independent living/supported accommodation; other = other residential settings + residential schools + other placements |
 * | `dfePlacementGroup` | `fostering`, `homes_secure` (secure homes and children's homes), `independent_supported` (independent and semi-independent living, supported accommodation), `other` (everything else: adoption, parents, other residential settings, residential schools, other placements) | EES 2020-2024 only: the SFR tables publish homes, secure units and semi-independent living as one block | EES placement categories |
 * | `dfePlacement` | the EES placement categories as published (see `readDfeEesLong`) | EES 2020-2024 | published |
 * | `sfrPlacement` | the SFR placement columns as published (see `sfrDataset`) | SFR 2011-2017 | published |
 * | `provider` | `internal` (own LA + other LA), `private`, `voluntary`, `other` (carecast's {@link ProviderGroup}) | SFR and EES | provider categories |
 * | `dfeProviderGroup` | `own_la`, `other_la`, `private`, `voluntary`, `other` (other public provision + parents or other person with parental responsibility + provider not reported) | SFR and EES | provider categories |
 * | `dfeProvider` | `own_la`, `other_la`, `other_public`, `private`, `voluntary`, `parents`, `not_reported`, as published (the SFR columns and the EES categories mean the same) | SFR and EES | published |
 * | `age` | `under_1`, `1_4`, `5_9`, `10_15`, `16_plus` | SFR and EES | published |
 * | `uasc` | `uasc`, `not_uasc` (`uasc` only in the SFR tables and the England time series) | SFR, EES; England 2004-2024 | published |
 *
 * Starters: `age` and `uasc` (EES 2020-2024), as published. Leavers:
 * `reason` (the 17 reasons as published, see {@link DFE_CEASED_REASONS}),
 * `reasonGroup` (`adoption`, `special_guardianship`, `returned_home`,
 * `independent_living`, `other`), `age` (age on ceasing: `under_1` to
 * `10_15`, and `16_plus` = 16 + 17 + 18 and over) and `ageGroup`
 * (`16_17` and `aged_18` = 18 and over).
 *
 * ## Suppressed cells
 *
 * Suppressed cells are never read as zero. For a local authority (whose
 * figures are not rounded), within one complete breakdown of one file and
 * year:
 *
 * - when exactly one category is suppressed and the total and every other
 *   category are published, the category is the total minus the others
 *   (its provenance note says so: "derived: ...");
 * - otherwise each suppressed category has the upper bound `total minus the
 *   published categories`;
 * - a group is the sum of its categories; a group with a suppressed
 *   category is `null` with marker `partly_suppressed` and an upper bound
 *   (its published categories plus the smaller of its suppressed
 *   categories' bounds and the breakdown's residual); a group of one
 *   category keeps that category's marker;
 * - when exactly one group is then still unknown and the total and every
 *   other group are known, the group is the total minus the others (noted).
 *
 * England and regional figures are rounded to the nearest 10, so none of
 * this is done for them: their suppressed cells keep their marker and no
 * bound. `z` (not applicable) cells are neither hidden counts nor zeros:
 * a group whose categories are all `z` is `z`.
 *
 * @module
 */
import { AGE_BANDS, type PlacementGroup, type ProviderGroup } from '../codes.js';
import { DFE_CEASED_REASONS } from '../loaders/dfeEesLong.js';
import type { AnnualPoint, Area, Provenance, Suppression } from '../schemas.js';
import type { DfeCell } from './cells.js';

/** A derived breakdown: the groups and the published categories each is made of. */
interface Derived {
  readonly measure: string;
  readonly dimension: string;
  readonly from: string;
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /** The groups cover every category (so a single unknown group is the total minus the others). */
  readonly complete: boolean;
  /** Categories whose presence means this grouping cannot be made that year. */
  readonly unless?: readonly string[];
}

const reasonGroups: Record<string, string[]> = {};
for (const r of DFE_CEASED_REASONS) (reasonGroups[r.group] ??= []).push(r.reason);

/** The derived breakdowns, in the order the panel lists them. */
export const DERIVED_BREAKDOWNS: readonly Derived[] = [
  {
    measure: 'children_in_care',
    dimension: 'placement',
    from: 'sfrPlacement',
    complete: true,
    groups: {
      fostering: ['fostering'],
      residential: ['secure_homes_semi_independent', 'other_community'],
      adoption: ['adoption'],
      parents: ['parents'],
      other: ['other_residential', 'residential_school', 'missing', 'other_placement'],
    } satisfies Record<PlacementGroup, string[]>,
  },
  {
    measure: 'children_in_care',
    dimension: 'placement',
    from: 'dfePlacement',
    complete: true,
    groups: {
      fostering: ['fostering'],
      residential: ['secure_childrens_homes', 'independent_supported', 'secure_homes_semi_independent', 'other_community'],
      adoption: ['adoption'],
      parents: ['parents'],
      other: ['other_residential', 'residential_schools', 'missing', 'other_placements'],
    } satisfies Record<PlacementGroup, string[]>,
  },
  {
    measure: 'children_in_care',
    dimension: 'dfePlacementGroup',
    from: 'dfePlacement',
    complete: true,
    unless: ['secure_homes_semi_independent', 'other_community'],
    groups: {
      fostering: ['fostering'],
      homes_secure: ['secure_childrens_homes'],
      independent_supported: ['independent_supported'],
      other: ['other_residential', 'residential_schools', 'adoption', 'parents', 'other_placements', 'missing'],
    },
  },
  {
    measure: 'children_in_care',
    dimension: 'provider',
    from: 'dfeProvider',
    complete: true,
    groups: { internal: ['own_la', 'other_la'], private: ['private'], voluntary: ['voluntary'], other: ['other_public', 'parents', 'not_reported'] } satisfies Record<ProviderGroup, string[]>,
  },
  {
    measure: 'children_in_care',
    dimension: 'dfeProviderGroup',
    from: 'dfeProvider',
    complete: true,
    groups: { own_la: ['own_la'], other_la: ['other_la'], private: ['private'], voluntary: ['voluntary'], other: ['other_public', 'parents', 'not_reported'] },
  },
  { measure: 'ceased', dimension: 'reasonGroup', from: 'reason', complete: true, groups: reasonGroups },
  {
    measure: 'ceased',
    dimension: 'age',
    from: 'ceasedAge',
    complete: true,
    groups: { ...Object.fromEntries(AGE_BANDS.slice(0, 4).map((b) => [b, [b]])), '16_plus': ['16', '17', '18_plus'] },
  },
  { measure: 'ceased', dimension: 'ageGroup', from: 'ceasedAge', complete: false, groups: { '16_17': ['16', '17'], aged_18: ['18_plus'] } },
];

/** Published dimensions the panel also gives as they are, per measure. */
export const PUBLISHED_BREAKDOWNS: Readonly<Record<string, readonly string[]>> = {
  children_in_care: ['sfrPlacement', 'dfePlacement', 'dfeProvider', 'age', 'uasc'],
  started: ['age', 'uasc'],
  ceased: ['reason'],
};

const PUBLISHED_ORDER: Readonly<Record<string, readonly string[]>> = {
  sfrPlacement: ['fostering', 'adoption', 'parents', 'other_community', 'secure_homes_semi_independent', 'other_residential', 'residential_school', 'missing', 'other_placement'],
  dfePlacement: ['fostering', 'secure_childrens_homes', 'independent_supported', 'other_residential', 'residential_schools', 'adoption', 'parents', 'other_placements', 'secure_homes_semi_independent', 'other_community', 'missing'],
  dfeProvider: ['own_la', 'other_la', 'other_public', 'private', 'voluntary', 'parents', 'not_reported'],
  age: [...AGE_BANDS],
  uasc: ['uasc', 'not_uasc'],
  reason: DFE_CEASED_REASONS.map((r) => r.reason),
};

/**
 * The order a dimension's groups are listed in: the definition order of a
 * derived breakdown, the publication's order for a published one; others
 * after them, alphabetically.
 *
 * @param measure - the measure
 * @param dimension - the dimension
 * @returns a comparator of category names
 * @example
 * ```ts
 * ['other', 'fostering', 'residential'].sort(categoryComparator('children_in_care', 'placement')); // ['fostering', 'residential', 'other']
 * ```
 */
export function categoryComparator(measure: string, dimension: string): (a: string, b: string) => number {
  const derived = DERIVED_BREAKDOWNS.find((d) => d.measure === measure && d.dimension === dimension);
  const order = derived ? Object.keys(derived.groups) : (PUBLISHED_ORDER[dimension] ?? []);
  const at = (c: string) => {
    const i = order.indexOf(c);
    return i < 0 ? order.length : i;
  };
  return (a, b) => at(a) - at(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Published dimensions whose categories cover the total (so suppressed cells can be bounded). */
const COMPLETE = new Set(['sfrPlacement', 'dfePlacement', 'dfeProvider', 'age', 'reason', 'ceasedAge']);

/** A breakdown point, keyed `dimension=category`. */
export type BlockPoints = Map<string, AnnualPoint>;

function isHidden(p: AnnualPoint): boolean {
  return p.value === null && p.suppressed !== undefined && p.suppressed.marker !== 'z';
}

function isNotApplicable(p: AnnualPoint): boolean {
  return p.value === null && p.suppressed?.marker === 'z';
}

function cellPoint(c: DfeCell): AnnualPoint {
  const p: AnnualPoint = { year: c.year, value: c.value.value, provenance: { source: c.source, line: c.line, cell: c.column } };
  if (c.value.suppressed) p.suppressed = { ...c.value.suppressed };
  return p;
}

function where(c: { readonly line?: number; readonly cell?: string }): string {
  return c.cell && c.cell !== 'number' ? c.cell : `line ${c.line}`;
}

function withNote(prov: Provenance | undefined, note: string): Provenance {
  const p: Provenance = prov ? { ...prov } : { source: 'derived' };
  p.note = p.note ? `${p.note}; ${note}` : note;
  return p;
}

/**
 * Derive one block: one area, one source file, one year, one published
 * dimension. Returns the points of the published categories given as they
 * are (after filling and bounding) and of the groups derived from them,
 * keyed `dimension=category`.
 *
 * @param level - the area's level (filling and bounds only for local authorities)
 * @param measure - `children_in_care`, `started` or `ceased`
 * @param dimension - the published dimension, e.g. `dfePlacement`
 * @param cells - the published categories (their Total row as category `total`, which is not used here)
 * @param total - the breakdown's total: its own Total row, or the measure's total from the same file (the SFR tables have no Total rows), or, when that is suppressed, the same total from the number-and-rate file
 * @param counter - counts the values derived as a total minus the rest
 * @returns the points, keyed `dimension=category`
 * @example
 * ```ts
 * const points = deriveBlock('local_authority', 'children_in_care', 'dfePlacement', cellsByCategory, totalCell);
 * points.get('placement=residential')?.value; // homes and secure + independent and supported
 * ```
 */
export function deriveBlock(level: Area['level'], measure: string, dimension: string, cells: ReadonlyMap<string, DfeCell>, total: DfeCell | undefined, counter: { derived: number } = { derived: 0 }): BlockPoints {
  const out: BlockPoints = new Map();
  const totalCell = total;
  const T = totalCell?.value.value ?? null;
  const totalWhere = totalCell ? `the total ${T} (${totalCell.source} ${where({ line: totalCell.line, cell: totalCell.column })})` : '';
  const la = level === 'local_authority';
  const cats = [...cells.keys()].filter((k) => k !== 'total');
  const complete = COMPLETE.has(dimension) || (dimension === 'uasc' && cells.has('uasc') && cells.has('not_uasc'));
  const raw = new Map<string, AnnualPoint>(cats.map((k) => [k, cellPoint(cells.get(k)!)]));

  // 1. Published categories: fill a lone suppressed one, bound the others.
  let residual: number | undefined;
  if (la && complete && T !== null) {
    const hidden = cats.filter((k) => isHidden(raw.get(k)!));
    const known = cats.reduce((s, k) => s + (raw.get(k)!.value ?? 0), 0);
    if (hidden.length === 1 && T - known >= 0) {
      const k = hidden[0];
      const p = raw.get(k)!;
      counter.derived++;
      raw.set(k, {
        year: p.year,
        value: T - known,
        provenance: withNote(p.provenance, `derived: published as "${p.suppressed!.marker}"; ${totalWhere} minus the other ${dimension} categories (${known})`),
      });
      residual = 0;
    } else {
      residual = Math.max(0, T - known);
      for (const k of hidden) {
        const p = raw.get(k)!;
        if (p.suppressed!.upper === undefined || p.suppressed!.upper > residual) raw.set(k, { ...p, suppressed: { ...p.suppressed!, upper: residual } });
      }
    }
  }
  if ((PUBLISHED_BREAKDOWNS[measure] ?? []).includes(dimension)) for (const k of cats) out.set(`${dimension}=${k}`, raw.get(k)!);

  // 2. Groups made of the published categories.
  for (const d of DERIVED_BREAKDOWNS) {
    if (d.measure !== measure || d.from !== dimension) continue;
    if (d.unless?.some((k) => raw.has(k))) continue;
    const groupPoints = new Map<string, AnnualPoint>();
    for (const [g, members] of Object.entries(d.groups)) {
      const present = members.filter((m) => raw.has(m));
      if (present.length === 0) continue;
      const parts = present.map((m) => [m, raw.get(m)!] as const);
      const applicable = parts.filter(([, p]) => !isNotApplicable(p));
      const year = parts[0][1].year;
      const first = parts[0][1].provenance!;
      if (applicable.length === 0) {
        groupPoints.set(g, { year, value: null, suppressed: { marker: 'z' }, provenance: { ...first, ...(parts.length > 1 ? { note: `${present.join(' + ')}: all "z"` } : {}) } });
        continue;
      }
      if (applicable.length === 1) {
        const [m, p] = applicable[0];
        const prov = parts.length > 1 || d.dimension !== dimension || m !== g ? withNote(p.provenance, `${d.dimension} ${g} = ${dimension} ${m}`) : p.provenance;
        groupPoints.set(g, { ...p, ...(prov ? { provenance: prov } : {}) });
        continue;
      }
      const cellsOf = applicable.map(([m, p]) => `${m} (${where(p.provenance ?? {})})`).join(' + ');
      const cellCols = [...new Set(applicable.map(([, p]) => p.provenance?.cell ?? ''))].join(' + ');
      const prov: Provenance = { source: first.source, ...(first.line !== undefined ? { line: first.line } : {}), cell: cellCols, note: `sum of ${cellsOf}` };
      const derivedNotes = applicable.flatMap(([m, p]) => (p.provenance?.note?.startsWith('derived') ? [`${m} ${p.provenance.note}`] : []));
      if (derivedNotes.length > 0) prov.note = `${prov.note}; ${derivedNotes.join('; ')}`;
      const hidden = applicable.filter(([, p]) => p.value === null);
      if (hidden.length === 0) {
        groupPoints.set(g, { year, value: applicable.reduce((s, [, p]) => s + (p.value as number), 0), provenance: prov });
        continue;
      }
      const known = applicable.reduce((s, [, p]) => s + (p.value ?? 0), 0);
      const uppers = hidden.map(([, p]) => p.suppressed?.upper);
      const sumUppers = uppers.every((u) => u !== undefined) ? uppers.reduce((s: number, u) => s + (u as number), 0) : undefined;
      const bound = sumUppers === undefined ? residual : residual === undefined ? sumUppers : Math.min(sumUppers, residual);
      const suppressed: Suppression = { marker: 'partly_suppressed' };
      if (bound !== undefined) suppressed.upper = known + bound;
      groupPoints.set(g, { year, value: null, suppressed, provenance: { ...prov, note: `${prov.note}; suppressed: ${hidden.map(([m, p]) => `${m} "${p.suppressed?.marker ?? 'missing'}"`).join(', ')}` } });
    }
    // 3. A lone unknown group of a complete breakdown: the total minus the others.
    if (la && d.complete && T !== null) {
      const unknown = [...groupPoints].filter(([, p]) => isHidden(p));
      const known = [...groupPoints].reduce((s, [, p]) => s + (p.value ?? 0), 0);
      if (unknown.length === 1 && T - known >= 0) {
        const [g, p] = unknown[0];
        counter.derived++;
        groupPoints.set(g, {
          year: p.year,
          value: T - known,
          provenance: withNote(p.provenance, `derived: ${totalWhere} minus the other ${d.dimension} groups (${known}); the group is partly suppressed as published`),
        });
      }
    }
    for (const [g, p] of groupPoints) out.set(`${d.dimension}=${g}`, p);
  }
  return out;
}
