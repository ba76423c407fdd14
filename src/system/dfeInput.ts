/**
 * The system model's input from the DfE panel: an LA's stock, flows,
 * population and its placement, provider and age groups, built from the
 * published categories (docs/preregistration/issue-13-system-model.md,
 * decisions 2 and 2a).
 *
 * | dimension | groups | categories |
 * |---|---|---|
 * | `placement` (EES 2020-2024) | `fostering`, `homes_secure`, `independent_supported`, `other`; derived `residential` = homes and secure + independent and supported | `dfePlacement` |
 * | `provider` (SFR 2011-2017, EES 2020-2024) | `in_house` = own LA; `external` = private + voluntary + other LA; `other` = other public, parents, not recorded | `dfeProvider` |
 * | `age` (SFR, EES) | `under_1`, `1_4`, `5_9`, `10_15`, `16_plus` | `age` |
 *
 * In-house and external follow the issue (#13): other LAs' provision is
 * external, where carecast's older `provider` dimension counted it with the
 * LA's own as `internal`.
 *
 * @module
 */
import type { SeriesPopulation } from '../data/ons/panelPopulation.js';
import { dfeAreaPopulation, dfePanelPopulations } from '../data/ons/panelPopulation.js';
import { loadDfePanel } from '../data/panel.js';
import type { DfePanel, DfePanelSeries } from '../data/dfe/panelTypes.js';
import type { AnnualPoint, AnnualSeries } from '../data/schemas.js';
import type { YearValue } from '../data/yearValue.js';
import type { SystemInput } from './input.js';

/** How one of the system's breakdowns is made from a panel dimension's published categories. */
export interface DfeDimensionSpec {
  /** The panel dimension of the stock's breakdowns holding the categories. */
  readonly from: 'dfePlacement' | 'sfrPlacement' | 'dfeProvider' | 'age';
  /** Group → its categories. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
  /** The reference group of the log-ratios (pre-registered). */
  readonly reference: string;
  /** Groups reported as sums of groups. */
  readonly derived: Readonly<Record<string, readonly string[]>>;
  /** Categories whose value in a year means the grouping cannot be made that year. */
  readonly unless?: readonly string[];
}

/**
 * The system's breakdowns of the DfE panel (pre-registered groups and
 * reference groups: fostering; in-house; 10-15).
 */
export const DFE_SYSTEM_DIMENSIONS: Readonly<Record<'placement' | 'provider' | 'age', DfeDimensionSpec>> = {
  placement: {
    from: 'dfePlacement',
    groups: {
      fostering: ['fostering'],
      homes_secure: ['secure_childrens_homes'],
      independent_supported: ['independent_supported'],
      other: ['other_residential', 'residential_schools', 'adoption', 'parents', 'other_placements', 'missing'],
    },
    reference: 'fostering',
    derived: { residential: ['homes_secure', 'independent_supported'] },
    unless: ['secure_homes_semi_independent', 'other_community'],
  },
  provider: {
    from: 'dfeProvider',
    groups: { in_house: ['own_la'], external: ['private', 'voluntary', 'other_la'], other: ['other_public', 'parents', 'not_reported'] },
    reference: 'in_house',
    derived: {},
  },
  age: {
    from: 'age',
    groups: { under_1: ['under_1'], '1_4': ['1_4'], '5_9': ['5_9'], '10_15': ['10_15'], '16_plus': ['16_plus'] },
    reference: '10_15',
    derived: {},
  },
};

/**
 * The three-way placement split of the SFR years (2011-2017), on which the
 * system model is validated for those years: `fostering`; `residential` =
 * secure units, children's homes and semi-independent living + other
 * community placements; `other` = the rest.
 */
export const DFE_SFR_PLACEMENT: DfeDimensionSpec = {
  from: 'sfrPlacement',
  groups: {
    fostering: ['fostering'],
    residential: ['secure_homes_semi_independent', 'other_community'],
    other: ['adoption', 'parents', 'other_residential', 'residential_school', 'missing', 'other_placement'],
  },
  reference: 'fostering',
  derived: {},
};

/**
 * One breakdown of an LA as group count series, built from the published
 * categories (decision 2a): a group whose categories are all published is
 * their sum; when exactly one group has a suppressed category and the total
 * is published, it is the total minus the other groups; otherwise a
 * suppressed category with a bound `u` counts `u / 2`. A year with a
 * category `z` (not applicable), a suppressed category without a bound, or
 * a category of `unless`, has every group `null`.
 *
 * @param series - the LA's panel series
 * @param spec - the breakdown
 * @returns one series per group (every group, even where the LA has no year)
 * @example
 * ```ts
 * dfeGroupSeries(loadDfePanelArea('Derby'), DFE_SYSTEM_DIMENSIONS.provider).external.points.at(-1);
 * // { year: 2024, value: 373, ... }: private 319 + voluntary 38 + other LA 16
 * ```
 */
export function dfeGroupSeries(series: DfePanelSeries, spec: DfeDimensionSpec): Record<string, AnnualSeries> {
  const cats = series.breakdowns[spec.from] as Readonly<Record<string, AnnualSeries | undefined>>;
  const byCat = new Map<string, Map<number, AnnualPoint>>();
  for (const [c, s] of Object.entries(cats)) if (s) byCat.set(c, new Map(s.points.map((p) => [p.year, p])));
  const years = [...new Set([...byCat.values()].flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  const total = new Map(series.childrenInCare.points.map((p) => [p.year, p.value]));
  const groupNames = Object.keys(spec.groups);
  const out: Record<string, YearValue[]> = Object.fromEntries(groupNames.map((g) => [g, []]));
  const notes: Record<string, Map<number, string>> = Object.fromEntries(groupNames.map((g) => [g, new Map()]));
  for (const year of years) {
    const at = (c: string): AnnualPoint | undefined => byCat.get(c)?.get(year);
    const blocked = (spec.unless ?? []).some((c) => {
      const p = at(c);
      return p !== undefined && (p.value === null || p.value > 0);
    });
    let out_ = blocked;
    const known: (number | null)[] = [];
    const bounded: number[] = [];
    for (const g of groupNames) {
      let sum = 0;
      let half = 0;
      let exact = true;
      for (const c of spec.groups[g]) {
        const p = at(c);
        if (p === undefined) continue; // absent in this year's file: 0
        if (p.value !== null) sum += p.value;
        else if (p.suppressed?.marker !== 'z' && p.suppressed?.upper !== undefined) {
          exact = false;
          half += p.suppressed.upper / 2;
        } else out_ = true;
      }
      known.push(exact ? sum : null);
      bounded.push(sum + half);
    }
    const values: (number | null)[] = groupNames.map(() => null);
    if (!out_) {
      const unknown = known.flatMap((v, i) => (v === null ? [i] : []));
      const t = total.get(year);
      if (unknown.length === 1 && t !== null && t !== undefined) {
        const i = unknown[0];
        values.forEach((_, k) => (values[k] = k === i ? Math.max(0, t - known.reduce<number>((s, v, j) => s + (j === i ? 0 : (v as number)), 0)) : known[k]));
        notes[groupNames[i]].set(year, 'the total minus the other groups');
      } else {
        groupNames.forEach((g, k) => {
          values[k] = bounded[k];
          if (known[k] === null) notes[g].set(year, 'suppressed categories counted as half their bound');
        });
      }
    }
    groupNames.forEach((g, k) => out[g].push({ year, value: values[k] }));
  }
  const base = series.childrenInCare;
  return Object.fromEntries(
    groupNames.map((g) => [
      g,
      {
        ...base,
        breakdown: { [spec.from]: g },
        points: out[g].map((p) => {
          const note = notes[g].get(p.year);
          return { year: p.year, value: p.value, ...(note ? { provenance: { source: 'carecast DfE panel', note: `${g}: ${note}` } } : {}) };
        }),
      } as AnnualSeries,
    ]),
  );
}

/**
 * An LA of the DfE panel as the system model's input: children in care,
 * starters, leavers, the population (when given) and the placement,
 * provider and age groups of {@link DFE_SYSTEM_DIMENSIONS}, which partition
 * the total.
 *
 * @param series - the LA's panel series (`loadDfePanelArea('Derby')` or `loadDfePanel().series.get(name)`)
 * @param population - its population, for entry rates per 10,000 children (default: DfE's published one with the ONS projection, `dfeAreaPopulation(series)`; `null`: none, the entry rate is then the log of the starters)
 * @returns the input
 * @example
 * ```ts
 * const sys = projectSystem(dfeSystemInput(loadDfePanelArea('Derby')), { to: 2035 });
 * ```
 */
export function dfeSystemInput(series: DfePanelSeries, population?: SeriesPopulation | null): SystemInput {
  if (population === undefined) population = dfeAreaPopulation(series) ?? null;
  const breakdowns = Object.fromEntries(Object.entries(DFE_SYSTEM_DIMENSIONS).map(([dim, spec]) => [dim, dfeGroupSeries(series, spec)]));
  return {
    area: series.area.name,
    stock: series.childrenInCare,
    ...(series.started ? { started: series.started } : {}),
    ...(series.ceased ? { ceased: series.ceased } : {}),
    ...(population ? { population } : {}),
    breakdowns,
    partitions: Object.keys(DFE_SYSTEM_DIMENSIONS),
  };
}

/**
 * Every LA of a DfE panel as the system model's input, with its population
 * (DfE's published 0-17 population and the ONS 2018-based projection, where
 * the LA has both).
 *
 * @param panel - the panel (default: the bundled one)
 * @returns the inputs by LA name, in the panel's order
 * @example
 * ```ts
 * const dyn = fitSystemDynamics(dfeSystemPanel(), { origin: 2024 });
 * ```
 */
export function dfeSystemPanel(panel: DfePanel = loadDfePanel()): Map<string, SystemInput> {
  const { populations } = dfePanelPopulations(panel);
  const out = new Map<string, SystemInput>();
  for (const area of panel.areas) {
    if (area.level !== 'local_authority') continue;
    const s = panel.series.get(area.name);
    if (s) out.set(area.name, dfeSystemInput(s, populations.get(area.name) ?? null));
  }
  return out;
}
