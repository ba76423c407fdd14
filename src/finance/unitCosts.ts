/**
 * Weekly unit costs from the seed datasets: where a seed has annual spend
 * by provider and the number of placements, the average weekly cost per
 * placement is derived as `spend / (placements x 52.18)`, with every input,
 * its source line, the formula and the definitional caveats shown.
 *
 * @module
 */
import { CarecastInputError } from '../data/errors.js';
import type { Seed } from '../data/seeds.js';
import type { SeedRecord } from '../data/seedFile.js';
import { financialYearLabel } from '../data/financialYear.js';
import { WEEKS_PER_YEAR } from './costs.js';

/** One input of a derivation, with where it was published. */
export interface DerivationInput {
  /** What it is (e.g. `spend 2022/23`, `placements 31 March 2023`). */
  readonly name: string;
  /** The value used. */
  readonly value: number;
  /** Source document and line, `file:line` (`derived` for computed inputs). */
  readonly source: string;
  /** How it was read or computed. */
  readonly note: string;
}

/** A derived (or published) weekly cost for one finance group and year. */
export interface UnitCostDerivation {
  /** The finance group (e.g. `fostering_external`), or `secure`. */
  readonly group: string;
  /** The seed's label for it (e.g. `Agency Fostering`). */
  readonly label: string;
  /** The financial year of the spend, as the year ending 31 March (2023 = 2022/23). */
  readonly year: number;
  /** Its label (`2022/23`). */
  readonly financialYear: string;
  /** The weekly cost per placement, in pounds at that year's prices. */
  readonly weekly: number;
  /** The inputs, each with its source line. */
  readonly inputs: readonly DerivationInput[];
  /** The formula with the numbers in it. */
  readonly formula: string;
  /** Where the derivation may not measure what it says. */
  readonly caveats: readonly string[];
}

/** The result of {@link unitCostsFromSeed}. */
export interface SeedUnitCosts {
  /** Area name. */
  readonly area: string;
  /** Every derivation, by group then year. */
  readonly derivations: readonly UnitCostDerivation[];
  /** The latest weekly cost per group (what a cost model would start from), and the year it is priced at. */
  readonly latest: Readonly<Record<string, { readonly weekly: number; readonly year: number }>>;
  /** Groups a cost model needs that the seed has no cost for. */
  readonly missing: readonly string[];
}

interface GroupSpec {
  readonly group: string;
  readonly label: string;
  readonly spend: Readonly<Record<string, string>>;
  /** Breakdowns whose children_in_care count (or share x total) measures the placements, in order of preference. */
  readonly counts: readonly Readonly<Record<string, string>>[];
  readonly caveats: readonly string[];
}

const DERBYSHIRE: readonly GroupSpec[] = [
  {
    group: 'fostering_internal',
    label: 'DCC Fostering (including fostering service)',
    spend: { placement: 'fostering', providerType: 'in_house' },
    counts: [{ placement: 'fostering', providerType: 'in_house' }],
    caveats: ['The spend includes running the fostering service, not only payments to carers: the weekly cost is above the marginal cost of a placement.'],
  },
  {
    group: 'fostering_external',
    label: 'Agency Fostering',
    spend: { placement: 'fostering', providerType: 'agency' },
    counts: [{ placement: 'fostering', providerType: 'agency' }],
    caveats: [],
  },
  {
    group: 'residential_internal',
    label: "DCC Children's Homes",
    spend: { placementType: 'childrens_home', providerType: 'in_house' },
    counts: [{ placementType: 'childrens_home', providerType: 'in_house' }, { placementCategory: 'residential_placement', providerType: 'in_house' }],
    caveats: ["The spend is for DCC children's homes; the placement count is the documents' \"Residential Placement (DCC)\" row, probably but not certainly the same children (seeds/NOTES.md). The homes also hold short-break beds whose cost is in the spend but whose children are not in care counts."],
  },
  {
    group: 'residential_external',
    label: 'Agency Residential',
    spend: { placementCategory: 'residential_placement', providerType: 'agency' },
    counts: [{ placementCategory: 'residential_placement', providerType: 'agency' }, { placementType: 'childrens_home', providerType: 'agency' }],
    caveats: ['"Agency Residential" may include residential schools and semi-independent provision the placement count leaves out; the documents do not say.'],
  },
];

const FINANCE_GROUPS_NEEDED = ['fostering_internal', 'fostering_external', 'residential_internal', 'residential_external', 'supported_accommodation', 'secure'];

function same(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

function where(r: SeedRecord): string {
  return `${r.source}:${r.line}`;
}

/**
 * Derive weekly unit costs from a seed's published spend and placement
 * counts, showing the derivation.
 *
 * For each finance group with annual spend in financial year t (the year
 * ending 31 March t), the placements are the average of the 31 March counts
 * opening and closing the year, `(count(t-1) + count(t)) / 2`, where both
 * are published; where only one is (the seeds have no counts for 2021 or
 * 2022), that one snapshot is used and the caveat says so. A count
 * published only as a share is the share x the total that day. Then
 * `weekly = spend / (placements x 52.18)`. Published weekly costs (secure
 * welfare placements, a range) are passed through, at the middle of the
 * range, with the range in the inputs.
 *
 * @param seed - a loaded seed (`loadSeed('derbyshire')`)
 * @returns the derivations, the latest cost per group, and the groups with none
 * @throws CarecastInputError when the seed has no spend or weekly costs at all
 * @example
 * ```ts
 * const u = unitCostsFromSeed(loadSeed('derbyshire'));
 * u.latest.fostering_external; // { weekly: 1046.6, year: 2023 }: 2022/23 prices
 * u.derivations[0].formula;     // '8,034,641 / (388 x 52.18) = 396.86'
 * ```
 */
export function unitCostsFromSeed(seed: Seed): SeedUnitCosts {
  const recs = seed.file.records;
  const annual = recs.filter((r) => r.frequency === 'annual');
  const total = (y: number): SeedRecord | undefined => annual.find((r) => r.measure === 'children_in_care' && Object.keys(r.breakdown).length === 0 && r.year === y && r.value !== null);
  const countAt = (spec: GroupSpec, y: number): { value: number; inputs: DerivationInput[]; note?: string } | undefined => {
    for (const [i, b] of spec.counts.entries()) {
      const c = annual.find((r) => r.measure === 'children_in_care' && r.year === y && r.value !== null && same(r.breakdown, b));
      if (c) return { value: c.value as number, inputs: [{ name: `placements 31 March ${y}`, value: c.value as number, source: where(c), note: `children_in_care ${JSON.stringify(b)}` }], note: i > 0 ? `the ${y} count is for ${JSON.stringify(b)}, not ${JSON.stringify(spec.counts[0])}` : undefined };
    }
    for (const [i, b] of spec.counts.entries()) {
      const s = annual.find((r) => r.measure === 'children_in_care_share' && r.year === y && r.value !== null && same(r.breakdown, b));
      const t = total(y);
      if (s && t) {
        const v = (s.value as number) * (t.value as number);
        const pctText = String(Number(((s.value as number) * 100).toFixed(6)));
        const decimals = pctText.includes('.') ? pctText.split('.')[1].length : 0;
        const halfUnit = (0.5 * 10 ** -decimals) / 100;
        return {
          value: v,
          inputs: [
            { name: `share 31 March ${y}`, value: s.value as number, source: where(s), note: `children_in_care_share ${JSON.stringify(b)} (a rounded percentage)` },
            { name: `children in care 31 March ${y}`, value: t.value as number, source: where(t), note: 'all children in care' },
            { name: `placements 31 March ${y}`, value: v, source: 'derived', note: `${s.value} x ${t.value}` },
          ],
          note: `the ${y} placements are a published percentage (${pctText}%) of all children in care, so they are known to ±${(halfUnit * (t.value as number)).toFixed(1)} children${i > 0 ? `; the share is for ${JSON.stringify(b)}` : ''}`,
        };
      }
    }
    return undefined;
  };
  const derivations: UnitCostDerivation[] = [];
  const fmt = (v: number, d = 0): string => v.toLocaleString('en-GB', { maximumFractionDigits: d, minimumFractionDigits: d });
  for (const spec of DERBYSHIRE) {
    const spends = annual.filter((r) => r.measure === 'placement_spend' && r.value !== null && same(r.breakdown, spec.spend)).sort((a, b) => a.year - b.year);
    for (const s of spends) {
      const y = s.year;
      const open = countAt(spec, y - 1);
      const close = countAt(spec, y);
      if (!open && !close) continue;
      const caveats = [...spec.caveats];
      const inputs: DerivationInput[] = [{ name: `spend ${financialYearLabel(y)}`, value: s.value as number, source: where(s), note: s.note ?? 'placement_spend' }];
      let placements: number;
      let placementsText: string;
      if (open && close) {
        placements = (open.value + close.value) / 2;
        placementsText = `((${fmt(open.value, 1)} + ${fmt(close.value, 1)}) / 2)`;
        inputs.push(...open.inputs, ...close.inputs);
      } else {
        const one = (open ?? close) as NonNullable<typeof open>;
        placements = one.value;
        placementsText = fmt(one.value, Number.isInteger(one.value) ? 0 : 2);
        inputs.push(...one.inputs);
        caveats.push(`Placements are the ${open ? 'opening' : 'closing'} snapshot (31 March ${open ? y - 1 : y}) only, not the average over ${financialYearLabel(y)}: the seeds have no count for 31 March ${open ? y : y - 1}. If placements grew during the year, this ${open ? 'overstates' : 'understates'} the weekly cost.`);
      }
      for (const c of [open, close]) if (c?.note) caveats.push(`Count: ${c.note}.`);
      const weekly = (s.value as number) / (placements * WEEKS_PER_YEAR);
      derivations.push({
        group: spec.group,
        label: spec.label,
        year: y,
        financialYear: financialYearLabel(y),
        weekly,
        inputs,
        formula: `${fmt(s.value as number)} / (${placementsText} x ${WEEKS_PER_YEAR}) = ${fmt(weekly, 2)}`,
        caveats,
      });
    }
  }
  // published weekly costs (a low-high range)
  const weeklyRecs = annual.filter((r) => r.measure === 'weekly_cost' && r.value !== null);
  const byType = new Map<string, SeedRecord[]>();
  for (const r of weeklyRecs) {
    const key = `${r.breakdown.placementType ?? r.breakdown.placement ?? 'all'}|${r.year}`;
    byType.set(key, [...(byType.get(key) ?? []), r]);
  }
  for (const [key, rs] of byType) {
    const [group, yearText] = key.split('|');
    const y = Number(yearText);
    const values = rs.map((r) => r.value as number);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const weekly = (lo + hi) / 2;
    derivations.push({
      group,
      label: `${group} (published weekly cost)`,
      year: y,
      financialYear: financialYearLabel(y),
      weekly,
      inputs: rs.map((r) => ({ name: `weekly cost ${r.breakdown.bound ?? ''}`.trim(), value: r.value as number, source: where(r), note: r.note ?? 'weekly_cost' })),
      formula: rs.length > 1 ? `(${fmt(lo)} + ${fmt(hi)}) / 2 = ${fmt(weekly, 2)}` : `${fmt(weekly, 2)} (published)`,
      caveats: rs.length > 1 ? [`A published range (£${fmt(lo)}-£${fmt(hi)} a week); the middle is used. Cost both ends to see the spread.`] : [],
    });
  }
  if (derivations.length === 0) {
    throw new CarecastInputError([{ source: seed.file.name, field: 'placement_spend', message: 'the seed has no placement spend with placement counts and no weekly costs', fix: 'give weekly costs in the cost model directly' }]);
  }
  const latest: Record<string, { weekly: number; year: number }> = {};
  for (const d of derivations) if (!latest[d.group] || latest[d.group].year < d.year) latest[d.group] = { weekly: d.weekly, year: d.year };
  return { area: seed.file.area.name, derivations, latest, missing: FINANCE_GROUPS_NEEDED.filter((g) => !latest[g]) };
}

/** One row of {@link unitCostRecords}. */
export interface UnitCostRecord {
  /** Finance group. */
  readonly group: string;
  /** Financial year of the spend. */
  readonly financial_year: string;
  /** Weekly cost, pounds. */
  readonly weekly_cost: number;
  /** The formula with its numbers. */
  readonly formula: string;
  /** The inputs, `name = value (source)`, separated by `; `. */
  readonly inputs: string;
  /** The caveats, separated by ` | `. */
  readonly caveats: string;
}

/**
 * The derivations as tidy rows (for CSV or a workbook sheet).
 *
 * @param u - the seed unit costs
 * @returns one row per derivation
 * @example
 * ```ts
 * toCsv(unitCostRecords(unitCostsFromSeed(loadSeed('derbyshire'))));
 * ```
 */
export function unitCostRecords(u: SeedUnitCosts): UnitCostRecord[] {
  return u.derivations.map((d) => ({
    group: d.group,
    financial_year: d.financialYear,
    weekly_cost: d.weekly,
    formula: d.formula,
    inputs: d.inputs.map((i) => `${i.name} = ${i.value} (${i.source})`).join('; '),
    caveats: d.caveats.join(' | '),
  }));
}
